// The jury's event feed page (/admin/contests/{id}/events) in Debian's
// headless Chromium: it shows the CLICS event feed of the contest from its
// WebSocket (/ws/contests/{id}/events/), the lines as they come, newest
// first; an announcement made over REST appears without a reload, the type
// filter keeps only its type, and a reload resumes after the last token.
import {
  addUser, startServer, rest, token, step, assert, launch, newContext, login, shot, run, server, foreign, problems,
  refused,
} from './lib.mjs';

async function main() {
  addUser('admin', true);
  await startServer();
  const adminT = await token('admin');
  const prob = await rest('POST', '/api/problems', adminT, {
    slug: 'sum', title: 'A plus B', statement: 'Print $a + b$.', time_limit_ms: 2000, memory_limit_kb: 262144,
    checker: { type: 'tokens' }, tests: [{ input: '1 2\n', output: '3\n', sample: true }],
  });
  assert(prob.status === 201, `create problem: ${prob.status} ${prob.text}`);
  const contest = await rest('POST', '/api/contests', adminT, {
    shortname: 'feed1', name: 'Feed test', start_time: null, duration_s: 3600, freeze_s: 0, public: true,
    problems: [{ problem_id: prob.json.id, label: 'A', color: '#e53935' }],
  });
  assert(contest.status === 201, `create contest: ${contest.status} ${contest.text}`);
  const cid = contest.json.id;
  assert((await rest('POST', `/api/contests/${cid}/start`, adminT)).status === 200, 'start');

  await launch();
  const ctx = await newContext();
  await ctx.addInitScript(() => {
    const Base = window.WebSocket;
    window.__eventSockets = [];
    window.WebSocket = class extends Base {
      constructor(...a) { super(...a); window.__eventSockets.push(this); }
    };
  });
  const page = await ctx.newPage();
  await login(page, 'admin');

  await step('the page shows the feed from its socket', async () => {
    await page.goto(`${server.base}/admin/contests/${cid}/events`);
    await page.waitForSelector('.ev-status:text("live")');
    await page.waitForSelector('table.events tr[data-type="contest"]');
    await page.waitForSelector('table.events tr[data-type="problems"]');
    assert(ctx.sockets.some((u) => u.endsWith(`/ws/contests/${cid}/events/`)), `sockets: ${ctx.sockets.join(', ')}`);
    const http = await rest('GET', '/api/clics/contests/feed1/event-feed?stream=false', adminT);
    const want = http.text.split('\n').filter((l) => l).length;
    await page.waitForFunction((n) => document.querySelectorAll('table.events tbody tr').length === n, want);
  });

  await step('an announcement appears live, newest first', async () => {
    const r = await rest('POST', `/api/contests/${cid}/clarifications`, adminT, { text: 'Lunch is served.' });
    assert(r.status === 201, `announce: ${r.status} ${r.text}`);
    await page.waitForSelector('table.events tbody tr:first-child[data-type="clarifications"]:has-text("Lunch is served.")');
    await shot(page, 'jury-event-feed');
  });

  await step('the type filter keeps only that type', async () => {
    await page.selectOption('#ev-type', 'clarifications');
    const visible = await page.$$eval('table.events tbody tr', (rows) => rows.filter((r) => !r.hidden).map((r) => r.dataset.type));
    assert(visible.length === 1 && visible[0] === 'clarifications', `visible: ${visible.join(', ')}`);
    await page.selectOption('#ev-type', '');
  });

  await step('a dropped socket resumes after the last token', async () => {
    const before = await page.$$eval('table.events tbody tr', (rows) => rows.length);
    await page.evaluate(() => { for (const ws of window.__eventSockets || []) ws.close(); });
    const r = await rest('POST', `/api/contests/${cid}/clarifications`, adminT, { text: 'Second call.' });
    assert(r.status === 201, `announce: ${r.status}`);
    await page.waitForSelector('table.events tbody tr:first-child:has-text("Second call.")');
    const after = await page.$$eval('table.events tbody tr', (rows) => rows.length);
    assert(after === before + 1, `${before} rows, then ${after}: a resume repeats or misses lines`);
  });

  await step('no request left the server; no CSP violation, uncaught error or refused socket', async () => {
    assert(foreign.length === 0, `requests to other hosts: ${foreign.join(', ')}`);
    assert(problems.length === 0, problems.join('\n'));
    assert(refused.length === 0, `refused sockets:\n${refused.join('\n')}`);
  });
}

await run(main, 120000);
