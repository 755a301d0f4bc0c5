// A live scoreboard table (ICPC or IOI): filled from the REST board, then
// updated row by row from scoreboard_rows messages. Changed cells flash for a
// moment, the viewer's team is highlighted, rows can be filtered by group.
// Every row carries data-team-id; every problem cell data-label and
// data-state (solved, first, pending, failed, empty).

import { h, setText, setData } from './dom.js';
import { problemBadge } from './contest.js';

const FLASH_MS = 2500;

/* The fixed CLICS banner text (notes/contests.md §1.5). */
export function freezeBanner(c) {
  const t = c.times || {};
  const mins = t.freeze && t.end ? Math.round((Date.parse(t.end) - Date.parse(t.freeze)) / 60000)
    : Math.round((c.freeze_s || 0) / 60);
  return `The scoreboard was frozen with ${mins} minutes remaining - submissions in the last ${mins} minutes of the contest are still shown as pending.`;
}

const groupNames = (team) => (team && Array.isArray(team.groups) ? team.groups.map((g) => (typeof g === 'string' ? g : g.name || g.id)) : []);

export class Board {
  /* contest: the contest object; myTeamId: the viewer's team or null;
     teamGroups: Map team id -> [group keys] (from the teams list). */
  constructor({ contest, myTeamId = null, teamGroups = new Map(), groupNames = new Map() }) {
    this.groupNames = groupNames; // group key -> name, for the filter
    this.c = contest;
    this.ioi = contest.scoring === 'ioi';
    this.myTeamId = myTeamId;
    this.teamGroups = teamGroups;
    this.rows = new Map(); // team id -> {tr, data, cells: Map label -> td, sig: Map label -> string}
    this.seq = 0;
    this.group = '';
    this.onChange = null; // called after every load and update
    this.problems = [...(contest.problems || [])].sort((a, b) => (a.ordinal ?? 0) - (b.ordinal ?? 0));
    this.banner = h('p', { class: 'freeze-banner', role: 'status', hidden: true });
    this.notFinal = h('p', { class: 'not-final', hidden: true }, 'Results are not final.');
    this.filter = h('select', { id: 'board-group', 'aria-label': 'Show group' }, h('option', { value: '' }, 'All teams'));
    this.filter.addEventListener('change', () => { this.group = this.filter.value; this.applyFilter(); });
    this.filterField = h('label', { class: 'board-filter', hidden: true }, 'Group ', this.filter);
    this.tbody = h('tbody');
    const cols = [
      h('th', { scope: 'col', class: 'col-rank' }, h('abbr', { title: 'Rank' }, '#')),
      h('th', { scope: 'col', class: 'col-team' }, 'Team'),
      this.ioi ? h('th', { scope: 'col', class: 'col-score' }, 'Score')
        : [h('th', { scope: 'col', class: 'col-solved' }, h('abbr', { title: 'Solved' }, '✓')), h('th', { scope: 'col', class: 'col-time' }, 'Time')],
      this.problems.map((p) => h('th', { scope: 'col', class: 'col-prob', title: p.title || p.label }, problemBadge(p))),
    ];
    this.table = h('table', { class: `scoreboard ${this.ioi ? 'ioi' : 'icpc'}` }, h('thead', null, h('tr', null, cols)), this.tbody);
    this.empty = h('p', { class: 'empty', hidden: true }, 'No teams on this board yet.');
    this.el = h('div', { class: 'board' },
      this.banner, this.notFinal,
      h('div', { class: 'toolbar' }, this.filterField),
      h('div', { class: 'board-scroll' }, this.table), this.empty);
  }

  /* A whole board from REST. */
  load(board) {
    this.tbody.replaceChildren();
    this.rows.clear();
    this.flags(board);
    for (const r of board.rows || []) this.upsert(r, false);
    this.seq = Math.max(this.seq, board.seq || 0);
    this.sort();
    this.refreshGroups();
    if (this.onChange) this.onChange();
  }

  /* A scoreboard_rows message. Returns false when it is older than what we have. */
  apply(msg) {
    if (msg.type !== 'scoreboard_rows') return false;
    if ((msg.seq || 0) && msg.seq < this.seq) return false;
    this.seq = Math.max(this.seq, msg.seq || 0);
    this.flags(msg);
    for (const r of msg.rows || []) this.upsert(r, true);
    this.sort();
    this.refreshGroups();
    if (this.onChange) this.onChange();
    return true;
  }

  flags(m) {
    if ('frozen' in m) this.frozen = !!m.frozen;
    if ('final' in m) this.final = !!m.final;
    if (m.banner) this.bannerText = m.banner;
    if (m.state) this.state = m.state;
    this.banner.hidden = !this.frozen;
    setText(this.banner, this.bannerText || freezeBanner(this.c));
    const final = this.final || this.state === 'finalized' || this.c.state === 'finalized';
    this.notFinal.hidden = final;
    setData(this.el, 'frozen', this.frozen ? '1' : '0');
  }

  upsert(r, live) {
    const id = r.team && r.team.id;
    if (id === undefined) return;
    let row = this.rows.get(id);
    if (!row) {
      const tr = h('tr', { dataset: { teamId: id } });
      row = { tr, data: r, cells: new Map(), sig: new Map(), fixed: {} };
      row.fixed.rank = h('td', { class: 'col-rank' });
      row.fixed.team = h('td', { class: 'col-team' }, h('span', { class: 'team-name' }), h('span', { class: 'team-label' }));
      tr.append(row.fixed.rank, row.fixed.team);
      if (this.ioi) { row.fixed.score = h('td', { class: 'col-score' }); tr.append(row.fixed.score); } else {
        row.fixed.solved = h('td', { class: 'col-solved' });
        row.fixed.time = h('td', { class: 'col-time' });
        tr.append(row.fixed.solved, row.fixed.time);
      }
      for (const p of this.problems) {
        const td = h('td', { class: 'cell', dataset: { label: p.label, state: 'empty' } }, h('span', { class: 'cell-main' }), h('span', { class: 'cell-sub' }));
        row.cells.set(p.label, td);
        tr.append(td);
      }
      this.rows.set(id, row);
      this.tbody.append(tr);
      live = false;
    }
    row.data = r;
    const t = r.team;
    setText(row.fixed.rank, r.rank ?? '');
    setText(row.fixed.team.firstChild, t.display_name || t.name || t.label || `Team ${id}`);
    setText(row.fixed.team.lastChild, t.organization ? String(t.organization.name || t.organization) : '');
    if (this.ioi) setText(row.fixed.score, fmtNum(r.score));
    else { setText(row.fixed.solved, r.solved ?? 0); setText(row.fixed.time, r.time ?? 0); }
    row.tr.classList.toggle('mine', this.myTeamId !== null && id === this.myTeamId);
    const byLabel = new Map((r.problems || []).map((p) => [p.label, p]));
    for (const p of this.problems) this.paintCell(row, p.label, byLabel.get(p.label), live);
  }

  paintCell(row, label, p, live) {
    const td = row.cells.get(label);
    let state = 'empty', main = '', sub = '', title = '';
    if (p) {
      const tries = p.attempts || 0;
      const tryText = (n) => `${n} ${n === 1 ? 'try' : 'tries'}`;
      if (this.ioi) {
        if (p.score !== null && p.score !== undefined && tries > 0) { main = fmtNum(p.score); state = p.score > 0 ? 'solved' : 'failed'; }
        if (p.max_score && p.score >= p.max_score) state = 'solved';
        if (p.pending) { state = 'pending'; sub = `${p.pending} pending`; }
      } else if (p.solved) {
        state = p.first ? 'first' : 'solved';
        main = String(p.time ?? '');
        sub = tryText(tries);
        title = `${label}: solved at minute ${p.time}${p.first ? ', first to solve' : ''} (${tryText(tries)})`;
      } else if (p.pending) {
        state = 'pending';
        main = '?';
        sub = tries ? `${tries} + ${p.pending}` : `${p.pending} pending`;
        title = `${label}: ${p.pending} pending`;
      } else if (tries) {
        state = 'failed';
        main = '✗';
        sub = tryText(tries);
        title = `${label}: ${tryText(tries)}, not solved`;
      }
    }
    const sig = `${state}|${main}|${sub}`;
    if (row.sig.get(label) === sig) return;
    const had = row.sig.has(label);
    row.sig.set(label, sig);
    setData(td, 'state', state);
    setText(td.firstChild, main);
    setText(td.lastChild, sub);
    if (title) td.title = title; else td.removeAttribute('title');
    if (live && had) this.flash(td);
  }

  flash(td) {
    td.classList.remove('changed');
    void td.offsetWidth; // restart the animation
    td.classList.add('changed');
    clearTimeout(td.flashTimer);
    td.flashTimer = setTimeout(() => td.classList.remove('changed'), FLASH_MS);
  }

  sort() {
    const rows = [...this.rows.values()];
    const name = (r) => String(r.data.team.display_name || r.data.team.name || '');
    rows.sort((a, b) => (a.data.rank ?? 1e9) - (b.data.rank ?? 1e9) || name(a).localeCompare(name(b)));
    const current = [...this.tbody.children];
    if (rows.some((r, i) => current[i] !== r.tr)) this.tbody.append(...rows.map((r) => r.tr));
    this.empty.hidden = rows.length > 0;
  }

  groupsOf(id, row) {
    return [...new Set([...(this.teamGroups.get(id) || []), ...groupNames(row.data.team)])];
  }

  refreshGroups() {
    const all = new Set();
    for (const [id, row] of this.rows) for (const g of this.groupsOf(id, row)) all.add(g);
    const have = new Set([...this.filter.options].map((o) => o.value).filter(Boolean));
    for (const g of [...all].sort()) if (!have.has(g)) this.filter.append(h('option', { value: g }, this.groupNames.get(g) || g));
    this.filterField.hidden = all.size === 0;
    this.applyFilter();
  }

  applyFilter() {
    for (const [id, row] of this.rows) {
      const show = !this.group || this.groupsOf(id, row).includes(this.group);
      if (row.tr.hidden === show) row.tr.hidden = !show;
    }
  }
}

function fmtNum(x) {
  if (x === null || x === undefined) return '';
  return Number.isInteger(x) ? String(x) : Number(x).toFixed(2);
}
