// A live table of submissions: rows are updated in place from
// submission_update messages, new ones slide in at the top of page 1, and
// every row carries data-submission-id, data-status and data-verdict.

import { h, setText, setData } from './dom.js';
import { statusOf, fmtMs, fmtKb, fmtWhen, fmtScore } from './format.js';
import { notifyJudged } from './live.js';

export function statusCell(s) {
  const st = statusOf(s);
  const icon = h('span', { class: `icon icon-${st.icon}`, 'aria-hidden': 'true' });
  const text = h('span', { class: 'status-text' }, st.text);
  const el = h('span', { class: `status ${st.kind}` }, icon, text);
  return { el, icon, text };
}

export function updateStatusCell(cell, s) {
  const st = statusOf(s);
  const icls = `icon icon-${st.icon}`;
  if (cell.icon.className !== icls) cell.icon.className = icls;
  setText(cell.text, st.text);
  const cls = `status ${st.kind}`;
  if (cell.el.className !== cls) cell.el.className = cls;
}

/* Options: {me, perPage, showScore, showLabel (a contest's problem label), mine,
   onCount(total)}. */
export class SubmissionTable {
  constructor(opts) {
    this.opts = opts;
    this.rows = new Map(); // id -> {tr, cells, data}
    this.page = 1;
    this.total = 0;
    this.newOnOtherPages = 0;
    const cols = ['id', ...(opts.showLabel ? ['prob'] : []), 'when', 'user', 'lang', 'result', ...(opts.showScore ? ['score'] : []), 'time', 'mem'];
    const names = { id: '#', prob: 'Problem', when: 'When', user: 'User', lang: 'Language', result: 'Result', score: 'Score', time: 'Time', mem: 'Memory' };
    this.cols = cols;
    this.tbody = h('tbody');
    this.empty = h('p', { class: 'empty', hidden: true }, 'No submissions yet.');
    this.table = h('table', { class: 'subs' },
      h('colgroup', null, cols.map((c) => h('col', { class: 'col-' + c }))),
      h('thead', null, h('tr', null, cols.map((c) => h('th', { scope: 'col', class: 'col-' + c }, names[c])))),
      this.tbody);
    this.el = h('div', { class: 'subs-wrap' }, this.table, this.empty);
  }

  /* Fills the table from a REST page answer. Returns the largest seq seen. */
  fill(answer) {
    this.page = answer.page;
    this.total = answer.total;
    this.tbody.replaceChildren();
    this.rows.clear();
    let maxSeq = 0;
    for (const s of answer.items) {
      const row = this.makeRow(s);
      this.tbody.appendChild(row.tr);
      maxSeq = Math.max(maxSeq, s.seq || 0);
    }
    this.refreshEmpty();
    return maxSeq;
  }

  refreshEmpty() {
    this.empty.hidden = this.rows.size > 0;
    this.table.hidden = this.rows.size === 0;
  }

  makeRow(s) {
    const id = s.id ?? s.submission_id;
    const data = { ...s, id };
    const tr = h('tr');
    const cells = {};
    for (const c of this.cols) {
      const td = h('td', { class: 'col-' + c });
      cells[c] = td;
      tr.appendChild(td);
    }
    cells.id.appendChild(h('a', { href: `/submissions/${id}`, 'aria-label': `Submission ${id}` }, String(id)));
    cells.when.appendChild(h('time', { datetime: s.created_at || '' }, fmtWhen(s.created_at)));
    cells.user.title = s.user || '';
    setText(cells.user, s.user);
    setText(cells.lang, s.language);
    if (cells.prob) setText(cells.prob, s.problem_label || '');
    cells.status = statusCell(s);
    cells.result.appendChild(cells.status.el);
    const row = { tr, cells, data };
    this.paint(row, data);
    this.rows.set(id, row);
    return row;
  }

  paint(row, s) {
    const done = s.status === 'done';
    const m = s.metrics || {};
    setData(row.tr, 'submissionId', row.data.id);
    setData(row.tr, 'status', s.status);
    setData(row.tr, 'verdict', s.verdict || '');
    updateStatusCell(row.cells.status, s);
    if (row.cells.score) setText(row.cells.score, done ? fmtScore(s.score) : '');
    setText(row.cells.time, done && s.verdict !== 'CE' ? fmtMs(m.time_ms) : '');
    setText(row.cells.mem, done && s.verdict !== 'CE' ? fmtKb(m.memory_kb) : '');
    const mine = this.opts.me && s.user === this.opts.me.username;
    row.tr.classList.toggle('mine', !!mine);
  }

  /* A submission_update message. */
  apply(msg) {
    if (msg.type !== 'submission_update') return;
    const id = msg.submission_id;
    const row = this.rows.get(id);
    if (row) {
      if ((msg.seq || 0) <= (row.data.seq || 0)) return;
      const before = row.data.status;
      row.data = { ...row.data, ...msg, id };
      this.paint(row, row.data);
      if (before !== 'done' && msg.status === 'done') this.judged(msg);
      return;
    }
    if (this.opts.mine && (!this.opts.me || msg.user !== this.opts.me.username)) return;
    // Not on this page: a submission newer than every row belongs at the top.
    let newest = 0;
    for (const key of this.rows.keys()) newest = Math.max(newest, key);
    if (id <= newest) return;
    if (this.page !== 1) {
      this.newOnOtherPages++;
      this.total++;
      if (this.opts.onCount) this.opts.onCount(this.total, this.newOnOtherPages);
      return;
    }
    const added = this.makeRow(msg);
    added.tr.classList.add('fresh');
    setTimeout(() => added.tr.classList.remove('fresh'), 2500);
    // Keep id order (descending) even if updates of several new ones interleave.
    let before = null;
    for (const tr of this.tbody.children) {
      if (Number(tr.dataset.submissionId) < id) { before = tr; break; }
    }
    this.tbody.insertBefore(added.tr, before);
    this.total++;
    while (this.rows.size > this.opts.perPage) {
      const last = this.tbody.lastElementChild;
      this.rows.delete(Number(last.dataset.submissionId));
      last.remove();
    }
    this.refreshEmpty();
    if (this.opts.onCount) this.opts.onCount(this.total, 0);
    // Judged while this page was not watching (a replay after a reconnect):
    // worth a notification if it is recent, not if it is history.
    if (msg.status === 'done' && Date.now() - Date.parse(msg.created_at) < 10 * 60 * 1000) this.judged(msg);
  }

  judged(msg) {
    if (this.opts.me && msg.user === this.opts.me.username && this.opts.notify !== false)
      notifyJudged(msg, this.opts.title);
  }
}
