// End-to-end tests of the web UI in Debian's headless Chromium, driven by
// playwright-core. Starts the real verdict binary ($VERDICT_BIN) on an
// ephemeral loopback port with a temporary data dir, and checks what a user
// sees: login, live submission lists in several tabs, verdicts, reconnecting
// across a server restart, source privacy, admin pages. Screenshots go to
// $SCREENSHOT_DIR. Exit 0 all passed, 1 a failure, 77 skipped (no Chromium or
// no playwright-core).
import http from 'node:http';
import path from 'node:path';
import {
  addUser, startServer, stopServer, rest, token, waitJudged, step as runStep, skipped, assert, launch, newContext, login,
  shot, waitLive, run, server, foreign, problems, sleep, skip, SHOTS,
} from './lib.mjs';

/* Does this server speak WebSocket? (Not before the ws branch has landed.) */
function probeWebSocket(pathname, tok) {
  return new Promise((resolve) => {
    const req = http.get({
      host: '127.0.0.1', port: server.port, path: `${pathname}?token=${tok}`,
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' },
    });
    req.on('upgrade', (res, socket) => { socket.destroy(); resolve(true); });
    req.on('response', (res) => { res.resume(); resolve(false); });
    req.on('error', () => resolve(false));
    req.setTimeout(5000, () => { req.destroy(); resolve(false); });
  });
}

let hasWs = true;
async function step(name, fn, { live = false } = {}) {
  if (live && !hasWs) { skipped(name, 'the server has no WebSocket endpoints yet'); return; }
  await runStep(name, fn);
}

const connState = (page) => page.getAttribute('#conn', 'data-state');
function rowSel(id) { return `tr[data-submission-id="${id}"]`; }

const AC_SOURCE = (marker) => `# ${marker}\na, b = map(int, input().split())\nprint(a + b)\n`;
const SLOW_SOURCE = 'import time\ntime.sleep(0.25)\na, b = map(int, input().split())\nprint(a + b)\n';
const WA_SOURCE = 'a, b = map(int, input().split())\nprint(a + b + 1)\n';

async function submitFromPage(page, problemId, source) {
  await page.goto(`${server.base}/problems/${problemId}`);
  await page.selectOption('#submit-language', 'python3');
  await page.fill('#submit-source', source);
  await page.click('form.submit button[type=submit]');
  await page.waitForURL(/\/submissions\/\d+$/);
  return Number(page.url().split('/').pop());
}

async function main() {
  addUser('admin', true);
  addUser('alice', false);
  addUser('bob', false);
  await startServer();
  const adminToken = await token('admin');
  const bobToken = await token('bob');
  const langs = await rest('GET', '/api/languages', adminToken);
  if (!langs.json.some((l) => l.id === 'python3')) skip('python3 is not available to the judge');
  const created = await rest('POST', '/api/problems', adminToken, {
    slug: 'sum', title: 'A plus B',
    statement: 'Read two integers $a$ and $b$ ($-10^9 \\le a, b \\le 10^9$) and print $a + b$.\n\n## Input\n\nOne line with *two* integers.\n\n## Output\n\nTheir sum.\n\n<script>alert(1)</script>\n',
    time_limit_ms: 2000, memory_limit_kb: 262144,
    checker: { type: 'tokens' },
    tests: [
      { input: '1 2\n', output: '3\n', sample: true },
      { input: '-5 5\n', output: '0\n', sample: true },
      { input: '100 200\n', output: '300\n' },
      { input: '7 8\n', output: '15\n' },
      { input: '1000000000 1000000000\n', output: '2000000000\n' },
    ],
  });
  assert(created.status === 201, `create problem: ${created.status} ${JSON.stringify(created.json)}`);
  const pid = created.json.id;
  hasWs = await probeWebSocket(`/ws/problems/${pid}/submissions/`, adminToken);
  if (!hasWs) console.log('# this server refuses the WebSocket handshake: the live steps are skipped');

  await launch();

  const alice = await newContext();
  const tabA = await alice.newPage();
  const tabB = await alice.newPage();
  const tabC = await alice.newPage();
  let aliceAC = 0;

  await step('log in through the form; who is logged in is shown', async () => {
    await login(tabA, 'alice');
    assert((await tabA.textContent('#who')).includes('alice'), 'the header does not name alice');
    assert((await tabA.textContent('#who')).includes('user'), 'the header does not show the role');
    await shot(tabA, 'problems-desktop');
  });

  await step('problem page: statement as safe HTML with math, samples, limits, submit form', async () => {
    await tabC.goto(`${server.base}/problems/${pid}`);
    await tabC.waitForSelector('.statement h2');
    assert(await tabC.locator('.statement script').count() === 0, 'a <script> from the statement made it into the page');
    assert(await tabC.locator('.statement .math').count() >= 3, 'no math spans');
    assert((await tabC.textContent('.statement')).includes('≤'), '\\le was not shown as ≤');
    assert(await tabC.locator('.sample').count() === 2, 'samples missing');
    assert((await tabC.textContent('.limits')).includes('2 s'), 'time limit missing');
    const langs = await tabC.$$eval('#submit-language option', (os) => os.map((o) => o.value));
    assert(langs.includes('python3'), 'python3 is not offered');
    await tabC.click('form.submit button[type=submit]');
    await tabC.waitForSelector('form.submit .message.error');
    await shot(tabC, 'problem-desktop');
  });

  await step('two tabs watch the list; a submission from a third goes queued → running → accepted in both, live', async () => {
    for (const t of [tabA, tabB]) {
      await t.goto(`${server.base}/problems/${pid}/submissions`);
      await waitLive(t);
      await t.evaluate(() => { window.__noReload = true; });
    }
    // One worker, busy for a moment with bob's slow submission: alice's waits
    // in the queue long enough to be seen there (the hub may coalesce the
    // states of a submission that moves faster than a socket is written).
    const slow = await rest('POST', `/api/problems/${pid}/submissions`, bobToken, { language: 'python3', source: SLOW_SOURCE });
    assert(slow.status === 201, `bob's slow submission: ${slow.status}`);
    aliceAC = await submitFromPage(tabC, pid, AC_SOURCE('alice-secret-marker'));
    await tabA.waitForSelector(rowSel(aliceAC));
    await tabA.screenshot({ path: path.join(SHOTS, 'submissions-judging-desktop.png') });
    for (const t of [tabA, tabB]) {
      await t.waitForSelector(`${rowSel(aliceAC)}[data-status="done"]`, { timeout: 30000 });
      assert(await t.getAttribute(rowSel(aliceAC), 'data-verdict') === 'AC', 'verdict is not AC');
      assert(await t.evaluate(() => window.__noReload === true), 'the tab reloaded');
      const seen = await t.evaluate((id) => window.__seen[id], String(aliceAC));
      const statuses = seen.map((s) => s.split('/')[0]);
      assert(statuses[0] === 'queued', `first status seen was ${statuses[0]} (${seen.join(' → ')})`);
      assert(statuses.includes('running'), `running never shown (${seen.join(' → ')})`);
      assert(seen[seen.length - 1] === 'done/AC', `last state ${seen[seen.length - 1]}`);
      const order = ['queued', 'compiling', 'running', 'done'];
      for (let i = 1; i < statuses.length; i++)
        assert(order.indexOf(statuses[i]) >= order.indexOf(statuses[i - 1]), `statuses went backwards: ${seen.join(' → ')}`);
      const text = await t.textContent(rowSel(aliceAC));
      assert(text.includes('Accepted'), 'the row does not say Accepted');
      assert(/\d+ (ms|s)/.test(await t.textContent(`${rowSel(aliceAC)} td.col-time`)), 'no time metric after judging');
      assert(await t.$eval(`${rowSel(aliceAC)} .icon`, (el) => el.getAttribute('aria-hidden')) === 'true', 'the icon is not aria-hidden');
    }
    // The submitting tab follows its submission to the end as well.
    await tabC.waitForSelector(`article.submission[data-submission-id="${aliceAC}"][data-status="done"][data-verdict="AC"]`, { timeout: 30000 });
    assert(await tabC.locator('table.tests tbody tr').count() === 5, 'the test table has no row per test');
    assert(await tabC.locator('table.tests tr[data-verdict="AC"]').count() === 5, 'not every test shows AC');
  }, { live: true });

  await step('a desktop notification tells alice that her submission was judged', async () => {
    await sleep(300);
    const notes = [];
    for (const t of [tabA, tabB, tabC]) notes.push(...await t.evaluate(() => window.__notes));
    assert(notes.some((n) => n.title === `Submission ${aliceAC}: Accepted`), `no notification (${JSON.stringify(notes)})`);
  }, { live: true });

  let aliceWA = 0;
  await step('a wrong answer shows its verdict on the submission page and in the list', async () => {
    aliceWA = await submitFromPage(tabC, pid, WA_SOURCE);
    await tabC.waitForSelector(`article.submission[data-status="done"]`, { timeout: 30000 });
    assert(await tabC.getAttribute('article.submission', 'data-verdict') === 'WA', 'not WA');
    assert((await tabC.textContent('article.submission .summary')).includes('Wrong answer'), 'the page does not say Wrong answer');
    assert(await tabC.locator('table.tests tr[data-verdict="WA"]').count() === 1, 'the failing test is not marked WA');
    assert((await tabC.textContent('table.tests')).includes('Not run'), 'later tests are not marked as not run');
    await tabA.waitForSelector(`${rowSel(aliceWA)}[data-verdict="WA"]`, { timeout: 10000 });
    assert((await tabA.textContent(rowSel(aliceWA))).includes('Wrong answer'), 'the list row does not say Wrong answer');
  }, { live: true });

  await step('the "mine" filter shows only alice\'s submissions', async () => {
    const r = await rest('POST', `/api/problems/${pid}/submissions`, bobToken, { language: 'python3', source: WA_SOURCE });
    assert(r.status === 201, `bob's submission: ${r.status}`);
    await tabB.waitForSelector(rowSel(r.json.id), { timeout: 10000 });
    await tabB.click('.segmented a:has-text("Mine")');
    await tabB.waitForURL(/mine=1/);
    await tabB.waitForSelector(rowSel(aliceAC));
    assert(await tabB.locator(rowSel(r.json.id)).count() === 0, "bob's submission is in alice's list");
    await waitLive(tabB);
  }, { live: true });

  await step('server restart: the tab shows reconnecting, comes back live and catches up on a submission made meanwhile', async () => {
    const urls = [];
    tabA.on('websocket', (ws) => urls.push(ws.url()));
    await tabA.goto(`${server.base}/problems/${pid}/submissions`);
    await waitLive(tabA);
    const port = server.port;
    await stopServer();
    await tabA.waitForSelector('#conn[data-state="reconnecting"]', { timeout: 10000 });
    await sleep(2500); // a few failed attempts: the backoff grows
    assert(await connState(tabA) === 'reconnecting', 'not reconnecting while the server is down');
    await startServer(port);
    const r = await rest('POST', `/api/problems/${pid}/submissions`, bobToken, { language: 'python3', source: AC_SOURCE('bob') });
    assert(r.status === 201, `submission after the restart: ${r.status}`);
    await tabA.waitForSelector(`${rowSel(r.json.id)}[data-status="done"][data-verdict="AC"]`, { timeout: 30000 });
    await waitLive(tabA);
    const last = urls[urls.length - 1] || '';
    assert(/\?after=\d+$/.test(last), `the reconnect did not resume with ?after= (${last})`);
    const after = Number(last.split('=').pop());
    assert(after > 0 && after < r.json.seq, `resumed after ${after}, but the new submission has seq ${r.json.seq}`);
  }, { live: true });

  if (!hasWs) {
    const aliceToken = await token('alice');
    const a = await rest('POST', `/api/problems/${pid}/submissions`, aliceToken, { language: 'python3', source: AC_SOURCE('alice-secret-marker') });
    const w = await rest('POST', `/api/problems/${pid}/submissions`, aliceToken, { language: 'python3', source: WA_SOURCE });
    aliceAC = a.json.id;
    aliceWA = w.json.id;
    await waitJudged(aliceAC, aliceToken);
    await waitJudged(aliceWA, aliceToken);
  }

  const bob = await newContext();
  const bobPage = await bob.newPage();
  await step("bob cannot see alice's source", async () => {
    await login(bobPage, 'bob');
    await bobPage.goto(`${server.base}/submissions/${aliceAC}`);
    await bobPage.waitForSelector('article.submission[data-status="done"]');
    assert(await bobPage.locator('pre.source').count() === 0, 'a source is shown');
    assert((await bobPage.textContent('.source-section')).includes('Only the author'), 'no explanation');
    assert(!(await bobPage.content()).includes('alice-secret-marker'), "alice's source is in the page");
    const r = await rest('GET', `/api/submissions/${aliceAC}`, bobToken);
    assert(r.status === 200 && !('source' in r.json), 'the API gives bob the source');
    // and alice does see it
    await tabC.goto(`${server.base}/submissions/${aliceAC}`);
    await tabC.waitForSelector('pre.source');
    assert((await tabC.textContent('pre.source')).includes('alice-secret-marker'), 'alice does not see her source');
  });

  await step('several files through the form: listed, sent together, shown by name on the submission page', async () => {
    await tabC.goto(`${server.base}/problems/${pid}`);
    await tabC.waitForSelector('#submit-file');
    await tabC.setInputFiles('#submit-file', [
      { name: 'main.py', mimeType: 'text/x-python', buffer: Buffer.from('import helper\na, b = map(int, input().split())\nprint(helper.add(a, b))\n') },
      { name: 'helper.py', mimeType: 'text/x-python', buffer: Buffer.from('def add(a, b):\n    return a + b\n') },
    ]);
    await tabC.waitForSelector('#submit-files li:nth-child(2)');
    assert(await tabC.locator('#submit-source').isHidden(), 'the source box is still shown beside the file list');
    assert(await tabC.inputValue('#submit-language') === 'python3', 'the language was not taken from the files');
    assert(await tabC.locator('#submit-entry').isVisible(), 'no entry point field for Python');
    await tabC.click('form.submit button[type=submit]');
    await tabC.waitForURL(/\/submissions\/\d+$/);
    const id = Number(tabC.url().split('/').pop());
    const judged = await waitJudged(id, await token('alice'));
    assert(judged.verdict === 'AC', `the two-file submission got ${judged.verdict}`);
    assert(judged.files.length === 2 && judged.files[1].name === 'helper.py', `files: ${JSON.stringify(judged.files)}`);
    await tabC.waitForSelector('.source-section h3');
    const names = await tabC.$$eval('.source-section h3', (hs) => hs.map((e) => e.textContent));
    assert(names.join(',') === 'main.py,helper.py', `the page shows files ${names.join(',')}`);
  });

  await step('screenshots of the submissions list and a submission page (desktop)', async () => {
    await tabC.goto(`${server.base}/problems/${pid}/submissions`);
    await tabC.waitForSelector(rowSel(aliceWA));
    await shot(tabC, 'submissions-desktop');
    await tabC.goto(`${server.base}/submissions/${aliceWA}`);
    await tabC.waitForSelector('article.submission[data-status="done"]');
    await shot(tabC, 'submission-desktop');
  });

  const admin = await newContext();
  const adminPage = await admin.newPage();
  await step('admin: create a problem with a test, create a user, reset a password, rejudge, import errors', async () => {
    await login(adminPage, 'admin');
    await adminPage.goto(`${server.base}/admin`);
    await adminPage.waitForSelector('.tiles');
    await shot(adminPage, 'admin-desktop');
    await adminPage.goto(`${server.base}/admin/problems/new`);
    await adminPage.fill('#p-title', 'Echo');
    await adminPage.fill('#p-slug', 'echo');
    await adminPage.fill('#p-statement', 'Print the input. $x_1$');
    const io = adminPage.locator('.test-editor textarea');
    await io.nth(0).fill('hello\n');
    await io.nth(1).fill('hello\n');
    await adminPage.click('.problem-form button[type=submit]');
    await adminPage.waitForURL(/\/admin\/problems\/\d+\?created=1$/);
    assert((await adminPage.textContent('.message.ok')).includes('created'), 'no confirmation');
    await shot(adminPage, 'admin-problem-desktop');

    await adminPage.goto(`${server.base}/admin/users`);
    await adminPage.fill('#u-name', 'carol');
    await adminPage.fill('#u-pass', 'carol-password');
    await adminPage.click('form[aria-labelledby="new-user-title"] button[type=submit]');
    await adminPage.waitForSelector('tr:has-text("carol")');
    await adminPage.click('tr:has-text("carol") button:has-text("Reset password")');
    await adminPage.fill('tr:has-text("carol") input[type=password]', 'new-password');
    await adminPage.click('tr:has-text("carol") form.inline button[type=submit]');
    await adminPage.waitForSelector('.message.ok:has-text("Password of carol changed")');
    const relog = await rest('POST', '/api/auth/login', null, { username: 'carol', password: 'new-password' });
    assert(relog.status === 200, 'the new password does not work');
    await shot(adminPage, 'admin-users-desktop');

    await adminPage.goto(`${server.base}/submissions/${aliceWA}`);
    await adminPage.waitForSelector('article.submission[data-status="done"]');
    assert((await adminPage.textContent('pre.source')).includes('a + b + 1'), 'the admin does not see the source');
    if (hasWs) {
      await adminPage.click('#rejudge');
      await adminPage.waitForFunction((id) => (window.__seen[id] || []).some((s) => !s.startsWith('done')), String(aliceWA), { timeout: 10000 });
      await adminPage.waitForSelector('article.submission[data-status="done"][data-verdict="WA"]', { timeout: 30000 });
    }

    await adminPage.goto(`${server.base}/admin/import`);
    await adminPage.setInputFiles('input[type=file]', { name: 'broken.zip', mimeType: 'application/zip', buffer: Buffer.from('this is not a zip') });
    await adminPage.click('button:has-text("Import")');
    await adminPage.waitForSelector('.message.error');
    assert((await adminPage.textContent('.message.error')).startsWith('Import failed: '), 'no error message from the server');
  });

  await step('phone width (360 px): every main page fits without sideways scrolling; log out', async () => {
    const phone = await newContext({ width: 360, height: 740 });
    const p = await phone.newPage();
    await login(p, 'alice');
    await shot(p, 'problems-phone');
    await p.goto(`${server.base}/problems/${pid}`);
    await p.waitForSelector('.statement');
    await shot(p, 'problem-phone');
    await p.goto(`${server.base}/problems/${pid}/submissions`);
    if (hasWs) await waitLive(p);
    else await p.waitForSelector(rowSel(aliceWA));
    await shot(p, 'submissions-phone');
    await p.goto(`${server.base}/submissions/${aliceWA}`);
    await p.waitForSelector('article.submission[data-status="done"]');
    await shot(p, 'submission-phone');
    await phone.close();
    const adminPhone = await newContext({ width: 360, height: 740 });
    const ap = await adminPhone.newPage();
    await login(ap, 'admin');
    await ap.goto(`${server.base}/admin/problems/${pid}`);
    await ap.waitForSelector('.problem-form');
    await shot(ap, 'admin-problem-phone');
    await ap.click('#logout');
    await ap.waitForURL(/\/login$/);
    await ap.goto(`${server.base}/admin`);
    await ap.waitForURL(/\/login\?next=%2Fadmin$/);
    await adminPhone.close();
  });

  await step('no request left the server: every URL the pages asked for is on 127.0.0.1', async () => {
    assert(foreign.length === 0, `requests to other hosts: ${foreign.join(', ')}`);
  });

  await step('no CSP violation and no uncaught error in any page', async () => {
    assert(problems.length === 0, problems.join('\n'));
  });
}

await run(main);
