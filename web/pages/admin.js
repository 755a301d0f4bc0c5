// Admin pages: problems (create, edit, tests, rejudge, delete, the jury submissions' report), users
// (create, reset password), problem package import.
import { get, post, put, del, api, qs } from '../api.js';
import { h, messageBox } from '../dom.js';
import { fmtLimitMs, fmtLimitKb } from '../format.js';
import { field, pager } from './common.js';

function adminNav(current) {
  const links = [['/admin/problems', 'Problems'], ['/admin/contests', 'Contests'], ['/admin/users', 'Users'], ['/admin/import', 'Import package']];
  return h('nav', { class: 'subnav', 'aria-label': 'Admin' },
    links.map(([href, text]) => h('a', { href, 'aria-current': href === current ? 'page' : null }, text)));
}

export async function adminHome(ctx) {
  ctx.setTitle('Admin');
  const [problems, users] = await Promise.all([get('/api/problems?per_page=1'), get('/api/users?per_page=1')]);
  if (ctx.disposed) return;
  const card = (href, title, text) => h('a', { class: 'card tile', href }, h('h2', null, title), h('p', null, text));
  ctx.el.append(
    h('h1', null, 'Admin'),
    adminNav(''),
    h('div', { class: 'tiles' },
      card('/admin/problems', 'Problems', `${problems.total} problem${problems.total === 1 ? '' : 's'}: create, edit, add tests, rejudge.`),
      card('/admin/contests', 'Contests', 'Contests: times, problems, teams, clarifications, the jury board and balloons.'),
      card('/admin/users', 'Users', `${users.total} user${users.total === 1 ? '' : 's'}: create accounts, reset passwords.`),
      card('/admin/import', 'Import package', 'Upload a problem package (.zip, Kattis format).')));
}

/* ---- problems ---- */

export async function adminProblems(ctx) {
  ctx.setTitle('Problems · Admin');
  const page = Math.max(1, Number(ctx.query.get('page')) || 1);
  const answer = await get('/api/problems' + qs({ page, per_page: 50 }));
  if (ctx.disposed) return;
  const msg = messageBox();
  const rows = answer.items.map((p) => {
    const rejudge = h('button', { type: 'button', class: 'small' }, 'Rejudge all');
    rejudge.addEventListener('click', () => rejudgeProblem(p, msg, rejudge));
    return h('tr', { dataset: { problemId: p.id } },
      h('td', { class: 'col-title' }, h('a', { href: `/admin/problems/${p.id}` }, p.title), h('span', { class: 'slug' }, p.slug)),
      h('td', { class: 'col-limit' }, fmtLimitMs(p.time_limit_ms)),
      h('td', { class: 'col-limit' }, fmtLimitKb(p.memory_limit_kb)),
      h('td', { class: 'col-actions' },
        h('a', { href: `/problems/${p.id}` }, 'View'), ' ',
        h('a', { href: `/problems/${p.id}/submissions` }, 'Submissions'), ' ', rejudge));
  });
  ctx.el.append(
    h('div', { class: 'page-head' }, h('h1', null, 'Problems'), h('a', { class: 'button primary', href: '/admin/problems/new' }, 'New problem')),
    adminNav('/admin/problems'),
    msg.el,
    rows.length ? h('table', { class: 'problems admin' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col', class: 'col-title' }, 'Problem'),
        h('th', { scope: 'col', class: 'col-limit' }, 'Time'),
        h('th', { scope: 'col', class: 'col-limit' }, 'Memory'),
        h('th', { scope: 'col', class: 'col-actions' }, 'Actions'))),
      h('tbody', null, rows)) : h('p', { class: 'empty' }, 'No problems yet.'),
    pager(answer, (n) => '/admin/problems' + qs({ page: n > 1 ? n : '' }), ['← Previous', 'Next →']));
}

async function rejudgeProblem(p, msg, button) {
  if (!window.confirm(`Rejudge every submission of “${p.title}”?`)) return;
  msg.clear();
  button.disabled = true;
  try {
    const r = await post(`/api/problems/${p.id}/rejudge`);
    msg.ok(`${r.requeued} submission${r.requeued === 1 ? '' : 's'} of “${p.title}” queued for rejudging.`);
  } catch (e) {
    msg.error(e.message);
  } finally {
    button.disabled = false;
  }
}

const MAX_INLINE = 64 * 1024; // larger test files are kept as files, not shown in a textarea

function bytes(n) {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
}

/* One editable test: input, output, sample flag, group, points. */
function testEditor(list, test, renumber) {
  const mk = (which) => {
    const text = test[which] ?? '';
    if (text.length > MAX_INLINE) {
      return { el: h('p', { class: 'file-note' }, `${which === 'input' ? 'Input' : 'Output'}: ${test[which + 'Name'] || 'file'} (${bytes(text.length)})`), value: () => text };
    }
    const ta = h('textarea', { class: 'code', rows: 3, spellcheck: 'false' });
    ta.value = text;
    return { el: ta, value: () => ta.value, ta };
  };
  const input = mk('input'), output = mk('output');
  const sample = h('input', { type: 'checkbox', checked: !!test.sample });
  const group = h('input', { type: 'text', value: test.group || '', placeholder: 'secret', size: 10 });
  const points = h('input', { type: 'number', min: 0, step: 'any', value: test.points ?? '', placeholder: '0' });
  const remove = h('button', { type: 'button', class: 'small danger' }, 'Remove');
  const legend = h('legend');
  const fs = h('fieldset', { class: 'test-editor' }, legend,
    h('div', { class: 'test-io' },
      input.ta ? field('Input', input.ta) : input.el,
      output.ta ? field('Expected output', output.ta) : output.el),
    h('div', { class: 'test-meta' },
      h('label', { class: 'check' }, sample, ' Sample (shown in the statement)'),
      field('Group', group), field('Points', points), remove));
  const entry = {
    el: fs,
    legend,
    value: () => {
      const t = { input: input.value(), output: output.value(), sample: sample.checked };
      if (group.value.trim()) t.group = group.value.trim();
      if (points.value !== '') t.points = Number(points.value);
      if (test.name) t.name = test.name;
      return t;
    },
  };
  remove.addEventListener('click', () => {
    list.splice(list.indexOf(entry), 1);
    fs.remove();
    renumber();
  });
  return entry;
}

/* Pairs uploaded files: NAME.in with NAME.ans (or NAME.out); "sample" in the
   path or name marks a sample. */
async function testsFromFiles(files) {
  const byStem = new Map();
  for (const f of files) {
    const path = f.webkitRelativePath || f.name;
    const m = /^(.*)\.(in|ans|out)$/i.exec(path);
    if (!m) continue;
    const e = byStem.get(m[1]) || {};
    e[m[2].toLowerCase() === 'in' ? 'in' : 'ans'] = f;
    byStem.set(m[1], e);
  }
  const stems = [...byStem.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const tests = [], unpaired = [];
  for (const stem of stems) {
    const e = byStem.get(stem);
    if (!e.in || !e.ans) { unpaired.push(stem); continue; }
    const base = stem.split('/').pop();
    tests.push({
      input: await e.in.text(), output: await e.ans.text(), inputName: e.in.name, outputName: e.ans.name,
      sample: /sample/i.test(stem), name: base.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 100),
    });
  }
  tests.sort((a, b) => Number(b.sample) - Number(a.sample));
  return { tests, unpaired };
}

export async function adminProblemEdit(ctx) {
  const id = ctx.params[0];
  const p = id ? await get(`/api/problems/${id}`) : null;
  if (ctx.disposed) return;
  ctx.setTitle(p ? `Edit ${p.title}` : 'New problem');
  const msg = messageBox();
  const flash = ctx.query.get('created') ? 'Problem created.' : null;

  const slug = h('input', { id: 'p-slug', required: true, pattern: '[a-z0-9][a-z0-9_-]*', maxlength: 64, value: p ? p.slug : '', autocapitalize: 'none', spellcheck: 'false' });
  const title = h('input', { id: 'p-title', required: true, maxlength: 200, value: p ? p.title : '' });
  const format = h('select', { id: 'p-format' }, h('option', { value: 'markdown' }, 'Markdown (with $math$)'), h('option', { value: 'text' }, 'Plain text'));
  format.value = p && p.statement_format === 'text' ? 'text' : 'markdown';
  const statement = h('textarea', { id: 'p-statement', rows: 12, class: 'code' });
  statement.value = p ? p.statement || '' : '';
  const time = h('input', { id: 'p-time', type: 'number', min: 1, max: 60000, required: true, value: p ? p.time_limit_ms : 1000 });
  const memory = h('input', { id: 'p-memory', type: 'number', min: 1, max: 4096, step: 'any', required: true, value: p ? p.memory_limit_kb / 1024 : 256 });
  const output = h('input', { id: 'p-output', type: 'number', min: 0.001, max: 1024, step: 'any', required: true, value: p ? p.output_limit_kb / 1024 : 64 });

  const checker = (p && p.checker) || { type: 'tokens' };
  const ctype = h('select', { id: 'p-checker' }, [['exact', 'Exact (trailing whitespace ignored)'], ['tokens', 'Tokens (whitespace-insensitive)'],
    ['float', 'Numbers with tolerance'], ['kattis', 'Kattis default validator'], ['custom', 'Custom (from a package)']]
    .map(([v, t]) => h('option', { value: v, disabled: v === 'custom' && checker.type !== 'custom' }, t)));
  ctype.value = checker.type;
  const num = (v) => h('input', { type: 'number', step: 'any', min: 0, value: v ?? '' });
  const fAbs = num(checker.abs), fRel = num(checker.rel);
  const kCase = h('input', { type: 'checkbox', checked: !!checker.case_sensitive });
  const kSpace = h('input', { type: 'checkbox', checked: !!checker.space_change_sensitive });
  const kAbs = num(checker.float_abs), kRel = num(checker.float_rel);
  const floatOpts = h('div', { class: 'row' }, field('Absolute tolerance', fAbs), field('Relative tolerance', fRel));
  const kattisOpts = h('div', { class: 'row' },
    h('label', { class: 'check' }, kCase, ' Case-sensitive'), h('label', { class: 'check' }, kSpace, ' Space-change-sensitive'),
    field('Float abs', kAbs), field('Float rel', kRel));
  const showChecker = () => { floatOpts.hidden = ctype.value !== 'float'; kattisOpts.hidden = ctype.value !== 'kattis'; };
  ctype.addEventListener('change', showChecker);
  showChecker();

  const tests = [];
  const testsBox = h('div', { class: 'tests-box' });
  const renumber = () => tests.forEach((t, i) => { t.legend.textContent = `Test ${i + 1}`; });
  const addTest = (t) => { const e = testEditor(tests, t, renumber); tests.push(e); testsBox.append(e.el); renumber(); };
  const addButton = h('button', { type: 'button' }, 'Add a test');
  addButton.addEventListener('click', () => { addTest({ sample: tests.length === 0 }); tests[tests.length - 1].el.querySelector('textarea')?.focus(); });
  const filesInput = h('input', { type: 'file', multiple: true, accept: '.in,.ans,.out' });
  const folderInput = h('input', { type: 'file', multiple: true, webkitdirectory: true });
  const uploadMsg = messageBox();
  const onFiles = async (input) => {
    uploadMsg.clear();
    const { tests: found, unpaired } = await testsFromFiles([...input.files]);
    for (const t of found) addTest(t);
    input.value = '';
    if (!found.length) uploadMsg.error('No test found: name the files NAME.in and NAME.ans (or NAME.out).');
    else uploadMsg.ok(`Added ${found.length} test${found.length === 1 ? '' : 's'}${unpaired.length ? `; without a partner: ${unpaired.join(', ')}` : ''}.`);
  };
  filesInput.addEventListener('change', () => onFiles(filesInput));
  folderInput.addEventListener('change', () => onFiles(folderInput));
  if (!p) addTest({ sample: true });

  const save = h('button', { type: 'submit', class: 'primary' }, p ? 'Save changes' : 'Create problem');
  const form = h('form', { class: 'card problem-form', novalidate: true },
    h('fieldset', null, h('legend', null, 'Problem'),
      h('div', { class: 'row' }, field('Title', title), field('Slug', slug, 'lowercase letters, digits, - and _')),
      field('Statement format', format),
      field('Statement', statement, 'Markdown: ## headings, *emphasis*, `code`, lists; math as $a_i \\le 10^9$.')),
    h('fieldset', null, h('legend', null, 'Limits'),
      h('div', { class: 'row' }, field('Time (ms)', time), field('Memory (MiB)', memory), field('Output (MiB)', output))),
    h('fieldset', null, h('legend', null, 'Checker'), field('Type', ctype), floatOpts, kattisOpts),
    h('fieldset', null, h('legend', null, 'Tests'),
      p ? h('p', { class: 'note' }, `This problem has ${p.test_count} test${p.test_count === 1 ? '' : 's'} (${p.samples.length} sample${p.samples.length === 1 ? '' : 's'}). `
        + 'Tests added here replace all of them; add none to keep the current tests.') : h('p', { class: 'note' }, 'Samples run first and are shown in the statement. A problem with points runs every test; one without stops at the first failure.'),
      testsBox,
      h('div', { class: 'row upload' }, addButton, field('Upload test files (NAME.in + NAME.ans)', filesInput), field('Or a folder', folderInput)),
      uploadMsg.el),
    msg.el,
    h('div', { class: 'actions' }, save));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    const body = {
      slug: slug.value.trim(), title: title.value.trim(), statement: statement.value, statement_format: format.value,
      time_limit_ms: Math.round(Number(time.value)), memory_limit_kb: Math.round(Number(memory.value) * 1024),
      output_limit_kb: Math.round(Number(output.value) * 1024),
    };
    if (!body.title) { msg.error('Give the problem a title.'); title.focus(); return; }
    if (!/^[a-z0-9][a-z0-9_-]{0,63}$/.test(body.slug)) { msg.error('The slug must be 1 to 64 lowercase letters, digits, - or _, starting with a letter or digit.'); slug.focus(); return; }
    const c = { type: ctype.value };
    const n = (el) => (el.value === '' ? undefined : Number(el.value));
    if (c.type === 'float') { c.abs = n(fAbs); c.rel = n(fRel); }
    if (c.type === 'kattis') { c.case_sensitive = kCase.checked; c.space_change_sensitive = kSpace.checked; c.float_abs = n(kAbs); c.float_rel = n(kRel); }
    if (c.type !== 'custom') body.checker = JSON.parse(JSON.stringify(c));
    if (tests.length) body.tests = tests.map((t) => t.value());
    else if (!p) { msg.error('Add at least one test.'); return; }
    save.disabled = true;
    try {
      if (p) {
        await put(`/api/problems/${p.id}`, body);
        msg.ok('Saved.');
        if (tests.length) { tests.length = 0; testsBox.replaceChildren(); }
        const fresh = await get(`/api/problems/${p.id}`);
        Object.assign(p, fresh);
      } else {
        const created = await post('/api/problems', body);
        ctx.navigate(`/admin/problems/${created.id}?created=1`, { replace: true });
      }
    } catch (err) {
      msg.error(err.message);
    } finally {
      save.disabled = false;
    }
  });

  const head = h('div', { class: 'page-head' }, h('h1', null, p ? `Edit: ${p.title}` : 'New problem'));
  const side = [];
  if (p) {
    const amsg = messageBox();
    const rejudge = h('button', { type: 'button' }, 'Rejudge all submissions');
    rejudge.addEventListener('click', () => rejudgeProblem(p, amsg, rejudge));
    const remove = h('button', { type: 'button', class: 'danger' }, 'Delete problem');
    remove.addEventListener('click', async () => {
      if (!window.confirm(`Delete “${p.title}” with all its tests and submissions? This cannot be undone.`)) return;
      try {
        await del(`/api/problems/${p.id}`);
        ctx.navigate('/admin/problems', { replace: true });
      } catch (err) { amsg.error(err.message); }
    });
    head.append(h('div', { class: 'head-links' }, h('a', { href: `/problems/${p.id}` }, 'View'), h('a', { href: `/problems/${p.id}/submissions` }, 'Submissions')));
    side.push(h('div', { class: 'actions spread' }, rejudge, remove), amsg.el);
    const report = await verificationBox(p, ctx);
    if (report) side.push(report);
  }
  if (flash) msg.ok(flash);
  ctx.el.append(head, adminNav('/admin/problems'), ...side, form);
}

/* ---- jury submissions: the package's submissions/ against what their folders expect ---- */

function verificationRows(rep) {
  return rep.submissions.map((s) => h('tr', { class: `jury-${s.result.replace(' ', '-')}` },
    h('td', { class: 'code' }, s.submission_id ? h('a', { href: `/submissions/${s.submission_id}` }, s.path) : s.path),
    h('td', null, s.language || '–'),
    h('td', null, s.expected.join(' or ')),
    h('td', null, s.verdict || (s.status && s.status !== 'done' ? s.status : '–')),
    h('td', null, s.time_ms != null ? `${s.time_ms} ms` : '–'),
    h('td', null, h('strong', null, s.result), s.note ? h('div', { class: 'note' }, s.note) : null,
      s.warning ? h('div', { class: 'note' }, s.warning) : null)));
}

function timeLimitLine(t) {
  if (t.state === 'derived') return `Time limit ${fmtLimitMs(t.time_limit_ms)}, derived: the slowest accepted jury run (${t.slowest_ac_ms} ms) × ${t.ac_to_time_limit}, rounded up to a multiple of ${t.time_resolution} s.`;
  if (t.state === 'pending') return `Time limit to be derived from the accepted jury submissions (judged meanwhile with ${fmtLimitMs(t.provisional_time_limit_ms)}).`;
  if (t.state === 'none') return `Time limit ${fmtLimitMs(t.time_limit_ms)}: the package gives none and no accepted jury submission was judged accepted.`;
  return `Time limit ${fmtLimitMs(t.time_limit_ms)}, given by the package.`;
}

// The verification report of a problem's jury submissions, refreshed until complete; null when it has none.
async function verificationBox(p, ctx) {
  let rep;
  try {
    rep = await get(`/api/problems/${p.id}/verification`);
  } catch (err) {
    if (err.status === 404) return null;
    return h('section', { class: 'card verification' }, h('h2', null, 'Jury submissions'), h('p', { class: 'message error' }, err.message));
  }
  const box = h('section', { class: 'card verification' });
  const draw = (r) => {
    const summary = r.complete
      ? (r.ok ? `All ${r.passed} judged jury submissions get what their folders expect.` : `${r.failed} of ${r.passed + r.failed} judged jury submissions do not get what their folders expect.`)
      : `Judging the jury submissions: ${r.pending} to go.`;
    box.replaceChildren(h('h2', null, 'Jury submissions'),
      h('p', { class: r.complete ? (r.ok ? 'message ok' : 'message error') : 'note' }, summary, r.not_judged ? ` ${r.not_judged} not judged (see the notes).` : ''),
      h('p', { class: 'note' }, timeLimitLine(r.time_limit)),
      h('table', { class: 'jury' },
        h('thead', null, h('tr', null, ...['Submission', 'Language', 'Expected', 'Verdict', 'Time', 'Result'].map((t) => h('th', null, t)))),
        h('tbody', null, ...verificationRows(r))));
  };
  draw(rep);
  const refresh = async () => {
    if (ctx.disposed || rep.complete) return;
    try { rep = await get(`/api/problems/${p.id}/verification`); draw(rep); } catch { /* tried again */ }
    setTimeout(refresh, 2000);
  };
  setTimeout(refresh, 2000);
  return box;
}

/* ---- users ---- */

export async function adminUsers(ctx) {
  ctx.setTitle('Users · Admin');
  const page = Math.max(1, Number(ctx.query.get('page')) || 1);
  const answer = await get('/api/users' + qs({ page, per_page: 100 }));
  if (ctx.disposed) return;
  const msg = messageBox();

  const rows = answer.items.map((u) => {
    const pw = h('input', { type: 'password', autocomplete: 'new-password', 'aria-label': `New password for ${u.username}` });
    const saveBtn = h('button', { type: 'submit', class: 'small primary' }, 'Set');
    const cancel = h('button', { type: 'button', class: 'small' }, 'Cancel');
    const form = h('form', { class: 'inline', hidden: true }, pw, saveBtn, cancel);
    const open = h('button', { type: 'button', class: 'small' }, 'Reset password');
    open.addEventListener('click', () => { form.hidden = false; open.hidden = true; pw.focus(); });
    cancel.addEventListener('click', () => { form.hidden = true; open.hidden = false; pw.value = ''; open.focus(); });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      msg.clear();
      if (!pw.value) { msg.error('Type the new password first.'); pw.focus(); return; }
      saveBtn.disabled = true;
      try {
        await put(`/api/users/${u.id}`, { password: pw.value });
        msg.ok(`Password of ${u.username} changed.`);
        form.hidden = true; open.hidden = false; pw.value = '';
      } catch (err) { msg.error(err.message); } finally { saveBtn.disabled = false; }
    });
    return h('tr', { dataset: { userId: u.id } },
      h('td', { class: 'col-id' }, String(u.id)),
      h('td', { class: 'col-user' }, u.username),
      h('td', { class: 'col-role' }, h('span', { class: `role role-${u.role}` }, u.role)),
      h('td', { class: 'col-actions' }, open, form));
  });

  const name = h('input', { id: 'u-name', required: true, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { id: 'u-pass', type: 'password', required: true, autocomplete: 'new-password' });
  const role = h('select', { id: 'u-role' }, h('option', { value: 'user' }, 'user (student)'), h('option', { value: 'admin' }, 'admin (teacher)'));
  const create = h('button', { type: 'submit', class: 'primary' }, 'Create user');
  const cmsg = messageBox();
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'new-user-title' },
    h('h2', { id: 'new-user-title' }, 'New user'),
    h('div', { class: 'row' }, field('Username', name), field('Password', pass), field('Role', role)),
    cmsg.el, h('div', { class: 'actions' }, create));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    cmsg.clear();
    if (!name.value.trim() || !pass.value) { cmsg.error('Username and password are both needed.'); return; }
    create.disabled = true;
    try {
      const u = await post('/api/users', { username: name.value.trim(), password: pass.value, role: role.value });
      ctx.navigate('/admin/users' + qs({ created: u.username }), { replace: true });
    } catch (err) { cmsg.error(err.message); } finally { create.disabled = false; }
  });
  const created = ctx.query.get('created');
  if (created) msg.ok(`User ${created} created.`);

  ctx.el.append(
    h('h1', null, 'Users'),
    adminNav('/admin/users'),
    msg.el,
    h('table', { class: 'users' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col', class: 'col-id' }, '#'),
        h('th', { scope: 'col', class: 'col-user' }, 'Username'),
        h('th', { scope: 'col', class: 'col-role' }, 'Role'),
        h('th', { scope: 'col', class: 'col-actions' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
      h('tbody', null, rows)),
    pager(answer, (n) => '/admin/users' + qs({ page: n > 1 ? n : '' }), ['← Previous', 'Next →']),
    form);
}

/* ---- package import ---- */

export async function adminImport(ctx) {
  ctx.setTitle('Import package · Admin');
  const msg = messageBox();
  const file = h('input', { type: 'file', accept: '.zip,application/zip', required: true });
  const slug = h('input', { pattern: '[a-z0-9][a-z0-9_-]*', maxlength: 64, autocapitalize: 'none', spellcheck: 'false' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Import');
  const result = h('div', { hidden: true });
  const form = h('form', { class: 'card', novalidate: true },
    h('p', null, 'A problem package in the Kattis format, zipped: problem.yaml, problem_statement/, data/sample, data/secret and, if any, output_validators/. '
      + 'A package whose slug exists already updates that problem (its submissions are kept).'),
    field('Package (.zip)', file),
    field('Slug (optional)', slug, 'default: the top folder of the zip, or a name derived from the problem name'),
    msg.el, result,
    h('div', { class: 'actions' }, button));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    result.hidden = true;
    const f = file.files[0];
    if (!f) { msg.error('Choose a .zip file first.'); file.focus(); return; }
    button.disabled = true;
    button.textContent = 'Importing…';
    try {
      const r = await api('POST', '/api/problems/import' + qs({ slug: slug.value.trim() }), undefined, { raw: f, contentType: 'application/zip' });
      const v = r.verification;
      msg.ok(`Imported “${r.slug}”.` + (v && v.submissions.length ? ` ${v.submissions.length} jury submissions: their report is on the problem's page.` : ''));
      const warnings = (r.warnings || []).map((w) => h('li', null, w));
      result.replaceChildren(h('a', { href: `/problems/${r.id}` }, 'View the problem'), ' · ',
        h('a', { href: `/admin/problems/${r.id}` }, v && v.submissions.length ? 'Edit it and see the jury report' : 'Edit it'),
        warnings.length ? h('ul', { class: 'import-warnings', 'aria-label': 'Warnings' }, warnings) : null);
      result.hidden = false;
    } catch (err) {
      msg.error(`Import failed: ${err.message}`);
    } finally {
      button.disabled = false;
      button.textContent = 'Import';
    }
  });
  ctx.el.append(h('h1', null, 'Import a problem package'), adminNav('/admin/import'), form);
}
