// Live updates over the WebSocket endpoints, with reconnects that miss
// nothing: a feed remembers the largest seq it has seen and reconnects with
// ?after=SEQ, so the server first replays every change made meanwhile (also
// across a server restart), then continues live.

import { get, onReachability } from './api.js';
import { VERDICTS } from './format.js';

const SESSION_ENDED = 4401; // close code: the socket's login session ended

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];
const BACKOFF_MAX_MS = 10000;

const feeds = new Set();
const stateListeners = new Set();
let restOk = true;

/* The whole page's connection state, for the indicator:
   'live' | 'connecting' | 'reconnecting' | 'offline' | 'online' (no live feed). */
export function connectionState() {
  if (!navigator.onLine) return { state: 'offline' };
  if (feeds.size === 0) return { state: restOk ? 'online' : 'offline' };
  let retryAt = 0, connecting = false;
  for (const f of feeds) {
    if (f.state === 'open') continue;
    if (f.state === 'waiting') retryAt = Math.max(retryAt, f.retryAt);
    else connecting = true;
    if (f.everOpened || f.failures > 0) return { state: 'reconnecting', retryAt };
  }
  if (connecting || retryAt) return { state: 'connecting' };
  return { state: 'live' };
}

export function onConnectionChange(fn) { stateListeners.add(fn); fn(connectionState()); }
function changed() {
  const s = connectionState();
  for (const fn of stateListeners) fn(s);
}

onReachability((ok) => { if (ok !== restOk) { restOk = ok; changed(); } });
window.addEventListener('online', () => { for (const f of feeds) f.wake(); changed(); });
window.addEventListener('offline', changed);

export class LiveFeed {
  /* path: '/ws/problems/3/submissions/' (may carry a query); after: the largest seq already known
     (from the REST answer), or 0; onMessage(msg); onResume() after every
     reconnect (not the first connect). */
  constructor(path, { after = 0, onMessage, onResume }) {
    this.path = path;
    this.after = after;
    this.onMessage = onMessage;
    this.onResume = onResume;
    this.state = 'idle';
    this.failures = 0;
    this.everOpened = false;
    this.ws = null;
    this.timer = null;
    this.retryAt = 0;
    this.stopped = false;
  }

  start() {
    feeds.add(this);
    this.connect();
    return this;
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    feeds.delete(this);
    if (this.ws) {
      this.ws.onclose = this.ws.onmessage = this.ws.onerror = this.ws.onopen = null;
      this.ws.close();
      this.ws = null;
    }
    changed();
  }

  /* Raises the resume point: a seq the page already has. */
  saw(seq) { if (seq > this.after) this.after = seq; }

  url() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const sep = this.path.includes('?') ? '&' : '?';
    return `${proto}//${location.host}${this.path}${this.after > 0 ? sep + 'after=' + this.after : ''}`;
  }

  connect() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.state = 'connecting';
    changed();
    let ws;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      const resumed = this.everOpened || this.failures > 0;
      this.everOpened = true;
      this.failures = 0;
      this.state = 'open';
      changed();
      if (resumed && this.onResume) this.onResume();
    };
    ws.onmessage = (ev) => {
      let msg;
      try { msg = JSON.parse(ev.data); } catch { return; }
      if (typeof msg.seq === 'number') this.saw(msg.seq);
      this.onMessage(msg);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (ev.code === SESSION_ENDED) {
        /* Its session ended (logout, password reset, expiry): /api/me answers 401,
           which goes to /login, and the feed stops; after a new login elsewhere, go on. */
        this.state = 'waiting';
        get('/api/me').then(() => this.retry(), (e) => (e && e.status === 401 ? this.stop() : this.retry()));
        return;
      }
      if (!opened) this.failures++;
      this.retry();
      if (!opened) this.checkSession();
    };
  }

  retry() {
    if (this.stopped) return;
    const base = this.failures === 0 ? 250 : Math.min(BACKOFF_MS[this.failures - 1] ?? BACKOFF_MAX_MS, BACKOFF_MAX_MS);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.state = 'waiting';
    this.retryAt = Date.now() + delay;
    this.timer = setTimeout(() => this.connect(), delay);
    changed();
  }

  /* Back online or the page became visible again: try now. */
  wake() {
    if (this.state === 'waiting') this.connect();
  }

  /* A refused handshake looks like any network failure from here; an expired
     session shows on the REST side (and sends the page to /login). */
  checkSession() {
    get('/api/me').catch(() => {});
  }
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') for (const f of feeds) f.wake();
});

/* ---- desktop notifications ---- */

const NOTIFIED_KEY = 'verdict.notified';

export function notificationsAvailable() {
  return 'Notification' in window;
}

function alreadyNotified(key) {
  let list = [];
  try { list = JSON.parse(localStorage.getItem(NOTIFIED_KEY) || '[]'); } catch { list = []; }
  if (!Array.isArray(list)) list = [];
  if (list.includes(key)) return true;
  list.push(key);
  try { localStorage.setItem(NOTIFIED_KEY, JSON.stringify(list.slice(-100))); } catch { /* private mode */ }
  return false;
}

/* Tells the user (when they allowed it) that their submission was judged.
   Several tabs may see the same update; only the first one notifies. */
export function notifyJudged(msg, title) {
  if (!notificationsAvailable() || Notification.permission !== 'granted') return;
  if (alreadyNotified(`${msg.submission_id}:${msg.seq}`)) return;
  const verdict = VERDICTS[msg.verdict] || msg.verdict;
  try {
    const n = new Notification(`Submission ${msg.submission_id}: ${verdict}`, {
      body: title ? `${title}` : '',
      tag: `verdict-${msg.submission_id}`,
    });
    n.onclick = () => { window.focus(); window.dispatchEvent(new CustomEvent('verdict:navigate', { detail: `/submissions/${msg.submission_id}` })); };
  } catch { /* some platforms allow notifications only from a service worker */ }
}

/* A desktop notification (when the user allowed them), once per key across
   tabs; a click brings the tab forward and opens href. */
export function notify(key, title, body, href) {
  if (!notificationsAvailable() || Notification.permission !== 'granted') return;
  if (alreadyNotified(key)) return;
  try {
    const n = new Notification(title, { body, tag: `verdict-${key}` });
    n.onclick = () => { window.focus(); if (href) window.dispatchEvent(new CustomEvent('verdict:navigate', { detail: href })); };
  } catch { /* some platforms allow notifications only from a service worker */ }
}
