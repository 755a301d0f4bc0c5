import { get, qs } from '../api.js';
import { h, setText } from '../dom.js';
import { LiveFeed } from '../live.js';
import { SubmissionTable } from '../submissions.js';
import { pager } from './common.js';

const PER_PAGE = 20;

export async function submissionsPage(ctx) {
  const id = ctx.params[0];
  const page = Math.max(1, Number(ctx.query.get('page')) || 1);
  const mine = ctx.query.get('mine') === '1';
  const listPath = mine
    ? '/api/submissions' + qs({ problem: id, user: 'me', page, per_page: PER_PAGE })
    : `/api/problems/${id}/submissions` + qs({ page, per_page: PER_PAGE });
  const [p, answer, latest] = await Promise.all([
    get(`/api/problems/${id}`),
    get(listPath),
    mine ? get(`/api/problems/${id}/submissions` + qs({ per_page: 1 })) : null,
  ]);
  if (ctx.disposed) return;
  ctx.setTitle(`Submissions · ${p.title}`);
  const href = (opts) => `/problems/${id}/submissions` + qs({ mine: opts.mine ? 1 : '', page: opts.page > 1 ? opts.page : '' });
  const count = h('p', { class: 'count', 'aria-live': 'polite' });
  const notice = h('p', { class: 'notice', hidden: true });
  const showCount = (total, newElsewhere) => {
    setText(count, `${total} submission${total === 1 ? '' : 's'}${mine ? ' of yours' : ''}`);
    if (newElsewhere) {
      notice.replaceChildren(`${newElsewhere} new submission${newElsewhere === 1 ? '' : 's'} since this page loaded. `,
        h('a', { href: href({ mine, page: 1 }) }, 'Show the newest'));
      notice.hidden = false;
    }
  };
  const table = new SubmissionTable({ me: ctx.app.me, perPage: PER_PAGE, mine, title: p.title, showScore: p.scoring === 'ioi', onCount: showCount });
  const maxSeq = Math.max(table.fill(answer), ...(latest ? latest.items.map((s) => s.seq || 0) : []));
  showCount(answer.total, 0);
  ctx.el.append(
    h('div', { class: 'page-head' },
      h('h1', null, 'Submissions ', h('span', { class: 'sub' }, '· ', h('a', { href: `/problems/${id}` }, p.title)))),
    h('div', { class: 'toolbar' },
      h('nav', { class: 'segmented', 'aria-label': 'Show' },
        h('a', { href: href({ mine: false }), 'aria-current': mine ? null : 'page' }, 'All'),
        h('a', { href: href({ mine: true }), 'aria-current': mine ? 'page' : null }, 'Mine')),
      count),
    notice,
    table.el,
    pager(answer, (n) => href({ mine, page: n })));
  const feed = new LiveFeed(`/ws/problems/${id}/submissions/`, { after: maxSeq, onMessage: (m) => table.apply(m) }).start();
  ctx.onCleanup(() => feed.stop());
}
