import { get, post } from '../api.js';
import { h, setText, setData, copyButton, messageBox } from '../dom.js';
import { fmtMs, fmtKb, fmtWhen, fmtScore, VERDICTS } from '../format.js';
import { LiveFeed, notifyJudged } from '../live.js';
import { statusCell, updateStatusCell } from '../submissions.js';

export async function submissionPage(ctx) {
  const id = ctx.params[0];
  let sub = await get(`/api/submissions/${id}`);
  const problem = await get(`/api/problems/${sub.problem_id}`).catch(() => null);
  if (ctx.disposed) return;
  const me = ctx.app.me;
  const admin = me.role === 'admin';
  const title = problem ? problem.title : `Problem ${sub.problem_id}`;
  ctx.setTitle(`Submission ${id}`);

  const results = new Map(); // test index -> result
  const status = statusCell(sub);
  const fields = {
    score: h('dd'), time: h('dd'), memory: h('dd'), tests: h('dd'),
  };
  const article = h('article', { class: 'submission', 'aria-labelledby': 'sub-title' });
  const summary = h('dl', { class: 'summary' },
    h('dt', null, 'Result'), h('dd', { class: 'result' }, status.el),
    h('dt', null, 'Problem'), h('dd', null, h('a', { href: `/problems/${sub.problem_id}` }, title)),
    h('dt', null, 'User'), h('dd', null, sub.user),
    h('dt', null, 'Language'), h('dd', null, sub.language),
    h('dt', null, 'Submitted'), h('dd', null, h('time', { datetime: sub.created_at }, fmtWhen(sub.created_at))),
    h('dt', null, 'Tests passed'), fields.tests,
    h('dt', null, 'Time'), fields.time,
    h('dt', null, 'Memory'), fields.memory,
    problem && problem.scoring === 'ioi' ? [h('dt', null, 'Score'), fields.score] : null);

  const actions = h('div', { class: 'actions' });
  const msg = messageBox();
  if (admin) {
    const rejudge = h('button', { type: 'button', id: 'rejudge' }, 'Rejudge');
    rejudge.addEventListener('click', async () => {
      msg.clear();
      rejudge.disabled = true;
      try {
        await post(`/api/submissions/${id}/rejudge`);
        msg.ok('Queued for rejudging.');
      } catch (e) {
        msg.error(e.message);
      } finally {
        rejudge.disabled = false;
      }
    });
    actions.append(rejudge);
  }

  const testsBody = h('tbody');
  const testsTable = h('table', { class: 'tests' },
    h('colgroup', null, ['idx', 'group', 'result', 'time', 'mem'].map((c) => h('col', { class: 'col-' + c }))),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col', class: 'col-idx' }, 'Test'),
      h('th', { scope: 'col', class: 'col-group' }, 'Group'),
      h('th', { scope: 'col', class: 'col-result' }, 'Result'),
      h('th', { scope: 'col', class: 'col-time' }, 'Time'),
      h('th', { scope: 'col', class: 'col-mem' }, 'Memory'))),
    testsBody);
  const testRows = [];

  /* What failed tests left for the team: its output beside the expected one
     on a sample (never a hidden test), and the validator's message. */
  const feedbackSection = h('section', { class: 'feedback', hidden: true, 'aria-labelledby': 'feedback-title' });
  let feedbackShown = '';
  function paintFeedback() {
    const items = [...results.values()].filter((t) => typeof t.output === 'string' || typeof t.team_message === 'string')
      .sort((a, b) => a.index - b.index);
    const key = JSON.stringify(items.map((t) => [t.index, t.output, t.expected, t.team_message]));
    if (key === feedbackShown) return;
    feedbackShown = key;
    feedbackSection.hidden = !items.length;
    const io = (what, text) => h('div', { class: 'sample-io' },
      h('div', { class: 'sample-head' }, h('h4', null, what), copyButton(() => text, `Copy ${what.toLowerCase()}`)),
      h('pre', { class: 'sample-text' }, text));
    feedbackSection.replaceChildren(h('h2', { id: 'feedback-title' }, 'What the failed tests show'),
      items.map((t) => h('section', { class: 'sample', dataset: { test: t.index }, 'aria-label': `Test ${t.index}` },
        h('h3', { class: 'sample-title' }, `Test ${t.index}${t.group === 'sample' ? ' (sample)' : ''}`),
        typeof t.team_message === 'string' ? h('p', { class: 'team-message' }, h('strong', null, 'Validator: '), t.team_message) : null,
        typeof t.output === 'string' ? h('div', { class: 'sample-grid' }, io('Your output', t.output), io('Expected', t.expected || '')) : null)));
  }

  const compileSection = h('section', { class: 'compile', hidden: true, 'aria-labelledby': 'compile-title' },
    h('h2', { id: 'compile-title' }, 'Compiler output'), h('pre', { class: 'output' }));

  const sourceSection = h('section', { class: 'source-section', 'aria-labelledby': 'source-title' });
  if (Array.isArray(sub.files)) {
    /* a multi-file submission: each file under its name */
    sourceSection.append(h('h2', { id: 'source-title' }, `Files (${sub.files.length})`));
    if (sub.entry_point) sourceSection.append(h('p', { class: 'note' }, 'Entry point: ', h('code', null, sub.entry_point)));
    for (const f of sub.files) {
      sourceSection.append(
        h('div', { class: 'section-head' }, h('h3', null, h('code', null, f.name)), copyButton(() => f.content, `Copy ${f.name}`)),
        h('pre', { class: 'source code' }, h('code', null, f.content)));
    }
  } else if (typeof sub.source === 'string') {
    const src = sub.source;
    sourceSection.append(
      h('div', { class: 'section-head' }, h('h2', { id: 'source-title' }, 'Source'), copyButton(() => src, 'Copy source')),
      h('pre', { class: 'source code' }, h('code', null, src)));
  } else {
    sourceSection.append(h('h2', { id: 'source-title' }, 'Source'),
      h('p', { class: 'note' }, 'Only the author of a submission and admins can see its source.'));
  }

  function buildTestRows(total) {
    testRows.length = 0;
    const rows = [];
    for (let i = 1; i <= total; i++) {
      const cells = { idx: h('td', { class: 'col-idx' }, String(i)), group: h('td', { class: 'col-group' }),
        result: h('td', { class: 'col-result' }), time: h('td', { class: 'col-time' }), mem: h('td', { class: 'col-mem' }) };
      const tr = h('tr', { dataset: { test: i } }, Object.values(cells));
      testRows.push({ tr, cells });
      rows.push(tr);
    }
    testsBody.replaceChildren(...rows);
  }

  function paintTests() {
    const total = (sub.metrics && sub.metrics.tests_total) || 0;
    if (testRows.length !== total) buildTestRows(total);
    let next = 1;
    while (results.has(next)) next++;
    testRows.forEach((row, i) => {
      const k = i + 1;
      const r = results.get(k);
      let icon, text, kind;
      if (r) {
        icon = r.verdict === 'AC' ? 'ok' : 'bad';
        text = VERDICTS[r.verdict] || r.verdict;
        kind = r.verdict === 'AC' ? 'ok' : 'bad';
      } else if (sub.status === 'running' && k === next) {
        icon = 'running'; text = 'Running'; kind = 'pending';
      } else if (sub.status === 'done') {
        icon = 'skipped'; text = 'Not run'; kind = 'skipped';
      } else {
        icon = 'queued'; text = 'Waiting'; kind = 'pending';
      }
      setData(row.tr, 'verdict', r ? r.verdict : '');
      setText(row.cells.group, r ? (r.group || '') : '');
      let badge = row.cells.result.firstElementChild;
      if (!badge) {
        badge = h('span', { class: 'status' }, h('span', { class: 'icon', 'aria-hidden': 'true' }), h('span', { class: 'status-text' }));
        row.cells.result.append(badge);
      }
      const cls = `status ${kind}`;
      if (badge.className !== cls) badge.className = cls;
      const icls = `icon icon-${icon}`;
      if (badge.firstElementChild.className !== icls) badge.firstElementChild.className = icls;
      setText(badge.lastElementChild, text);
      setText(row.cells.time, r ? fmtMs(r.time_ms) : '');
      setText(row.cells.mem, r ? fmtKb(r.memory_kb) : '');
    });
  }

  function paint() {
    setData(article, 'submissionId', id);
    setData(article, 'status', sub.status);
    setData(article, 'verdict', sub.verdict || '');
    updateStatusCell(status, sub);
    const m = sub.metrics || {};
    const done = sub.status === 'done';
    setText(fields.tests, m.tests_total ? `${m.tests_passed || 0} of ${m.tests_total}` : '–');
    setText(fields.time, done && sub.verdict !== 'CE' ? fmtMs(m.time_ms) : '–');
    setText(fields.memory, done && sub.verdict !== 'CE' ? fmtKb(m.memory_kb) : '–');
    setText(fields.score, done ? fmtScore(sub.score) || '–' : '–');
    const out = sub.compile_output || '';
    compileSection.hidden = !out;
    setText(compileSection.querySelector('pre'), out);
    paintTests();
    paintFeedback();
  }

  function loadTests(list) {
    results.clear();
    for (const t of list || []) results.set(t.index, t);
  }

  /* The REST view: after a reconnect (test results are not replayed, only the
     submission's state) and when judging ends (compiler output). */
  async function refresh() {
    try {
      const fresh = await get(`/api/submissions/${id}`);
      if (ctx.disposed || (fresh.seq || 0) < (sub.seq || 0)) return;
      sub = { ...sub, ...fresh };
      loadTests(fresh.tests);
      feed.saw(fresh.seq || 0);
      paint();
    } catch { /* the next update or reconnect tries again */ }
  }

  loadTests(sub.tests);
  article.append(
    h('div', { class: 'page-head' }, h('h1', { id: 'sub-title' }, `Submission ${id}`), actions),
    msg.el,
    summary,
    h('section', { class: 'tests-section', 'aria-labelledby': 'tests-title' }, h('h2', { id: 'tests-title' }, 'Tests'), testsTable),
    feedbackSection,
    compileSection,
    sourceSection);
  ctx.el.append(article);
  paint();

  /* The per-submission socket (with test results) is only for its owner and
     the jury: anyone else would be refused the handshake, so they follow the
     submission's status on its problem's socket. */
  /* The source comes with exactly the same right (owner, team, jury, admin). */
  const own = sub.user === me.username || admin || me.role === 'jury' || typeof sub.source === 'string';
  const feed = new LiveFeed(own ? `/ws/submissions/${id}/` : `/ws/problems/${sub.problem_id}/submissions/`, {
    after: sub.seq || 0,
    onResume: refresh,
    onMessage: (m) => {
      if (m.submission_id !== id) return;
      if (m.type === 'test_result') {
        results.set(m.index, m);
        paintTests();
        return;
      }
      if (m.type !== 'submission_update' || (m.seq || 0) <= (sub.seq || 0)) return;
      const before = sub.status;
      if ((m.status === 'queued' || m.status === 'compiling') && before !== m.status) {
        results.clear(); // rejudged: results start over
        sub.compile_output = '';
      }
      sub = { ...sub, ...m };
      paint();
      if (before !== 'done' && m.status === 'done') {
        if (m.user === me.username) notifyJudged(m, title);
        refresh();
      }
    },
  }).start();
  ctx.onCleanup(() => feed.stop());
}
