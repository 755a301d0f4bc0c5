// Pieces several pages share.
import { h } from '../dom.js';

/* "Newer · page 2 of 7 · Older" links; href(page) builds each address. */
export function pager(answer, href, labels = ['← Newer', 'Older →']) {
  const pages = Math.max(1, Math.ceil(answer.total / answer.per_page));
  const nav = h('nav', { class: 'pager', 'aria-label': 'Pages' });
  if (pages <= 1) { nav.hidden = true; return nav; }
  const p = answer.page;
  nav.append(
    p > 1 ? h('a', { href: href(p - 1), rel: 'prev' }, labels[0]) : h('span', { class: 'disabled' }, labels[0]),
    h('span', { class: 'where' }, `Page ${p} of ${pages}`),
    p < pages ? h('a', { href: href(p + 1), rel: 'next' }, labels[1]) : h('span', { class: 'disabled' }, labels[1]));
  return nav;
}

/* A label + control pair. */
export function field(label, control, hint) {
  const id = control.id || ('f-' + Math.random().toString(36).slice(2, 9));
  control.id = id;
  const hintEl = hint ? h('small', { class: 'hint', id: id + '-hint' }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl);
}
