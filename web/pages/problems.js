import { get, qs } from '../api.js';
import { h } from '../dom.js';
import { fmtLimitMs, fmtLimitKb } from '../format.js';
import { pager } from './common.js';

export async function problemsPage(ctx) {
  ctx.setTitle('Problems');
  const page = Math.max(1, Number(ctx.query.get('page')) || 1);
  const answer = await get('/api/problems' + qs({ page, per_page: 50 }));
  if (ctx.disposed) return;
  const head = h('div', { class: 'page-head' }, h('h1', null, 'Problems'),
    ctx.app.me.role === 'admin' ? h('a', { class: 'button', href: '/admin/problems/new' }, 'New problem') : null);
  ctx.el.append(head);
  if (!answer.items.length) {
    ctx.el.append(h('p', { class: 'empty' }, ctx.app.me.role === 'admin'
      ? 'No problems yet. Create one or import a package from the admin pages.'
      : 'No problems yet.'));
    return;
  }
  const rows = answer.items.map((p) => h('tr', { dataset: { problemId: p.id } },
    h('td', { class: 'col-title' }, h('a', { href: `/problems/${p.id}` }, p.title), h('span', { class: 'slug' }, p.slug)),
    h('td', { class: 'col-limit' }, fmtLimitMs(p.time_limit_ms)),
    h('td', { class: 'col-limit' }, fmtLimitKb(p.memory_limit_kb)),
    h('td', { class: 'col-link' }, h('a', { href: `/problems/${p.id}/submissions`, 'aria-label': `Submissions of ${p.title}` }, 'Submissions'))));
  ctx.el.append(h('table', { class: 'problems' },
    h('thead', null, h('tr', null,
      h('th', { scope: 'col', class: 'col-title' }, 'Problem'),
      h('th', { scope: 'col', class: 'col-limit' }, 'Time'),
      h('th', { scope: 'col', class: 'col-limit' }, 'Memory'),
      h('th', { scope: 'col', class: 'col-link' }, h('span', { class: 'visually-hidden' }, 'Links')))),
    h('tbody', null, rows)));
  ctx.el.append(pager(answer, (p) => '/' + qs({ page: p > 1 ? p : '' }), ['← Previous', 'Next →']));
}
