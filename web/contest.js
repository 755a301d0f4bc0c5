// What every contest page shares: the contest and the server's clock, the
// viewer's team, the countdown, problem badges in their colours, the contest's
// sub-navigation with the unread count, and the clarification watcher that
// pops up answers and announcements on every contest page of a team.

import { get } from './api.js';
import { h, setText } from './dom.js';
import { LiveFeed, notify } from './live.js';

export const STATES = {
  scheduled: 'Scheduled', running: 'Running', frozen: 'Frozen', ended: 'Ended', thawed: 'Thawed', finalized: 'Final',
};

/* A list answer: a bare array or {items: [...]}. */
export function listOf(answer) {
  if (Array.isArray(answer)) return answer;
  return (answer && answer.items) || [];
}

export function isJury(me) {
  return !!me && (me.role === 'admin' || me.role === 'jury');
}

/* The contest, with the offset of the server's clock from ours (server_time). */
export async function loadContest(id) {
  const t0 = Date.now();
  const c = await get(`/api/contests/${id}`);
  const t1 = Date.now();
  const server = c.server_time ? Date.parse(c.server_time) : NaN;
  c.clockOffset = Number.isNaN(server) ? 0 : server - (t0 + t1) / 2;
  return c;
}

export const serverNow = (c) => Date.now() + (c.clockOffset || 0);
const at = (iso) => (iso ? Date.parse(iso) : NaN);

/* "1:02:03", "45:10", "2 d 03:04:05". */
export function fmtSpan(ms) {
  let s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400); s -= d * 86400;
  const hh = Math.floor(s / 3600); s -= hh * 3600;
  const mm = Math.floor(s / 60); s -= mm * 60;
  const p = (n) => String(n).padStart(2, '0');
  const hms = hh || d ? `${d ? p(hh) : hh}:${p(mm)}:${p(s)}` : `${mm}:${p(s)}`;
  return d ? `${d} d ${hms}` : hms;
}

export function fmtDuration(seconds) {
  const m = Math.round(seconds / 60);
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m / 60} h`;
}

/* What the countdown says now: {text, target (ms) | null}. */
function clockText(c) {
  const t = c.times || {};
  const now = serverNow(c);
  const start = at(t.start ?? c.start_time), end = at(t.end);
  if (c.state === 'scheduled') {
    if (c.countdown_paused) return { text: `Countdown paused · ${fmtSpan(c.countdown_pause_s * 1000)} left`, target: null };
    if (Number.isNaN(start)) return { text: 'Not scheduled yet', target: null };
    return start > now ? { text: `Starts in ${fmtSpan(start - now)}`, target: start } : { text: 'Starting…', target: null };
  }
  if (c.state === 'running' || c.state === 'frozen') {
    if (Number.isNaN(end)) return { text: 'Running', target: null };
    return end > now ? { text: `Ends in ${fmtSpan(end - now)}`, target: end } : { text: 'Ending…', target: null };
  }
  return { text: c.state === 'finalized' ? 'Ended · results final' : 'Ended', target: null };
}

/* A live countdown for contest c. onZero() once when the target passes (the
   page then reloads the contest for its new state). */
export function countdown(ctx, c, onZero) {
  const el = h('span', { class: 'countdown', role: 'timer', 'aria-live': 'off' });
  let fired = false;
  const paint = () => {
    const { text, target } = clockText(c);
    setText(el, text);
    el.dataset.state = c.state;
    if (target && target <= serverNow(c) + 500 && !fired) { fired = true; if (onZero) onZero(); }
  };
  paint();
  const timer = setInterval(paint, 1000);
  ctx.onCleanup(() => clearInterval(timer));
  return { el, update(next) { c = next; fired = false; paint(); } };
}

export function stateBadge(state) {
  return h('span', { class: `contest-state state-${state}`, dataset: { state } }, STATES[state] || state);
}

/* Black or white text on a problem's colour. */
function inkOn(hex) {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex || '');
  if (!m) return null;
  const [r, g, b] = m.slice(1).map((x) => parseInt(x, 16) / 255);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.55 ? '#000000' : '#ffffff';
}

/* A problem's label on its colour (the colour through the CSSOM: the CSP
   forbids style attributes, not style properties set from a script). */
export function problemBadge(p, extraClass = '') {
  const el = h('span', { class: `pbadge ${extraClass}`.trim(), dataset: { label: p.label } }, p.label);
  const ink = inkOn(p.color);
  if (ink) { el.style.setProperty('--pc', p.color); el.style.setProperty('--pink', ink); el.classList.add('colored'); }
  return el;
}

/* The badge of the problem with this label in contest c. */
export function labelBadge(c, label) {
  return problemBadge((c.problems || []).find((p) => p.label === label) || { label });
}

/* The viewer's team in contest c, or null: the contest object's own field if
   the server sends one, else the team whose members include the viewer. */
export async function myTeam(c, me) {
  if (!me) return null;
  if (c.team && typeof c.team === 'object') return c.team;
  if (c.my_team && typeof c.my_team === 'object') return c.my_team;
  if (isJury(me)) return null;
  try {
    const teams = listOf(await get(`/api/contests/${c.id}/teams?per_page=100`));
    return teams.find((t) => (t.members || []).some((m) => (typeof m === 'string' ? m : m.username) === me.username)) || null;
  } catch {
    return null;
  }
}

/* Problem titles for the contest's problems (the contest object may carry them). */
export async function problemTitles(c) {
  const titles = new Map();
  for (const p of c.problems || []) if (p.title || p.name) titles.set(p.problem_id, p.title || p.name);
  if (titles.size === (c.problems || []).length) return titles;
  try {
    const all = listOf(await get('/api/problems?per_page=100'));
    for (const p of all) if (!titles.has(p.id)) titles.set(p.id, p.title);
  } catch { /* labels only */ }
  return titles;
}

/* ---- the contest's sub-navigation ---- */

export function contestNav(c, current, { jury = false, unread = null } = {}) {
  const base = `/contests/${c.id}`;
  const link = (href, text, extra) => h('a', { href, 'aria-current': href === current ? 'page' : null }, text, extra);
  return h('nav', { class: 'subnav contest-nav', 'aria-label': 'Contest' },
    link(base, 'Problems'),
    link(`${base}/scoreboard`, 'Scoreboard'),
    link(`${base}/clarifications`, 'Clarifications', unread),
    jury ? link(`/admin/contests/${c.id}`, 'Jury') : null);
}

/* ---- clarifications, watched on every contest page of a team ---- */

const READ_KEY = (cid) => `verdict.clars.read.${cid}`;

function readSet(cid) {
  try { return new Set(JSON.parse(localStorage.getItem(READ_KEY(cid)) || '[]')); } catch { return new Set(); }
}

function saveRead(cid, set) {
  try { localStorage.setItem(READ_KEY(cid), JSON.stringify([...set].slice(-500))); } catch { /* private mode */ }
}

let popupBox = null;
function popups() {
  if (!popupBox || !popupBox.isConnected) {
    popupBox = h('div', { class: 'clar-popups', role: 'region', 'aria-label': 'New clarifications', 'aria-live': 'polite' });
    document.body.append(popupBox);
  }
  return popupBox;
}

/* A team's request with no answer yet (the server's flag, or a reply seen since). */
export function isAnswered(q, all) {
  return !q.from_team_id || q.answered === true || all.some((r) => r.reply_to === q.id);
}

export function clarKind(cl) {
  if (cl.from_team_id) return 'question';
  if (cl.reply_to) return cl.to_all ? 'answer to all' : 'answer';
  return cl.to_all ? 'announcement' : 'message';
}

/* Watches the clarifications of contest c for a team (team: {id}), the
   jury, or a signed-in viewer of a public contest (announcements): keeps the list, the unread count in the badge, pops up and notifies
   what arrives for the team. Returns {list, badge, markRead(), onChange(fn)}. */
export async function watchClarifications(ctx, c, { team = null, jury = false, viewer = true } = {}) {
  const badge = h('span', { class: 'unread', hidden: true, 'aria-label': '' });
  const w = { list: [], badge, listeners: new Set() };
  if (!viewer) return { ...w, markRead() {}, onChange() {} }; // no session: the socket would be refused
  let answer;
  try { answer = await get(`/api/contests/${c.id}/clarifications`); } catch { return { ...w, markRead() {}, onChange() {} }; }
  w.list = listOf(answer);
  const read = readSet(c.id);
  const mineOrOwn = (cl) => team && cl.from_team_id === team.id;
  const unanswered = () => w.list.filter((q) => !isAnswered(q, w.list)).length;
  const paintBadge = () => {
    const n = jury ? unanswered() : w.list.filter((cl) => !mineOrOwn(cl) && !read.has(cl.id)).length;
    badge.hidden = n === 0;
    setText(badge, String(n));
    badge.setAttribute('aria-label', jury ? `${n} unanswered` : `${n} unread`);
    badge.dataset.count = String(n);
  };
  w.markRead = () => { for (const cl of w.list) read.add(cl.id); saveRead(c.id, read); paintBadge(); };
  w.onChange = (fn) => w.listeners.add(fn);
  paintBadge();
  const maxSeq = Math.max(0, ...w.list.map((cl) => cl.seq || 0));
  const feed = new LiveFeed(`/ws/contests/${c.id}/clarifications/`, {
    after: maxSeq,
    onMessage: (m) => {
      if (m.type !== 'clarification') return;
      const i = w.list.findIndex((x) => x.id === m.id);
      const cl = { ...m };
      delete cl.type;
      if (i >= 0) { w.list[i] = cl; } else w.list.push(cl);
      paintBadge();
      for (const fn of w.listeners) fn(cl, i < 0);
      if (i < 0 && !jury && !mineOrOwn(cl) && !read.has(cl.id)) popUp(c, cl, read, paintBadge);
      if (i < 0 && jury && cl.from_team_id) notify(`clar-${cl.id}`, `${c.name}: new question`, cl.text, `/admin/contests/${c.id}/clarifications`);
    },
  }).start();
  ctx.onCleanup(() => feed.stop());
  return w;
}

function popUp(c, cl, read, paintBadge) {
  const kind = clarKind(cl);
  const title = kind === 'announcement' ? 'Announcement' : 'Answer from the jury';
  const dismiss = h('button', { type: 'button', class: 'small' }, 'Dismiss');
  const box = h('div', { class: 'clar-popup card', role: 'alert', dataset: { clarId: cl.id, kind } },
    h('div', { class: 'clar-popup-head' },
      h('strong', null, title), cl.problem ? labelBadge(c, cl.problem) : null,
      h('span', { class: 'muted' }, c.name)),
    h('p', { class: 'clar-text' }, cl.text),
    h('div', { class: 'actions' }, h('a', { href: `/contests/${c.id}/clarifications` }, 'All clarifications'), dismiss));
  dismiss.addEventListener('click', () => { read.add(cl.id); saveRead(c.id, read); paintBadge(); box.remove(); });
  popups().append(box);
  notify(`clar-${cl.id}`, `${c.name}: ${title.toLowerCase()}`, cl.text, `/contests/${c.id}/clarifications`);
}
