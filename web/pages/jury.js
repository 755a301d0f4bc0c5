// Jury pages of contests under /admin/contests: the list, the contest editor
// with its state buttons, teams and their import, the clarification answer
// queue, the live jury board, the balloon list and the CLICS event feed.
import { get, post, put, del, api } from '../api.js';
import { h, messageBox, copyButton } from '../dom.js';
import { fmtWhen } from '../format.js';
import { listOf, loadContest, countdown, stateBadge, problemBadge, clarKind, isAnswered, watchClarifications, fmtDuration, labelBadge } from '../contest.js';
import { liveBoard } from './contests.js';
import { field } from './common.js';

export const PREPARED = ['No comment.', 'Read the problem statement carefully.', 'This is clarified in the statement.'];

function juryNav(c, current) {
  const b = `/admin/contests/${c.id}`;
  const links = [[b, 'Contest'], [`${b}/teams`, 'Teams'], [`${b}/clarifications`, 'Clarifications'],
    [`${b}/scoreboard`, 'Jury board'], [`${b}/balloons`, 'Balloons'], [`${b}/events`, 'Event feed'], [`/contests/${c.id}`, 'Team view']];
  return h('nav', { class: 'subnav', 'aria-label': 'Jury' },
    links.map(([href, text]) => h('a', { href, 'aria-current': href === current ? 'page' : null }, text)));
}

async function juryFrame(ctx, current, title) {
  const c = await loadContest(ctx.params[0]);
  if (ctx.disposed) return null;
  ctx.setTitle(`${title} · ${c.name}`);
  const cd = countdown(ctx, c, null);
  ctx.el.append(h('div', { class: 'page-head contest-head' },
    h('h1', null, `${title} `, h('span', { class: 'sub' }, '· ', c.name), ' ', stateBadge(c.state)), h('p', { class: 'clock' }, cd.el)),
  juryNav(c, current));
  return c;
}

/* ---- /admin/contests ---- */

export async function juryContests(ctx) {
  ctx.setTitle('Contests · Jury');
  const list = listOf(await get('/api/contests'));
  if (ctx.disposed) return;
  const admin = ctx.app.me.role === 'admin';
  ctx.el.append(h('div', { class: 'page-head' }, h('h1', null, 'Contests'),
    admin ? h('a', { class: 'button primary', href: '/admin/contests/new' }, 'New contest') : null));
  if (!list.length) { ctx.el.append(h('p', { class: 'empty' }, 'No contests yet.')); return; }
  ctx.el.append(h('div', { class: 'table-scroll' }, h('table', { class: 'contests admin' },
    h('thead', null, h('tr', null, ['Contest', 'State', 'Starts', 'Length', ''].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, list.map((c) => {
      const b = `/admin/contests/${c.id}`;
      return h('tr', { dataset: { contestId: c.id } },
        h('td', null, h('a', { href: b }, c.name), h('span', { class: 'slug' }, c.shortname)),
        h('td', null, stateBadge(c.state)),
        h('td', null, c.times && c.times.start ? fmtWhen(c.times.start) : '–'),
        h('td', null, c.duration_s ? fmtDuration(c.duration_s) : ''),
        h('td', { class: 'col-actions' }, h('a', { href: `${b}/teams` }, 'Teams'), ' ', h('a', { href: `${b}/clarifications` }, 'Clarifications'), ' ',
          h('a', { href: `${b}/scoreboard` }, 'Board'), ' ', h('a', { href: `${b}/balloons` }, 'Balloons')));
    })))));
}

/* ---- the editor: /admin/contests/new and /admin/contests/{id} ---- */

const pad = (n) => String(n).padStart(2, '0');
function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const fromLocalInput = (v) => (v ? new Date(v).toISOString().replace(/\.\d{3}Z$/, 'Z') : null);
const COLORS = ['#e53935', '#1e88e5', '#43a047', '#fdd835', '#8e24aa', '#fb8c00', '#00acc1', '#6d4c41', '#d81b60', '#3949ab', '#7cb342', '#546e7a'];

function problemRows(allProblems, initial) {
  const list = [];
  const body = h('div', { class: 'cp-rows' });
  const add = (p) => {
    const n = list.length;
    const sel = h('select', { class: 'cp-problem', 'aria-label': 'Problem' }, allProblems.map((x) => h('option', { value: x.id }, `${x.title} (${x.slug})`)));
    if (p.problem_id) sel.value = String(p.problem_id);
    const label = h('input', { class: 'cp-label', 'aria-label': 'Label', value: p.label || String.fromCharCode(65 + n), size: 4, maxlength: 10 });
    const color = h('input', { class: 'cp-color', type: 'color', 'aria-label': 'Colour', value: p.color || COLORS[n % COLORS.length] });
    const max = h('input', { class: 'cp-max', type: 'number', min: 0, step: 'any', 'aria-label': 'Maximum score', placeholder: 'max score', value: p.max_score ?? '' });
    const remove = h('button', { type: 'button', class: 'small danger' }, 'Remove');
    const row = h('div', { class: 'cp-row' }, label, sel, color, max, remove);
    const entry = { row, value: () => ({ problem_id: Number(sel.value), label: label.value.trim(), color: color.value, ...(max.value !== '' ? { max_score: Number(max.value) } : {}) }) };
    remove.addEventListener('click', () => { list.splice(list.indexOf(entry), 1); row.remove(); });
    list.push(entry);
    body.append(row);
  };
  for (const p of initial) add(p);
  const addBtn = h('button', { type: 'button', class: 'small', disabled: !allProblems.length }, 'Add problem');
  addBtn.addEventListener('click', () => add({}));
  return {
    el: h('fieldset', { class: 'cp-editor' }, h('legend', null, 'Problems'),
      allProblems.length ? null : h('p', { class: 'note' }, 'Create problems first.'), body, addBtn),
    value: () => list.map((e, i) => ({ ...e.value(), ordinal: i })),
  };
}

export async function juryContestEdit(ctx) {
  const id = ctx.params[0];
  const admin = ctx.app.me.role === 'admin';
  const [c, all] = await Promise.all([id ? loadContest(id) : null, get('/api/problems?per_page=100')]);
  if (ctx.disposed) return;
  const msg = messageBox();
  if (c) {
    ctx.setTitle(`${c.name} · Jury`);
    const cd = countdown(ctx, c, null);
    ctx.el.append(h('div', { class: 'page-head contest-head' }, h('h1', null, c.name, ' ', stateBadge(c.state)), h('p', { class: 'clock' }, cd.el)),
      juryNav(c, `/admin/contests/${c.id}`), msg.el);
    if (ctx.query.get('created')) msg.ok('Contest created.');
    ctx.el.append(stateControls(ctx, c));
  } else {
    ctx.setTitle('New contest · Jury');
    ctx.el.append(h('h1', null, 'New contest'), msg.el);
  }
  const v = c || { scoring: 'icpc', penalty_min: 20, duration_s: 7200, freeze_s: 3600, problems: [] };
  const f = {
    shortname: h('input', { id: 'ce-shortname', required: true, pattern: '[a-z0-9_-]{1,36}', value: v.shortname || '' }),
    name: h('input', { id: 'ce-name', required: true, value: v.name || '' }),
    formal: h('input', { id: 'ce-formal', value: v.formal_name || '' }),
    start: h('input', { id: 'ce-start', type: 'datetime-local', value: toLocalInput(v.start_time || (v.times && v.times.start)) }),
    duration: h('input', { id: 'ce-duration', type: 'number', min: 1, value: Math.round((v.duration_s || 0) / 60) }),
    freeze: h('input', { id: 'ce-freeze', type: 'number', min: 0, value: Math.round((v.freeze_s || 0) / 60) }),
    scoring: h('select', { id: 'ce-scoring' }, h('option', { value: 'icpc' }, 'ICPC (pass-fail)'), h('option', { value: 'ioi' }, 'IOI (score)')),
    ioi: h('select', { id: 'ce-ioi-mode' }, h('option', { value: 'max_submission' }, 'best submission'), h('option', { value: 'max_subtasks' }, 'best per subtask')),
    penalty: h('input', { id: 'ce-penalty', type: 'number', min: 0, value: v.penalty_min ?? 20 }),
    public: h('input', { id: 'ce-public', type: 'checkbox', checked: !!v.public }),
    practice: h('input', { id: 'ce-practice', type: 'checkbox', checked: !!v.practice_after_end }),
    classroom: h('input', { id: 'ce-classroom', type: 'checkbox', checked: !!v.classroom }),
  };
  f.scoring.value = v.scoring || 'icpc';
  f.ioi.value = v.ioi_mode || 'max_submission';
  const probs = problemRows(listOf(all), v.problems || []);
  const button = h('button', { type: 'submit', class: 'primary', disabled: !admin }, c ? 'Save' : 'Create contest');
  const form = h('form', { class: 'card contest-form', novalidate: true, 'aria-label': 'Contest' },
    h('div', { class: 'row' }, field('Short name', f.shortname, 'The CLICS id: a-z, 0-9, _ and -'), field('Name', f.name), field('Formal name', f.formal)),
    h('div', { class: 'row' }, field('Start', f.start, 'Your local time; empty: not scheduled'), field('Length (minutes)', f.duration), field('Freeze (minutes before the end)', f.freeze)),
    h('div', { class: 'row' }, field('Scoring', f.scoring), field('IOI score', f.ioi), field('Penalty (minutes)', f.penalty)),
    h('div', { class: 'row checks' }, h('label', { class: 'check' }, f.public, ' Public (anyone may see it)'),
      h('label', { class: 'check' }, f.practice, ' Practice submissions after the end'),
      h('label', { class: 'check' }, f.classroom, ' Classroom (every signed-in user takes part, one team each)')),
    probs.el,
    h('div', { class: 'actions' }, button));
  ctx.el.append(form);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    const body = {
      shortname: f.shortname.value.trim(), name: f.name.value.trim(), formal_name: f.formal.value.trim(),
      start_time: fromLocalInput(f.start.value), duration_s: Number(f.duration.value) * 60, freeze_s: Number(f.freeze.value) * 60,
      scoring: f.scoring.value, penalty_min: Number(f.penalty.value), public: f.public.checked, practice_after_end: f.practice.checked,
      classroom: f.classroom.checked, problems: probs.value(),
    };
    if (v.medals) body.medals = v.medals; // PUT replaces the whole object
    if (body.scoring === 'ioi') body.ioi_mode = f.ioi.value;
    if (!/^[a-z0-9_-]{1,36}$/.test(body.shortname)) { msg.error('The short name may have a-z, 0-9, _ and - only (at most 36).'); f.shortname.focus(); return; }
    if (!body.name) { msg.error('Give the contest a name.'); f.name.focus(); return; }
    button.disabled = true;
    try {
      if (c) {
        await put(`/api/contests/${c.id}`, body);
        msg.ok('Saved.');
      } else {
        const r = await post('/api/contests', body);
        ctx.navigate(`/admin/contests/${r.id}?created=1`, { replace: true });
      }
    } catch (err) {
      msg.error(err.message);
    } finally {
      button.disabled = false;
    }
  });
  if (c && admin) {
    const remove = h('button', { type: 'button', class: 'danger' }, 'Delete contest');
    remove.addEventListener('click', async () => {
      if (!window.confirm(`Delete the contest “${c.name}”, its teams and clarifications?`)) return;
      try { await del(`/api/contests/${c.id}`); ctx.navigate('/admin/contests'); } catch (err) { msg.error(err.message); }
    });
    ctx.el.append(h('div', { class: 'actions danger-zone' }, remove));
  }
}

/* Start, pause or resume the countdown, freeze, thaw, finalize: the server says why not (409). */
function stateControls(ctx, c) {
  const msg = messageBox();
  const admin = ctx.app.me.role === 'admin';
  const countdown = c.countdown_paused ? ['resume', 'Resume countdown'] : ['pause', 'Pause countdown'];
  const acts = [['start', 'Start now'], countdown, ['freeze', 'Freeze now'], ['thaw', 'Thaw'], ['finalize', 'Finalize']];
  const buttons = acts.map(([act, text]) => {
    const b = h('button', { type: 'button', class: act === 'finalize' ? 'primary' : '', dataset: { action: act }, disabled: !admin }, text);
    b.addEventListener('click', async () => {
      msg.clear();
      b.disabled = true;
      try {
        const next = await post(`/api/contests/${c.id}/${act}`);
        msg.ok(`Done: the contest is ${next && next.state ? next.state : 'updated'}.`);
        setTimeout(() => { if (!ctx.disposed) ctx.navigate(location.pathname, { replace: true }); }, 800);
      } catch (err) {
        msg.error(err.status === 409 ? `Not now: ${err.message}` : err.message);
      } finally {
        b.disabled = !admin;
      }
    });
    return b;
  });
  return h('section', { class: 'card state-controls', 'aria-label': 'Contest state' },
    h('div', { class: 'actions' }, buttons), msg.el);
}

/* ---- teams ---- */

function findAccounts(x, out = []) {
  if (Array.isArray(x)) { for (const e of x) findAccounts(e, out); return out; }
  if (x && typeof x === 'object') {
    if (typeof x.password === 'string' && (x.username || x.user || x.name)) out.push({ username: x.username || x.user || x.name, password: x.password, team: x.team || x.team_name || '' });
    else for (const v of Object.values(x)) findAccounts(v, out);
  }
  return out;
}

const csvCell = (s) => (/[",\n]/.test(s) ? `"${String(s).replace(/"/g, '""')}"` : String(s));

function passwordsBox(c, accounts) {
  const teams = accounts.some((a) => a.team);
  const csv = (teams ? 'username,password,team\n' : 'username,password\n')
    + accounts.map((a) => [a.username, a.password, ...(teams ? [a.team] : [])].map(csvCell).join(',')).join('\n') + '\n';
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  return h('section', { class: 'card passwords', role: 'region', 'aria-labelledby': 'pw-title' },
    h('h2', { id: 'pw-title' }, 'Generated passwords'),
    h('p', { class: 'notice' }, 'Shown only now: download or copy them before leaving this page.'),
    h('div', { class: 'actions spread' },
      h('a', { class: 'button primary', href: url, download: `${c.shortname}-passwords.csv` }, 'Download CSV'), copyButton(() => csv, 'Copy CSV')),
    h('div', { class: 'table-scroll' }, h('table', { class: 'pw' }, h('thead', null, h('tr', null, h('th', null, 'User'), h('th', null, 'Password'), teams ? h('th', null, 'Team') : null)),
      h('tbody', null, accounts.map((a) => h('tr', null, h('td', null, a.username), h('td', null, h('code', null, a.password)), teams ? h('td', null, a.team) : null))))));
}

export async function juryTeams(ctx) {
  const c = await juryFrame(ctx, `/admin/contests/${ctx.params[0]}/teams`, 'Teams');
  if (!c) return;
  const admin = ctx.app.me.role === 'admin';
  const msg = messageBox();
  const out = h('div');
  const tbody = h('tbody');
  const load = async () => {
    const teams = listOf(await get(`/api/contests/${c.id}/teams?per_page=100`));
    tbody.replaceChildren(...teams.map((t) => {
      const rm = h('button', { type: 'button', class: 'small danger', disabled: !admin }, 'Remove');
      rm.addEventListener('click', async () => {
        if (!window.confirm(`Remove team “${t.name}”?`)) return;
        try { await del(`/api/contests/${c.id}/teams/${t.id}`); await load(); } catch (err) { msg.error(err.message); }
      });
      return h('tr', { dataset: { teamId: t.id } },
        h('td', null, t.label || ''), h('td', null, t.display_name || t.name, t.hidden ? h('span', { class: 'muted' }, ' (hidden)') : null),
        h('td', null, (t.groups || []).map((g) => (typeof g === 'string' ? g : g.name)).join(', ')),
        h('td', null, (t.members || []).map((m) => (typeof m === 'string' ? m : m.username)).join(', ')),
        h('td', null, rm));
    }));
    count.textContent = `${teams.length} team${teams.length === 1 ? '' : 's'}`;
  };
  const count = h('p', { class: 'count' });
  const file = h('input', { id: 'team-file', type: 'file', accept: '.json,.csv,.zip' });
  const importBtn = h('button', { type: 'submit', class: 'primary', disabled: !admin }, 'Import');
  const importForm = h('form', { class: 'card upload-teams', 'aria-labelledby': 'imp-title' },
    h('h2', { id: 'imp-title' }, 'Import teams'),
    h('p', { class: 'hint' }, 'teams.json (CLICS), a class roster as CSV (username,name[,password]; one team per row), or a zip of contest package files.'),
    field('File', file), h('div', { class: 'actions' }, importBtn));
  importForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    const fl = file.files[0];
    if (!fl) { msg.error('Choose a file first.'); return; }
    const ext = fl.name.split('.').pop().toLowerCase();
    const type = { json: 'application/json', csv: 'text/csv', zip: 'application/zip' }[ext];
    if (!type) { msg.error('Choose a .json, .csv or .zip file.'); return; }
    importBtn.disabled = true;
    try {
      const r = await api('POST', `/api/contests/${c.id}/teams/import`, undefined, { raw: await fl.arrayBuffer(), contentType: type });
      const accounts = findAccounts(r);
      msg.ok(`Imported ${fl.name}.`);
      out.replaceChildren(accounts.length ? passwordsBox(c, accounts) : '');
      file.value = '';
      await load();
    } catch (err) {
      msg.error(`Import failed: ${err.message}`);
    } finally {
      importBtn.disabled = !admin;
    }
  });
  const name = h('input', { id: 'team-name', required: true });
  const label = h('input', { id: 'team-label', size: 6 });
  const members = h('input', { id: 'team-members', placeholder: 'alice, bob' });
  const groups = h('input', { id: 'team-groups', placeholder: 'students' });
  const addBtn = h('button', { type: 'submit', disabled: !admin }, 'Add team');
  const addForm = h('form', { class: 'card add-team', 'aria-labelledby': 'add-title', novalidate: true },
    h('h2', { id: 'add-title' }, 'Add a team'),
    h('div', { class: 'row' }, field('Name', name), field('Label', label), field('Members (usernames)', members), field('Groups', groups)),
    h('div', { class: 'actions' }, addBtn));
  const split = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
  addForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    if (!name.value.trim()) { msg.error('Give the team a name.'); name.focus(); return; }
    try {
      await post(`/api/contests/${c.id}/teams`, { name: name.value.trim(), ...(label.value.trim() ? { label: label.value.trim() } : {}), members: split(members.value), groups: split(groups.value) });
      name.value = label.value = members.value = groups.value = '';
      msg.ok('Team added.');
      await load();
    } catch (err) {
      msg.error(err.message);
    }
  });
  ctx.el.append(msg.el, out, h('div', { class: 'two-col' }, importForm, addForm), count,
    h('div', { class: 'table-scroll' }, h('table', { class: 'teams admin' }, h('thead', null, h('tr', null, ['Label', 'Team', 'Groups', 'Members', ''].map((t) => h('th', { scope: 'col' }, t)))), tbody)));
  await load();
}

/* ---- the answer queue ---- */

export async function juryClarifications(ctx) {
  const c = await juryFrame(ctx, `/admin/contests/${ctx.params[0]}/clarifications`, 'Clarifications');
  if (!c) return;
  const teams = new Map();
  try { for (const t of listOf(await get(`/api/contests/${c.id}/teams?per_page=100`))) teams.set(t.id, t); } catch { /* ids only */ }
  const watch = await watchClarifications(ctx, c, { jury: true });
  if (ctx.disposed) return;
  const teamName = (id) => { const t = teams.get(id); return t ? (t.display_name || t.name) : `team ${id}`; };
  const queue = h('ol', { class: 'clars queue' });
  const answered = h('ol', { class: 'clars' });
  const queueEmpty = h('p', { class: 'empty' }, 'No unanswered requests.');
  const forms = new Map(); // question id -> its item with the reply form (kept across repaints)

  const send = async (body, m) => {
    try { await post(`/api/contests/${c.id}/clarifications`, body); return true; } catch (err) { m.error(err.message); return false; }
  };

  const replyItem = (q) => {
    const m = messageBox();
    const text = h('textarea', { class: 'reply-text', rows: 3, 'aria-label': `Answer to request ${q.id}` });
    const prepared = h('select', { class: 'prepared', 'aria-label': 'Prepared answer' }, h('option', { value: '' }, 'Prepared answer…'), PREPARED.map((p) => h('option', { value: p }, p)));
    prepared.addEventListener('change', () => { if (prepared.value) text.value = prepared.value; prepared.value = ''; });
    const toTeam = h('button', { type: 'submit', class: 'primary', dataset: { to: 'team' } }, `Answer ${teamName(q.from_team_id)}`);
    const toAll = h('button', { type: 'submit', dataset: { to: 'all' } }, 'Answer everyone');
    const form = h('form', { class: 'reply', novalidate: true }, prepared, text, m.el, h('div', { class: 'actions' }, toTeam, toAll));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const to = (e.submitter && e.submitter.dataset.to) || 'team';
      if (!text.value.trim()) { m.error('Write an answer or pick a prepared one.'); return; }
      for (const b of [toTeam, toAll]) b.disabled = true;
      await send({ text: text.value, reply_to: q.id, to, team_id: to === 'team' ? q.from_team_id : null }, m);
      for (const b of [toTeam, toAll]) b.disabled = false;
    });
    return h('li', { class: 'clar card request', dataset: { clarId: q.id } }, head(q), h('p', { class: 'clar-text' }, q.text), form);
  };
  const head = (cl) => h('div', { class: 'clar-head' },
    h('strong', null, cl.from_team_id ? teamName(cl.from_team_id) : clarKind(cl) === 'announcement' ? 'Announcement' : cl.to_all ? 'To everyone' : `To ${teamName(cl.to_team_id)}`),
    cl.problem ? labelBadge(c, cl.problem) : h('span', { class: 'muted' }, 'general'),
    h('time', { datetime: cl.time || '' }, fmtWhen(cl.time)));

  const paint = () => {
    const all = watch.list;
    const replies = (q) => all.filter((r) => r.reply_to === q.id);
    const questions = all.filter((x) => x.from_team_id).sort((a, b) => a.id - b.id);
    const open = questions.filter((q) => !isAnswered(q, all));
    queue.replaceChildren(...open.map((q) => { if (!forms.has(q.id)) forms.set(q.id, replyItem(q)); return forms.get(q.id); }));
    for (const id of [...forms.keys()]) if (!open.some((q) => q.id === id)) forms.delete(id);
    queueEmpty.hidden = open.length > 0;
    const done = all.filter((x) => !x.reply_to && isAnswered(x, all)).sort((a, b) => b.id - a.id);
    answered.replaceChildren(...done.map((x) => h('li', { class: 'clar card', dataset: { clarId: x.id } }, head(x), h('p', { class: 'clar-text' }, x.text),
      replies(x).map((r) => h('div', { class: 'clar-reply', dataset: { clarId: r.id } }, h('span', { class: 'muted' }, r.to_all ? 'Answered to everyone: ' : 'Answered: '), r.text)))));
  };
  watch.onChange(paint);

  const am = messageBox();
  const atext = h('textarea', { id: 'announce-text', rows: 2 });
  const aprob = h('select', { id: 'announce-problem' }, h('option', { value: '' }, 'General'), (c.problems || []).map((p) => h('option', { value: p.label }, `Problem ${p.label}`)));
  const announce = h('form', { class: 'card announce', novalidate: true, 'aria-labelledby': 'ann-title' },
    h('h2', { id: 'ann-title' }, 'Announce to everyone'), h('div', { class: 'row' }, field('About', aprob), field('Text', atext)), am.el,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Announce')));
  announce.addEventListener('submit', async (e) => {
    e.preventDefault();
    am.clear();
    if (!atext.value.trim()) { am.error('Write the announcement first.'); return; }
    if (await send({ text: atext.value, reply_to: null, to: 'all', team_id: null, problem: aprob.value || null }, am)) { atext.value = ''; am.ok('Announced.'); }
  });
  ctx.el.append(
    h('section', { 'aria-labelledby': 'q-title' }, h('h2', { id: 'q-title' }, 'Unanswered requests ', watch.badge), queueEmpty, queue),
    announce,
    h('section', { 'aria-labelledby': 'a-title' }, h('h2', { id: 'a-title' }, 'Answered and announced'), answered));
  paint();
}

/* ---- the jury board and balloons ---- */

export async function juryBoard(ctx) {
  const c = await juryFrame(ctx, `/admin/contests/${ctx.params[0]}/scoreboard`, 'Jury board');
  if (!c) return;
  const view = ctx.query.get('view') === 'public' ? 'public' : 'jury';
  document.body.classList.add('wide');
  ctx.onCleanup(() => document.body.classList.remove('wide'));
  const b = `/admin/contests/${c.id}/scoreboard`;
  ctx.el.append(stateControls(ctx, c), h('div', { class: 'toolbar' }, h('nav', { class: 'segmented', 'aria-label': 'View' },
    h('a', { href: b, 'aria-current': view === 'jury' ? 'page' : null }, 'Live (jury)'),
    h('a', { href: `${b}?view=public`, 'aria-current': view === 'public' ? 'page' : null }, 'Public'))));
  const board = await liveBoard(ctx, c, { view });
  if (ctx.disposed) return;
  ctx.el.append(board.el);
}

const DONE_KEY = (cid) => `verdict.balloons.${cid}`;

export async function juryBalloons(ctx) {
  const c = await juryFrame(ctx, `/admin/contests/${ctx.params[0]}/balloons`, 'Balloons');
  if (!c) return;
  let done;
  try { done = new Set(JSON.parse(localStorage.getItem(DONE_KEY(c.id)) || '[]')); } catch { done = new Set(); }
  const save = () => { try { localStorage.setItem(DONE_KEY(c.id), JSON.stringify([...done])); } catch { /* private mode */ } };
  const probs = new Map((c.problems || []).map((p) => [p.label, p]));
  const list = h('ol', { class: 'balloons', 'aria-live': 'polite' });
  const empty = h('p', { class: 'empty' }, 'No problem solved yet.');
  const hideDone = h('input', { type: 'checkbox', id: 'hide-done' });
  const board = await liveBoard(ctx, c, { view: 'jury' });
  if (ctx.disposed) return;
  const paint = () => {
    const items = [];
    for (const row of board.rows.values()) {
      for (const p of row.data.problems || []) {
        if (!p.solved) continue;
        const key = `${row.data.team.id}:${p.label}`;
        items.push({ key, team: row.data.team, label: p.label, time: p.time ?? 0, first: !!p.first });
      }
    }
    items.sort((a, b) => Number(done.has(a.key)) - Number(done.has(b.key)) || a.time - b.time || a.key.localeCompare(b.key));
    list.replaceChildren(...items.filter((it) => !(hideDone.checked && done.has(it.key))).map((it) => {
      const box = h('input', { type: 'checkbox', checked: done.has(it.key), 'aria-label': `Delivered: ${it.label} to ${it.team.name}` });
      box.addEventListener('change', () => { if (box.checked) done.add(it.key); else done.delete(it.key); save(); paint(); });
      return h('li', { class: `balloon card${done.has(it.key) ? ' done' : ''}`, dataset: { teamId: it.team.id, label: it.label } },
        problemBadge(probs.get(it.label) || { label: it.label }, 'big'),
        h('span', { class: 'b-team' }, it.team.display_name || it.team.name, it.team.label ? h('span', { class: 'muted' }, ` ${it.team.label}`) : null),
        h('span', { class: 'b-time' }, `minute ${it.time}`), it.first ? h('strong', { class: 'b-first' }, 'first to solve') : null,
        h('label', { class: 'check' }, box, ' delivered'));
    }));
    empty.hidden = items.length > 0;
  };
  hideDone.addEventListener('change', paint);
  board.onChange = paint;
  ctx.el.append(h('div', { class: 'toolbar' }, h('label', { class: 'check' }, hideDone, ' Hide delivered')), empty, list);
  paint();
}


/* ---- the CLICS event feed, live: /admin/contests/{id}/events ---- */

const EVENTS_KEPT = 500;

/* One line of the feed in a row: its token, type, id and what changed. */
function eventRow(line, ev) {
  const d = ev.data;
  const state = ev.type === 'state' && d ? ['end_of_updates', 'finalized', 'thawed', 'ended', 'frozen', 'started'].find((k) => d[k]) : null;
  const what = d === null ? 'deleted' : state || (d && (d.name || d.text || d.citation || d.judgement_type_id || d.team_id || d.problem_id)) || '';
  return h('tr', { class: ev.data === null ? 'ev-deleted' : null, dataset: { type: ev.type || '' } },
    h('td', { class: 'mono' }, ev.token || ''), h('td', null, ev.type || ''), h('td', { class: 'mono' }, ev.id ?? ''),
    h('td', null, String(what)), h('td', null, h('details', null, h('summary', null, 'JSON'), h('pre', { class: 'ev-json' }, line))));
}

export async function juryEvents(ctx) {
  const c = await juryFrame(ctx, `/admin/contests/${ctx.params[0]}/events`, 'Event feed');
  if (!c) return;
  const tbody = h('tbody', { 'aria-live': 'polite' });
  const count = h('p', { class: 'count' }, '0 lines');
  const status = h('p', { class: 'count ev-status' }, 'connecting…');
  const paused = h('input', { type: 'checkbox', id: 'ev-pause' });
  const types = h('select', { id: 'ev-type', 'aria-label': 'Type' }, h('option', { value: '' }, 'every type'));
  const seenTypes = new Set();
  let lines = 0, since = null, ws = null, stopped = false, timer = null, held = [];
  const shown = (row) => !types.value || row.dataset.type === types.value;
  const add = (row) => {
    row.hidden = !shown(row);
    tbody.prepend(row);
    while (tbody.children.length > EVENTS_KEPT) tbody.lastChild.remove();
  };
  const onLine = (line) => {
    let ev;
    try { ev = JSON.parse(line); } catch { return; }
    if (ev.token) since = ev.token;
    lines++;
    count.textContent = `${lines} line${lines === 1 ? '' : 's'}${since ? ` · token ${since}` : ''}`;
    if (ev.type && !seenTypes.has(ev.type)) { seenTypes.add(ev.type); types.append(h('option', { value: ev.type }, ev.type)); }
    const row = eventRow(line, ev);
    if (paused.checked) held.push(row); else add(row);
  };
  const connect = () => {
    if (stopped) return;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    ws = new WebSocket(`${proto}//${location.host}/ws/contests/${c.id}/events/${since ? `?since_token=${encodeURIComponent(since)}` : ''}`);
    ws.onopen = () => { status.textContent = 'live'; };
    ws.onmessage = (m) => onLine(m.data);
    ws.onclose = (e) => {
      ws = null;
      if (stopped) return;
      if (e.code === 1000) { status.textContent = 'ended: the contest is finalized'; return; }
      status.textContent = e.code === 4401 ? 'session ended' : 'reconnecting…';
      if (e.code !== 4401) timer = setTimeout(connect, 2000); /* resumes after the last token */
    };
  };
  paused.addEventListener('change', () => { if (!paused.checked) { held.forEach(add); held = []; } });
  types.addEventListener('change', () => { for (const row of tbody.children) row.hidden = !shown(row); });
  ctx.onCleanup(() => { stopped = true; clearTimeout(timer); if (ws) { ws.onclose = null; ws.close(); } });
  ctx.el.append(h('div', { class: 'toolbar' }, types, h('label', { class: 'check' }, paused, ' Pause'), count, status),
    h('div', { class: 'table-scroll' }, h('table', { class: 'events admin' },
      h('thead', null, h('tr', null, ['Token', 'Type', 'Id', 'What', ''].map((t) => h('th', { scope: 'col' }, t)))), tbody)));
  connect();
}
