// The single-page app: router, header (who is logged in, connection
// indicator, notifications), and the page modules under pages/.

import { get, post, setUnauthorizedHandler } from './api.js';
import { h } from './dom.js';
import { onConnectionChange, notificationsAvailable } from './live.js';
import { loginPage } from './pages/login.js';
import { problemsPage } from './pages/problems.js';
import { problemPage } from './pages/problem.js';
import { submissionsPage } from './pages/submissions.js';
import { submissionPage } from './pages/submission.js';
import { adminHome, adminProblems, adminProblemEdit, adminUsers, adminImport } from './pages/admin.js';
import { contestsPage, contestPage, scoreboardPage, clarificationsPage } from './pages/contests.js';
import { juryContests, juryContestEdit, juryTeams, juryClarifications, juryBoard, juryBalloons, juryEvents } from './pages/jury.js';

const routes = [
  { re: /^\/login$/, page: loginPage, public: true },
  { re: /^\/$/, page: problemsPage },
  { re: /^\/problems$/, redirect: '/' },
  { re: /^\/problems\/(\d+)$/, page: problemPage },
  { re: /^\/problems\/(\d+)\/submissions$/, page: submissionsPage },
  { re: /^\/submissions\/(\d+)$/, page: submissionPage },
  { re: /^\/contests$/, page: contestsPage },
  { re: /^\/contests\/(\d+)$/, page: contestPage },
  { re: /^\/contests\/(\d+)\/scoreboard$/, page: scoreboardPage, public: true },
  { re: /^\/contests\/(\d+)\/clarifications$/, page: clarificationsPage },
  { re: /^\/admin\/contests$/, page: juryContests, jury: true },
  { re: /^\/admin\/contests\/new$/, page: juryContestEdit, admin: true },
  { re: /^\/admin\/contests\/(\d+)$/, page: juryContestEdit, jury: true },
  { re: /^\/admin\/contests\/(\d+)\/teams$/, page: juryTeams, jury: true },
  { re: /^\/admin\/contests\/(\d+)\/clarifications$/, page: juryClarifications, jury: true },
  { re: /^\/admin\/contests\/(\d+)\/scoreboard$/, page: juryBoard, jury: true },
  { re: /^\/admin\/contests\/(\d+)\/balloons$/, page: juryBalloons, jury: true },
  { re: /^\/admin\/contests\/(\d+)\/events$/, page: juryEvents, jury: true },
  { re: /^\/admin$/, page: adminHome, admin: true },
  { re: /^\/admin\/problems$/, page: adminProblems, admin: true },
  { re: /^\/admin\/problems\/new$/, page: adminProblemEdit, admin: true },
  { re: /^\/admin\/problems\/(\d+)$/, page: adminProblemEdit, admin: true },
  { re: /^\/admin\/users$/, page: adminUsers, admin: true },
  { re: /^\/admin\/import$/, page: adminImport, admin: true },
];

const app = {
  me: null,
  current: null, // the page context in force
};

const main = document.getElementById('main');

function setTitle(text) {
  document.title = text ? `${text} · verdict` : 'verdict';
}

function renderHeader() {
  const nav = document.getElementById('nav');
  const items = [h('li', null, h('a', { href: '/' }, 'Problems')), h('li', null, h('a', { href: '/contests' }, 'Contests'))];
  if (app.me && app.me.role === 'admin') items.push(h('li', null, h('a', { href: '/admin' }, 'Admin')));
  else if (app.me && app.me.role === 'jury') items.push(h('li', null, h('a', { href: '/admin/contests' }, 'Jury')));
  nav.replaceChildren(...items);
  const who = document.getElementById('who');
  const logout = document.getElementById('logout');
  if (app.me) {
    who.replaceChildren(
      h('span', { class: 'visually-hidden' }, 'Logged in as '),
      h('strong', { class: 'username' }, app.me.username), ' ',
      h('span', { class: `role role-${app.me.role}` }, app.me.role));
    logout.hidden = false;
  } else {
    who.replaceChildren(h('a', { href: '/login' }, 'Log in'));
    logout.hidden = true;
  }
  markCurrentNav();
  renderNotifyButton();
}

function markCurrentNav() {
  for (const a of document.querySelectorAll('#nav a')) {
    const href = a.getAttribute('href');
    const here = href === '/' ? (location.pathname === '/' || location.pathname.startsWith('/problems') || location.pathname.startsWith('/submissions'))
      : location.pathname.startsWith(href);
    if (here) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

function renderNotifyButton() {
  const btn = document.getElementById('notify');
  btn.hidden = !(app.me && notificationsAvailable() && Notification.permission === 'default');
}

document.getElementById('notify').addEventListener('click', async () => {
  try { await Notification.requestPermission(); } catch { /* ignored */ }
  renderNotifyButton();
});

document.getElementById('logout').addEventListener('click', async () => {
  try { await post('/api/auth/logout', undefined, { noRedirect: true }); } catch { /* the session is gone either way */ }
  app.me = null;
  renderHeader();
  navigate('/login', { replace: true });
});

const CONN_TEXT = {
  live: 'Live',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  online: 'Connected',
};

let retryTicker = null;
onConnectionChange((s) => {
  const el = document.getElementById('conn');
  el.dataset.state = s.state;
  const text = el.querySelector('.conn-text');
  const paint = () => {
    let t = CONN_TEXT[s.state] || s.state;
    if (s.state === 'reconnecting' && s.retryAt) {
      const secs = Math.ceil((s.retryAt - Date.now()) / 1000);
      if (secs > 1) t = `Reconnecting in ${secs} s…`;
    }
    if (text.textContent !== t) text.textContent = t;
  };
  clearInterval(retryTicker);
  paint();
  if (s.state === 'reconnecting' && s.retryAt) retryTicker = setInterval(paint, 1000);
});

/* ---- routing ---- */

export function navigate(path, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  route(true);
}

window.addEventListener('verdict:navigate', (e) => navigate(e.detail));

function loginRedirect() {
  const here = location.pathname + location.search;
  const next = here.startsWith('/login') ? '' : `?next=${encodeURIComponent(here)}`;
  navigate('/login' + next, { replace: true });
}

setUnauthorizedHandler(() => {
  if (location.pathname === '/login') return;
  app.me = null;
  renderHeader();
  loginRedirect();
});

function disposeCurrent() {
  const ctx = app.current;
  if (!ctx) return;
  ctx.disposed = true;
  for (const fn of ctx.cleanups.splice(0)) {
    try { fn(); } catch (e) { console.error(e); }
  }
}

async function route(focus) {
  let path = location.pathname;
  if (path.length > 1 && path.endsWith('/')) path = path.replace(/\/+$/, '');
  disposeCurrent();
  let match = null, params = [];
  for (const r of routes) {
    const m = r.re.exec(path);
    if (m) { match = r; params = m.slice(1).map(Number); break; }
  }
  if (match && match.redirect) { navigate(match.redirect, { replace: true }); return; }
  if (match && !match.public && !app.me) { loginRedirect(); return; }
  const section = h('div', { class: 'page' });
  main.replaceChildren(section);
  const ctx = {
    app,
    params,
    query: new URLSearchParams(location.search),
    el: section,
    disposed: false,
    cleanups: [],
    setTitle,
    navigate,
    refreshHeader: renderHeader,
    onCleanup(fn) { if (this.disposed) fn(); else this.cleanups.push(fn); },
  };
  app.current = ctx;
  markCurrentNav();
  if (!match) {
    setTitle('Not found');
    section.append(h('h1', { tabindex: '-1' }, 'Page not found'),
      h('p', null, 'There is no page at this address. ', h('a', { href: '/' }, 'Go to the problems.')));
  } else if ((match.admin && app.me.role !== 'admin') || (match.jury && app.me.role !== 'admin' && app.me.role !== 'jury')) {
    setTitle('Forbidden');
    section.append(h('h1', { tabindex: '-1' }, match.jury ? 'Jury only' : 'Admins only'),
      h('p', null, match.jury ? 'This page is for the jury. ' : 'This page is for admins. ', h('a', { href: '/' }, 'Go to the problems.')));
  } else {
    try {
      await match.page(ctx);
    } catch (e) {
      if (ctx.disposed) return;
      if (e && e.status === 401) return; // on its way to /login
      console.error(e);
      section.replaceChildren(
        h('h1', { tabindex: '-1' }, e && e.status === 404 ? 'Not found' : 'Something went wrong'),
        h('p', { class: 'message error', role: 'alert' }, (e && e.message) || String(e)),
        h('p', null, h('a', { href: location.pathname + location.search }, 'Try again'), ' · ', h('a', { href: '/' }, 'Problems')));
    }
  }
  if (focus && !ctx.disposed) {
    const h1 = section.querySelector('h1');
    if (h1) { h1.tabIndex = -1; h1.focus({ preventScroll: true }); }
    window.scrollTo(0, 0);
  }
}

/* Same-origin links navigate inside the app. */
document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin) return;
  if (!/^\/($|login|problems|submissions|contests|admin)/.test(url.pathname)) return;
  e.preventDefault();
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
  navigate(url.pathname + url.search);
});

window.addEventListener('popstate', () => route(false));

async function boot() {
  try {
    app.me = await get('/api/me', { noRedirect: true });
  } catch (e) {
    app.me = null;
    if (e.status !== 401) {
      main.replaceChildren(h('h1', null, 'Cannot reach the server'), h('p', { class: 'message error', role: 'alert' }, e.message),
        h('p', null, h('a', { href: location.pathname + location.search }, 'Try again')));
      renderHeader();
      return;
    }
  }
  renderHeader();
  route(false);
}

export function setMe(me) {
  app.me = me;
  renderHeader();
}

boot();
