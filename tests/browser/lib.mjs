// What a browser test needs around the browser: the real verdict binary
// ($VERDICT_BIN) on an ephemeral loopback port with a temporary data dir,
// REST as a client, Debian's Chromium through playwright-core, a tiny TAP
// runner and screenshots in $SCREENSHOT_DIR. A script exits 77 (skip)
// without Chromium or playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export { sleep };
const here = path.dirname(fileURLToPath(import.meta.url));
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const BIN = process.env.VERDICT_BIN;
export const SHOTS = process.env.SCREENSHOT_DIR || path.join(process.cwd(), 'screenshots');

export function skip(why) {
  console.log(`SKIP: ${why}`);
  process.exit(77);
}

if (!BIN) { console.error('VERDICT_BIN is not set'); process.exit(1); }
if (!fs.existsSync(CHROMIUM)) skip(`${CHROMIUM} not found (apt-get install chromium)`);
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  skip(`playwright-core is not installed: run 'npm ci' in ${here}`);
}

/* ---- the server ---- */

export const tmp = fs.mkdtempSync(path.join(process.env.TMPDIR || os.tmpdir(), 'verdict-browser-'));
const data = path.join(tmp, 'data');
export const logPath = path.join(tmp, 'server.log');
const portFile = path.join(tmp, 'port');
export const server = { proc: null, port: 0, base: '' };
export const passwords = {};

export function addUser(name, admin = false) {
  passwords[name] = `${name}-password`;
  const r = spawnSync(BIN, ['user', 'add', name, '--data', data, ...(admin ? ['--admin'] : [])],
    { input: passwords[name] + '\n', encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`verdict user add ${name} failed: ${r.stderr}`);
}

export async function startServer(port = 0) {
  fs.rmSync(portFile, { force: true });
  const log = fs.openSync(logPath, 'a');
  const proc = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--data', data, '--port-file', portFile, '--workers', '1'],
    { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let exited = false;
  proc.on('exit', () => { exited = true; });
  server.proc = proc;
  for (let i = 0; i < 1000; i++) {
    if (exited) throw new Error(`the server exited at start-up; see ${logPath}`);
    const text = fs.existsSync(portFile) ? fs.readFileSync(portFile, 'utf8').trim() : '';
    if (/^\d+$/.test(text)) {
      server.port = Number(text);
      server.base = `http://127.0.0.1:${server.port}`;
      return;
    }
    await sleep(10);
  }
  throw new Error(`the server did not start in 10 s; see ${logPath}`);
}

export async function stopServer() {
  const proc = server.proc;
  if (!proc || proc.exitCode !== null) return;
  const done = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  const t = setTimeout(() => proc.kill('SIGKILL'), 10000);
  await done;
  clearTimeout(t);
  server.proc = null;
}

/* REST as a client with a bearer token (for setting things up). */
export async function rest(method, p, token, body) {
  const res = await fetch(server.base + p, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

export async function token(name) {
  const r = await rest('POST', '/api/auth/login', null, { username: name, password: passwords[name] });
  if (r.status !== 200) throw new Error(`login ${name}: ${r.status}`);
  return r.json.token;
}

export async function waitJudged(id, tok) {
  for (let i = 0; i < 300; i++) {
    const r = await rest('GET', `/api/submissions/${id}`, tok);
    if (r.json && r.json.status === 'done') return r.json;
    await sleep(100);
  }
  throw new Error(`submission ${id} was not judged in 30 s`);
}

/* ---- a tiny runner ---- */

export const results = [];
export function skipped(name, why) {
  results.push({ name, ok: true, skipped: true });
  console.log(`ok ${results.length} - ${name} # SKIP ${why}`);
}

export async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok ${results.length} - ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false });
    console.log(`not ok ${results.length} - ${name}\n  ${String(e && e.stack || e).split('\n').join('\n  ')}`);
  }
}

export function assert(cond, msg) { if (!cond) throw new Error(msg); }

/* ---- the browser ---- */

export const foreign = [];   // requests to any other host
export const problems = [];  // CSP violations, uncaught errors
export const refused = [];   // sockets that closed before they opened
let browser;

export async function launch() {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
  return browser;
}

/* A browser context (a separate user) that records notifications
   (window.__notes: {title, body}), every status a submission row or page goes
   through (window.__seen[id]: ['queued/', ..., 'done/AC']), every scoreboard
   cell that flashed as changed (window.__flashed), and every WebSocket its
   pages open (ctx.sockets). */
export async function newContext(viewport = { width: 1280, height: 800 }) {
  const ctx = await browser.newContext({ viewport, serviceWorkers: 'block' });
  await ctx.grantPermissions(['notifications'], { origin: server.base });
  await ctx.exposeBinding('__verdictRefused', ({ page }, u) => { refused.push(`on ${page.url()}: ${u}`); });
  await ctx.addInitScript(() => {
    window.__notes = [];
    if (window.Notification) {
      const Real = window.Notification;
      window.Notification = class extends Real {
        constructor(title, opts) { super(title, opts); window.__notes.push({ title, body: opts && opts.body }); }
        static get permission() { return Real.permission; }
        static requestPermission(...a) { return Real.requestPermission(...a); }
      };
    }
    // A socket that closes before it opened, without the page closing it, was
    // refused (or could not connect at all): reported to `refused`.
    const RealWS = window.WebSocket;
    window.WebSocket = class extends RealWS {
      constructor(...a) {
        super(...a);
        let opened = false, closing = false;
        const close = this.close.bind(this);
        this.close = (...c) => { closing = true; return close(...c); };
        this.addEventListener('open', () => { opened = true; });
        this.addEventListener('close', (e) => { if (!opened && !closing) window.__verdictRefused(`${this.url} (${e.code})`); });
      }
    };
    window.__seen = {};
    const record = (el) => {
      const id = el.dataset.submissionId;
      const st = `${el.dataset.status}/${el.dataset.verdict || ''}`;
      const list = (window.__seen[id] ||= []);
      if (list[list.length - 1] !== st) list.push(st);
    };
    new MutationObserver((muts) => {
      for (const m of muts) {
        if (m.type === 'attributes' && m.target.dataset && m.target.dataset.submissionId) record(m.target);
        for (const n of m.addedNodes || []) {
          if (n.nodeType !== 1) continue;
          if (n.dataset.submissionId) record(n);
          for (const el of n.querySelectorAll('[data-submission-id]')) record(el);
        }
      }
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status', 'data-verdict', 'data-submission-id'] });
    window.__flashed = [];
    new MutationObserver((muts) => {
      for (const m of muts) {
        const el = m.target;
        if (el.classList && el.classList.contains('changed') && el.dataset.label) {
          const tr = el.closest('tr');
          window.__flashed.push(`${tr ? tr.dataset.teamId : ''}:${el.dataset.label}:${el.dataset.state}`);
        }
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['class'] });
  });
  ctx.sockets = [];
  const watch = (page) => {
    page.on('console', (m) => {
      const t = m.text();
      if (/Content Security Policy|Refused to (execute|load|apply|connect)/i.test(t)) problems.push(`CSP: ${t}`);
    });
    page.on('pageerror', (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
    page.on('websocket', (ws) => {
      ctx.sockets.push(ws.url());
      const u = new URL(ws.url());
      if (u.host !== `127.0.0.1:${server.port}`) foreign.push(ws.url());
    });
  };
  ctx.setDefaultTimeout(15000);
  ctx.on('page', watch);
  ctx.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol === 'data:' || u.protocol === 'blob:') return;
    if (u.host !== `127.0.0.1:${server.port}`) foreign.push(r.url());
  });
  return ctx;
}

export async function login(page, name) {
  await page.goto(server.base + '/login');
  await page.fill('#login-username', name);
  await page.fill('#login-password', passwords[name]);
  await page.click('form.login button[type=submit]');
  await page.waitForURL(server.base + '/');
  await page.waitForSelector('table.problems, .empty');
}

export async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(150); // let a fresh-row highlight settle a little
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 0, `${name}: the page is ${overflow} px wider than the window`);
}

export async function waitLive(page) {
  await page.waitForSelector('#conn[data-state="live"]', { timeout: 15000 });
}

/* Runs main() under a deadline, cleans up, prints the tally, exits. */
export async function run(main, deadlineMs = 150000) {
  const deadline = setTimeout(() => {
    console.log(`not ok - the browser suite took longer than ${deadlineMs / 1000} s`);
    cleanup().finally(() => process.exit(1));
  }, deadlineMs);
  try {
    await main();
  } catch (e) {
    results.push({ name: 'setup', ok: false });
    console.log(`not ok - setup\n  ${e && e.stack || e}`);
    if (fs.existsSync(logPath)) console.log(fs.readFileSync(logPath, 'utf8').split('\n').slice(-20).join('\n'));
  } finally {
    clearTimeout(deadline);
    await cleanup();
  }
  const failed = results.filter((r) => !r.ok).length;
  const skips = results.filter((r) => r.skipped).length;
  console.log(`screenshots in ${SHOTS}`);
  console.log(`${results.length - failed - skips} passed, ${failed} failed${skips ? `, ${skips} skipped` : ''}`);
  process.exit(failed ? 1 : 0);
}

async function cleanup() {
  if (browser) await browser.close().catch(() => {});
  await stopServer();
  if (!process.env.VERDICT_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  else console.log(`kept ${tmp}`);
}
