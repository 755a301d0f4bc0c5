// The REST client. Same-origin fetches with the session cookie; bodies are
// JSON (the server refuses cookie-authenticated changes that are not).

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const listeners = new Set();
/* Called with (ok: boolean) after every request: feeds the connection indicator. */
export function onReachability(fn) { listeners.add(fn); }
function reached(ok) { for (const fn of listeners) fn(ok); }

let onUnauthorized = null;
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

export async function api(method, path, body, options = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (options.raw !== undefined) {
    init.body = options.raw;
    init.headers['Content-Type'] = options.contentType;
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    reached(false);
    throw new ApiError(0, 'network', 'Cannot reach the server. Check your connection and try again.');
  }
  reached(true);
  if (res.status === 204) return null;
  let data = null;
  const type = res.headers.get('Content-Type') || '';
  if (type.startsWith('application/json')) {
    try {
      data = await res.json();
    } catch {
      throw new ApiError(res.status, 'network', 'The answer from the server was cut off. Try again.');
    }
  }
  if (!res.ok) {
    const err = data && data.error;
    const e = new ApiError(res.status, err ? err.code : 'http_' + res.status,
      err ? err.message : `The server answered ${res.status} ${res.statusText}.`);
    if (res.status === 401 && onUnauthorized && !options.noRedirect) onUnauthorized();
    throw e;
  }
  return data;
}

export const get = (path, options) => api('GET', path, undefined, options);
export const post = (path, body, options) => api('POST', path, body, options);
export const put = (path, body, options) => api('PUT', path, body, options);
export const del = (path, options) => api('DELETE', path, undefined, options);

/* Query string from an object, skipping empty values. */
export function qs(params) {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? '?' + s : '';
}
