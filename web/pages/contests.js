// Contest pages for teams and the public: the list, a contest (countdown,
// problems, submit, own submissions), its scoreboard and its clarifications.
import { get, post, qs } from '../api.js';
import { h, setText, messageBox } from '../dom.js';
import { fmtWhen } from '../format.js';
import { LiveFeed } from '../live.js';
import { SubmissionTable } from '../submissions.js';
import { Board } from '../scoreboard.js';
import {
  listOf, isJury, loadContest, serverNow, countdown, stateBadge, problemBadge, myTeam, problemTitles,
  contestNav, watchClarifications, clarKind, fmtDuration, labelBadge,
} from '../contest.js';

const LANG_KEY = 'verdict.language';
const MAX_SOURCE = 512 * 1024;

/* ---- /contests ---- */

export async function contestsPage(ctx) {
  ctx.setTitle('Contests');
  const list = listOf(await get('/api/contests'));
  if (ctx.disposed) return;
  const me = ctx.app.me;
  ctx.el.append(h('div', { class: 'page-head' }, h('h1', null, 'Contests'),
    me && me.role === 'admin' ? h('a', { class: 'button', href: '/admin/contests/new' }, 'New contest') : null));
  if (!list.length) { ctx.el.append(h('p', { class: 'empty' }, 'No contests yet.')); return; }
  const copies = list.map((c0) => ({ ...c0, clockOffset: 0 }));
  const rows = copies.map((c) => h('tr', { dataset: { contestId: c.id, state: c.state } },
    h('td', { class: 'col-title' }, h('a', { href: `/contests/${c.id}` }, c.name), h('span', { class: 'slug' }, c.shortname)),
    h('td', { class: 'col-state' }, stateBadge(c.state)),
    h('td', { class: 'col-when' }, c.times && c.times.start ? h('time', { datetime: c.times.start }, fmtWhen(c.times.start)) : '–'),
    h('td', { class: 'col-len' }, c.duration_s ? fmtDuration(c.duration_s) : ''),
    h('td', { class: 'col-clock' }, countdown(ctx, c, null).el),
    h('td', { class: 'col-link' }, h('a', { href: `/contests/${c.id}/scoreboard` }, 'Scoreboard'),
      isJury(me) ? [' ', h('a', { href: `/admin/contests/${c.id}` }, 'Jury')] : null)));
  /* The list may carry no server_time: take the clock of one contest's answer. */
  const withTime = list.find((c) => c.server_time);
  const offset = (st) => { const off = Date.parse(st) - Date.now(); for (const c of copies) c.clockOffset = off; };
  if (withTime) offset(withTime.server_time);
  else get(`/api/contests/${list[0].id}`).then((c) => { if (c.server_time) offset(c.server_time); }).catch(() => {});
  ctx.el.append(h('table', { class: 'contests' },
    h('thead', null, h('tr', null,
      h('th', { scope: 'col', class: 'col-title' }, 'Contest'),
      h('th', { scope: 'col', class: 'col-state' }, 'State'),
      h('th', { scope: 'col', class: 'col-when' }, 'Starts'),
      h('th', { scope: 'col', class: 'col-len' }, 'Length'),
      h('th', { scope: 'col', class: 'col-clock' }, 'Clock'),
      h('th', { scope: 'col', class: 'col-link' }, h('span', { class: 'visually-hidden' }, 'Links')))),
    h('tbody', null, rows)));
}

/* What every page of one contest starts with: the contest, the viewer's
   team, the head (name, state, countdown), the sub-navigation with the
   unread count, and the clarification watcher. */
async function contestFrame(ctx, current) {
  const id = ctx.params[0];
  let c = await loadContest(id);
  const me = ctx.app.me;
  const team = await myTeam(c, me);
  if (ctx.disposed) return null;
  const jury = isJury(me);
  const watch = await watchClarifications(ctx, c, { team, jury, viewer: !!me });
  if (ctx.disposed) return null;
  const state = stateBadge(c.state);
  const frame = { c, team, jury, watch, onContest: new Set() };
  const cd = countdown(ctx, c, async () => {
    try {
      const next = await loadContest(id);
      if (ctx.disposed) return;
      /* The problems appear at the start: build the page again. */
      if (c.state === 'scheduled' && next.state !== 'scheduled') { ctx.navigate(location.pathname + location.search, { replace: true }); return; }
      Object.assign(c, next);
      state.replaceWith(frame.state = stateBadge(c.state));
      cd.update(c);
      for (const fn of frame.onContest) fn(c);
    } catch { /* the next tick tries again */ }
  });
  frame.state = state;
  ctx.el.append(
    h('div', { class: 'page-head contest-head' },
      h('h1', null, c.name, ' ', state),
      h('p', { class: 'clock' }, cd.el)),
    contestNav(c, current, { jury, unread: watch.badge }));
  if (team) ctx.el.append(h('p', { class: 'team-line' }, 'Your team: ', h('strong', { class: 'my-team' }, team.display_name || team.name)));
  return frame;
}

/* ---- /contests/{id} ---- */

export async function contestPage(ctx) {
  const f = await contestFrame(ctx, `/contests/${ctx.params[0]}`);
  if (!f) return;
  const { c, team } = f;
  ctx.setTitle(c.name);
  const [titles, languages] = await Promise.all([problemTitles(c), get('/api/languages')]);
  if (ctx.disposed) return;
  const problems = [...(c.problems || [])].sort((a, b) => (a.ordinal ?? 0) - (b.ordinal ?? 0));
  /* A classroom contest makes a student's team at their first submission. */
  const classroomFirst = !team && c.classroom && !f.jury && !!ctx.app.me;
  const form = team || classroomFirst ? submitForm(ctx, c, problems, languages) : null;
  const list = h('ol', { class: 'contest-problems' }, problems.map((p) => h('li', { dataset: { label: p.label } },
    problemBadge(p, 'big'),
    h('a', { class: 'ptitle', href: `/problems/${p.problem_id}?contest=${c.id}` }, titles.get(p.problem_id) || `Problem ${p.label}`),
    c.scoring === 'ioi' && p.max_score ? h('span', { class: 'muted' }, `${p.max_score} points`) : null,
    form ? h('button', { type: 'button', class: 'small', on: { click: () => form.pick(p.label) } }, `Submit ${p.label}`) : null)));
  const layout = h('div', { class: 'contest-layout' },
    h('section', { class: 'card', 'aria-labelledby': 'cp-title' }, h('h2', { id: 'cp-title' }, 'Problems'),
      problems.length ? list : h('p', { class: 'empty' }, 'The problems appear when the contest starts.')));
  ctx.el.append(layout);
  if (classroomFirst) {
    form.onCreated = () => ctx.navigate(location.pathname, { replace: true }); // now with the new team
    layout.append(h('div', { class: 'contest-side' }, form.el));
    return;
  }
  if (!team) {
    layout.append(h('p', { class: 'note' }, f.jury
      ? 'You are jury: see the jury pages for this contest\'s submissions.'
      : 'You are not in a team of this contest: you can follow its scoreboard.'));
    return;
  }
  const answer = await get(`/api/contests/${c.id}/submissions` + qs({ team: team.id, per_page: 20 })).catch(() => ({ items: [], page: 1, total: 0 }));
  if (ctx.disposed) return;
  const table = new SubmissionTable({ me: ctx.app.me, perPage: 20, mine: true, showLabel: true, showScore: c.scoring === 'ioi' });
  table.fill({ page: 1, total: answer.total ?? listOf(answer).length, items: listOf(answer) });
  const side = h('div', { class: 'contest-side' }, form.el,
    h('section', { class: 'recent', 'aria-labelledby': 'own-title' }, h('h2', { id: 'own-title' }, 'Your team\'s submissions'), table.el));
  layout.append(side);
  /* Live: one socket per submission of the team still being judged (its
     members may watch them all), closed when it is done. */
  const feeds = new Map();
  const follow = (s) => {
    const sid = s.id ?? s.submission_id;
    if (s.status === 'done' || feeds.has(sid)) return;
    const feed = new LiveFeed(`/ws/submissions/${sid}/`, {
      after: s.seq || 0,
      onMessage: (m) => {
        if (m.type !== 'submission_update') return;
        table.apply(m);
        if (m.status === 'done') { feed.stop(); feeds.delete(sid); }
      },
    }).start();
    feeds.set(sid, feed);
  };
  for (const s of listOf(answer)) follow(s);
  /* Every seq seen before a POST is older than the new submission's first
     one: resuming after it replays the submission even if it was judged
     before its socket opened. */
  const known = Math.max(1, ...listOf(answer).map((s) => s.seq || 0));
  form.onCreated = (s) => {
    table.apply({ type: 'submission_update', submission_id: s.id, seq: 1, user: ctx.app.me.username, status: 'queued', ...s });
    follow({ ...s, seq: Math.max(known, s.seq || 0) });
  };
  ctx.onCleanup(() => { for (const fd of feeds.values()) fd.stop(); });
  f.onContest.add((next) => form.setState(next.state));
}

function submitForm(ctx, c, problems, languages) {
  const msg = messageBox();
  const prob = h('select', { id: 'c-submit-problem', name: 'problem', required: true },
    problems.map((p) => h('option', { value: p.label }, p.label)));
  const lang = h('select', { id: 'c-submit-language', name: 'language', required: true },
    languages.map((l) => h('option', { value: l.id }, l.name)));
  const stored = localStorage.getItem(LANG_KEY);
  if (stored && languages.some((l) => l.id === stored)) lang.value = stored;
  const source = h('textarea', { id: 'c-submit-source', rows: 10, spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off', class: 'code', placeholder: 'Paste your program, or choose a file.' });
  const file = h('input', { id: 'c-submit-file', type: 'file', multiple: true });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Submit');
  const closed = h('p', { class: 'note', hidden: true });
  /* Several files chosen together: sent as one multi-file submission (the entry point is derived). */
  let files = [];
  const fileList = h('ul', { class: 'submit-files', id: 'c-submit-files', hidden: true });
  const sourceField = h('div', { class: 'field' }, h('label', { for: 'c-submit-source' }, 'Source'), source);
  function showFiles() {
    fileList.replaceChildren(...files.map((f) => h('li', null, h('code', null, f.name))));
    fileList.hidden = !files.length;
    sourceField.hidden = files.length > 0;
  }
  file.addEventListener('change', async () => {
    msg.clear();
    const chosen = [...file.files];
    const fl = chosen[0];
    if (!fl) return;
    if (chosen.reduce((n, f) => n + f.size, 0) > MAX_SOURCE) { msg.error(`${chosen.length > 1 ? 'The files are' : `${fl.name} is`} over 512 KiB.`); file.value = ''; return; }
    if (chosen.length > 32) { msg.error('A submission has at most 32 files.'); file.value = ''; return; }
    files = chosen.length > 1 ? await Promise.all(chosen.map(async (f) => ({ name: f.name, content: await f.text() }))) : [];
    if (chosen.length === 1) source.value = await fl.text();
    showFiles();
    const ext = fl.name.includes('.') ? fl.name.split('.').pop().toLowerCase() : '';
    const match = languages.find((l) => l.extensions.includes(ext));
    if (match) lang.value = match.id;
    const label = /^([A-Za-z0-9]+)[._-]/.exec(fl.name);
    if (label && problems.some((p) => p.label === label[1].toUpperCase())) prob.value = label[1].toUpperCase();
  });
  const el = h('form', { class: 'card submit contest-submit', 'aria-labelledby': 'cs-title', novalidate: true },
    h('h2', { id: 'cs-title' }, 'Submit'),
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'c-submit-problem' }, 'Problem'), prob),
      h('div', { class: 'field' }, h('label', { for: 'c-submit-language' }, 'Language'), lang)),
    sourceField,
    fileList,
    h('div', { class: 'field' }, h('label', { for: 'c-submit-file' }, 'Or load files (one, or several together)'), file),
    closed, msg.el,
    h('div', { class: 'actions' }, button));
  const form = {
    el,
    onCreated: null,
    pick(label) { prob.value = label; source.focus(); el.scrollIntoView({ block: 'nearest' }); },
    setState(state) {
      const open = state === 'running' || state === 'frozen' || c.practice_after_end;
      closed.hidden = open;
      setText(closed, state === 'scheduled' ? 'Submissions open when the contest starts.' : 'The contest has ended.');
    },
  };
  form.setState(c.state);
  el.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    if (!files.length && !source.value.trim()) { msg.error('Write your program in the box or load a file first.'); source.focus(); return; }
    button.disabled = true;
    try {
      const body = files.length ? { language: lang.value, files } : { language: lang.value, source: source.value };
      const created = await post(`/api/contests/${c.id}/problems/${encodeURIComponent(prob.value)}/submissions`, body);
      localStorage.setItem(LANG_KEY, lang.value);
      msg.ok(`Submission ${created.id} for ${prob.value} received.`);
      source.value = '';
      file.value = '';
      files = [];
      showFiles();
      if (form.onCreated) form.onCreated({ problem_label: prob.value, language: lang.value, created_at: new Date().toISOString(), ...created });
    } catch (err) {
      msg.error(err.message);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

/* ---- /contests/{id}/scoreboard ---- */

/* A live board on page ctx: REST first, then the socket from the board's seq
   (it resumes with ?after= by itself). Without a session only a public
   contest's board has a socket (any other would be refused): the board is
   polled instead. */
export async function liveBoard(ctx, c, { view = null, myTeamId = null } = {}) {
  const q = view ? qs({ view }) : '';
  const teamGroups = new Map();
  const groupNames = new Map();
  try {
    for (const g of listOf(await get(`/api/contests/${c.id}/groups`, { noRedirect: true }))) groupNames.set(g.key ?? g.id, g.name || g.key);
  } catch { /* keys only */ }
  try {
    for (const t of listOf(await get(`/api/contests/${c.id}/teams?per_page=100`, { noRedirect: true }))) {
      teamGroups.set(t.id, (t.groups || []).map((g) => (typeof g === 'string' ? g : g.name || g.id)));
    }
  } catch { /* the rows' own groups, if any */ }
  const board = new Board({ contest: c, myTeamId, teamGroups, groupNames });
  board.load(await get(`/api/contests/${c.id}/scoreboard${q}`));
  /* The board freezes by the clock too: fetch it again then (the banner). */
  const freezeAt = c.times && c.times.freeze ? Date.parse(c.times.freeze) - serverNow(c) : -1;
  if (freezeAt > 0 && freezeAt < 2 ** 31 - 1) {
    const t = setTimeout(async () => { try { board.load(await get(`/api/contests/${c.id}/scoreboard${q}`)); } catch { /* the socket goes on */ } }, freezeAt + 1000);
    ctx.onCleanup(() => clearTimeout(t));
  }
  if (ctx.app.me || c.public) {
    const feed = new LiveFeed(`/ws/contests/${c.id}/scoreboard/${q}`, {
      after: board.seq,
      onMessage: (m) => board.apply(m),
    }).start();
    ctx.onCleanup(() => feed.stop());
  } else {
    const timer = setInterval(async () => {
      try { board.load(await get(`/api/contests/${c.id}/scoreboard${q}`)); } catch { /* next time */ }
    }, 10000);
    ctx.onCleanup(() => clearInterval(timer));
  }
  return board;
}

export async function scoreboardPage(ctx) {
  const f = await contestFrame(ctx, `/contests/${ctx.params[0]}/scoreboard`);
  if (!f) return;
  ctx.setTitle(`Scoreboard · ${f.c.name}`);
  document.body.classList.add('wide');
  ctx.onCleanup(() => document.body.classList.remove('wide'));
  const board = await liveBoard(ctx, f.c, { myTeamId: f.team ? f.team.id : null });
  if (ctx.disposed) return;
  ctx.el.append(board.el);
}

/* ---- /contests/{id}/clarifications ---- */

export async function clarificationsPage(ctx) {
  const f = await contestFrame(ctx, `/contests/${ctx.params[0]}/clarifications`);
  if (!f) return;
  const { c, team, watch } = f;
  ctx.setTitle(`Clarifications · ${c.name}`);
  for (const p of document.querySelectorAll('.clar-popup')) p.remove();
  const listEl = h('ol', { class: 'clars', 'aria-live': 'polite' });
  const empty = h('p', { class: 'empty' }, 'No clarifications yet.');
  const paint = () => {
    const items = [...watch.list].sort((a, b) => (b.time || '').localeCompare(a.time || '') || b.id - a.id);
    listEl.replaceChildren(...items.map((cl) => clarItem(c, cl, team, watch.list)));
    empty.hidden = items.length > 0;
    if (document.visibilityState === 'visible') watch.markRead();
  };
  watch.onChange(() => paint());
  paint();
  const onVisible = () => { if (document.visibilityState === 'visible') watch.markRead(); };
  document.addEventListener('visibilitychange', onVisible);
  ctx.onCleanup(() => document.removeEventListener('visibilitychange', onVisible));
  const sections = [];
  if (team) sections.push(askForm(c));
  sections.push(h('section', { 'aria-labelledby': 'clars-title' }, h('h2', { id: 'clars-title' }, 'Clarifications'), empty, listEl));
  ctx.el.append(h('div', { class: 'clar-layout' }, sections));
}

export function clarItem(c, cl, team, all) {
  const kind = clarKind(cl);
  const question = cl.reply_to ? all.find((q) => q.id === cl.reply_to) : null;
  const who = cl.from_team_id ? (team && cl.from_team_id === team.id ? 'Your team asked' : `Team ${cl.from_team_id} asked`)
    : kind === 'announcement' ? 'Announcement' : cl.to_all ? 'Jury, to everyone' : 'Jury, to your team';
  return h('li', { class: `clar card kind-${kind.replace(/ /g, '-')}`, dataset: { clarId: cl.id, kind } },
    h('div', { class: 'clar-head' },
      h('strong', null, who), cl.problem ? labelBadge(c, cl.problem) : h('span', { class: 'muted' }, 'general'),
      h('time', { datetime: cl.time || '' }, fmtWhen(cl.time))),
    question ? h('blockquote', { class: 'clar-q' }, question.text) : null,
    h('p', { class: 'clar-text' }, cl.text));
}

function askForm(c) {
  const msg = messageBox();
  const prob = h('select', { id: 'clar-problem' }, h('option', { value: '' }, 'General'),
    (c.problems || []).map((p) => h('option', { value: p.label }, `Problem ${p.label}`)));
  const text = h('textarea', { id: 'clar-text', rows: 4, required: true, maxlength: 4000 });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Send to the jury');
  const form = h('form', { class: 'card ask', 'aria-labelledby': 'ask-title', novalidate: true },
    h('h2', { id: 'ask-title' }, 'Ask the jury'),
    h('div', { class: 'field' }, h('label', { for: 'clar-problem' }, 'About'), prob),
    h('div', { class: 'field' }, h('label', { for: 'clar-text' }, 'Question'), text),
    msg.el, h('div', { class: 'actions' }, button));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    if (!text.value.trim()) { msg.error('Write your question first.'); text.focus(); return; }
    button.disabled = true;
    try {
      await post(`/api/contests/${c.id}/clarifications`, { problem: prob.value || null, text: text.value });
      text.value = '';
      msg.ok('Sent. The answer appears here and pops up on every contest page.');
    } catch (err) {
      msg.error(err.message);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
