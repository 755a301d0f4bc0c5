import { post } from '../api.js';
import { h, messageBox } from '../dom.js';

/* Only paths inside the app are allowed as ?next= (no open redirect). */
function safeNext(next) {
  return next && /^\/(?!\/)/.test(next) && !next.startsWith('/login') ? next : '/';
}

export async function loginPage(ctx) {
  const next = safeNext(ctx.query.get('next'));
  if (ctx.app.me) { ctx.navigate(next, { replace: true }); return; }
  ctx.setTitle('Log in');
  const msg = messageBox();
  const user = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Log in');
  const form = h('form', { class: 'card login', novalidate: true },
    h('h1', null, 'Log in'),
    h('div', { class: 'field' }, h('label', { for: 'login-username' }, 'Username'), user),
    h('div', { class: 'field' }, h('label', { for: 'login-password' }, 'Password'), pass),
    msg.el,
    h('div', { class: 'actions' }, button));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    if (!user.value.trim() || !pass.value) {
      msg.error('Enter your username and password.');
      (user.value.trim() ? pass : user).focus();
      return;
    }
    button.disabled = true;
    try {
      const answer = await post('/api/auth/login', { username: user.value.trim(), password: pass.value }, { noRedirect: true });
      ctx.app.me = answer.user;
      ctx.refreshHeader();
      ctx.navigate(next, { replace: true });
    } catch (err) {
      msg.error(err.status === 401 ? 'Wrong username or password.' : err.message);
      pass.select();
      pass.focus();
    } finally {
      button.disabled = false;
    }
  });
  ctx.el.append(form);
  user.focus();
}
