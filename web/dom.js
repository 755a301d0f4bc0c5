// DOM helpers. Every piece of user data goes in as text (textContent or a
// text node), never as markup.

const PROPS = new Set(['value', 'checked', 'disabled', 'hidden', 'selected', 'required', 'multiple', 'readOnly', 'tabIndex']);

/* h('a', {href: '/x', class: 'c', on: {click: f}, dataset: {id: 1}}, 'text', child, [more]) */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') el.className = value;
      else if (key === 'text') el.textContent = value;
      else if (key === 'on') for (const [ev, fn] of Object.entries(value)) el.addEventListener(ev, fn);
      else if (key === 'dataset') Object.assign(el.dataset, value);
      else if (PROPS.has(key)) el[key] = value;
      else el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
  return el;
}

/* Sets textContent only when it changes, so that live updates do not touch
   the DOM (or a screen reader) needlessly. */
export function setText(el, text) {
  text = String(text ?? '');
  if (el.textContent !== text) el.textContent = text;
}

export function setData(el, key, value) {
  value = String(value ?? '');
  if (el.dataset[key] !== value) el.dataset[key] = value;
}

/* A message area for errors and confirmations (role=alert for errors). */
export function messageBox() {
  const el = h('p', { class: 'message', hidden: true });
  return {
    el,
    error(text) { el.className = 'message error'; el.setAttribute('role', 'alert'); el.textContent = text; el.hidden = false; },
    ok(text) { el.className = 'message ok'; el.setAttribute('role', 'status'); el.textContent = text; el.hidden = false; },
    clear() { el.hidden = true; el.textContent = ''; },
  };
}

/* Copies text to the clipboard; falls back to a hidden textarea where the
   asynchronous clipboard is missing (plain http on a LAN address). */
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch { /* fall through */ }
  const ta = h('textarea', { class: 'offscreen', readonly: true });
  ta.value = text;
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch { ok = false; }
  ta.remove();
  return ok;
}

export function copyButton(getText, label = 'Copy') {
  const btn = h('button', { type: 'button', class: 'small copy' }, label);
  btn.addEventListener('click', async () => {
    const ok = await copyText(getText());
    btn.textContent = ok ? 'Copied' : 'Copy failed';
    setTimeout(() => { btn.textContent = label; }, 1500);
  });
  return btn;
}
