// End-to-end tests of the contest pages in Debian's headless Chromium: a
// team's accepted submission turns its cell green on a scoreboard open in
// another tab without a reload; during the freeze the other boards show the
// cell pending (the jury's does not) and the banner says so; a clarification
// answered to all pops up on every team's page. Also: the jury pages (editor,
// teams import, state buttons with the server's reason, balloons), the boards
// at 360 px and 1920 px, and that no page opens a socket it is refused.
// The contest, teams and problem are set up over the REST API.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  tmp, addUser, startServer, rest, token, waitJudged, step, assert, launch, newContext, login, shot, waitLive,
  run, server, foreign, problems, refused, sleep,
} from './lib.mjs';

const AC = '# ok\na, b = map(int, input().split())\nprint(a + b)\n';
const WA = 'a, b = map(int, input().split())\nprint(a - b)\n';
const cellSel = (team, label) => `tr[data-team-id="${team}"] td.cell[data-label="${label}"]`;
const SOLVED = ':is([data-state="solved"], [data-state="first"])';

async function main() {
  for (const [n, admin] of [['admin', true], ['alice', false], ['bob', false], ['carl', false]]) addUser(n, admin);
  await startServer();
  const adminT = await token('admin');
  const aliceT = await token('alice');
  const bobT = await token('bob');
  const langs = await rest('GET', '/api/languages', adminT);
  assert(langs.json.some((l) => l.id === 'python3'), 'python3 is not available to the judge');

  const prob = await rest('POST', '/api/problems', adminT, {
    slug: 'sum', title: 'A plus B', statement: 'Print $a + b$.', time_limit_ms: 2000, memory_limit_kb: 262144,
    checker: { type: 'tokens' },
    tests: [{ input: '1 2\n', output: '3\n', sample: true }, { input: '5 7\n', output: '12\n' }],
  });
  assert(prob.status === 201, `create problem: ${prob.status} ${prob.text}`);
  const prob2 = await rest('POST', '/api/problems', adminT, {
    slug: 'sum2', title: 'A plus B again', statement: 'Print $a + b$.', time_limit_ms: 2000, memory_limit_kb: 262144,
    checker: { type: 'tokens' }, tests: [{ input: '1 2\n', output: '3\n', sample: true }],
  });
  assert(prob2.status === 201, `create problem 2: ${prob2.status}`);
  const contest = await rest('POST', '/api/contests', adminT, {
    shortname: 'lab1', name: 'Lab test 1', formal_name: 'Lab test 1', start_time: null,
    duration_s: 3 * 3600, freeze_s: 3600, scoring: 'icpc', penalty_min: 20, public: true, practice_after_end: false,
    problems: [{ problem_id: prob.json.id, label: 'A', color: '#e53935' }, { problem_id: prob2.json.id, label: 'B', color: '#1e88e5' }],
  });
  assert(contest.status === 201, `create contest: ${contest.status} ${contest.text}`);
  const cid = contest.json.id;
  // Groups exist only through an import: a contest package zip with groups.json.
  const pkg = path.join(tmp, 'pkg');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, 'groups.json'), JSON.stringify([
    { id: 'students', name: 'Students', hidden: false }, { id: 'guests', name: 'Guests', hidden: false }]));
  const zipped = spawnSync('python3', ['-m', 'zipfile', '-c', 'package.zip', 'groups.json'], { cwd: pkg, encoding: 'utf8' });
  assert(zipped.status === 0, `zip: ${zipped.stderr}`);
  const imp = await fetch(`${server.base}/api/contests/${cid}/teams/import`, {
    method: 'POST', headers: { Authorization: `Bearer ${adminT}`, 'Content-Type': 'application/zip' },
    body: fs.readFileSync(path.join(pkg, 'package.zip')),
  });
  assert(imp.status === 200, `import groups.json: ${imp.status} ${await imp.text()}`);
  const teams = {};
  for (const [name, member, group] of [['Team Alice', 'alice', 'students'], ['Team Bob', 'bob', 'guests']]) {
    const r = await rest('POST', `/api/contests/${cid}/teams`, adminT,
      { name, display_name: name, label: member, organization: null, groups: [group], hidden: false, members: [member] });
    assert(r.status === 201, `create ${name}: ${r.status} ${r.text}`);
    teams[member] = r.json.id;
  }
  const started = await rest('POST', `/api/contests/${cid}/start`, adminT);
  assert(started.status === 200 && started.json.state === 'running', `start: ${started.status} ${started.text}`);

  await launch();
  const alice = await newContext();
  const board = await alice.newPage();
  const work = await alice.newPage();
  const bob = await newContext();
  const bobPage = await bob.newPage();
  const admin = await newContext();
  const adminPage = await admin.newPage();
  await login(board, 'alice');
  await login(bobPage, 'bob');
  await login(adminPage, 'admin');

  await step('contest list and contest page: state, countdown, problems with labels and colours', async () => {
    await work.goto(`${server.base}/contests`);
    await work.waitForSelector(`tr[data-contest-id="${cid}"] .countdown`);
    assert(/Ends in \d/.test(await work.textContent(`tr[data-contest-id="${cid}"] .countdown`)), 'no countdown to the end in the list');
    await work.click(`tr[data-contest-id="${cid}"] a:has-text("Lab test 1")`);
    await work.waitForSelector('.contest-problems li[data-label="B"]');
    assert(/Ends in (2:5\d|3:00):\d\d/.test(await work.textContent('.contest-head .countdown')), `countdown: ${await work.textContent('.contest-head .countdown')}`);
    const bg = await work.$eval('.contest-problems li[data-label="A"] .pbadge', (el) => getComputedStyle(el).backgroundColor);
    assert(bg === 'rgb(229, 57, 53)', `label A is not in its colour (${bg})`);
    assert((await work.textContent('.my-team')).includes('Team Alice'), 'the page does not name alice\'s team');
    await shot(work, 'contest-desktop');
  });

  let acId = 0;
  await step('a team submits on the contest page and follows its submissions to their verdicts there', async () => {
    await work.selectOption('#c-submit-problem', 'A');
    await work.selectOption('#c-submit-language', 'python3');
    await work.fill('#c-submit-source', WA);
    await work.click('form.contest-submit button[type=submit]');
    await work.waitForSelector('form.contest-submit .message.ok');
    const waId = Number((await work.textContent('form.contest-submit .message.ok')).match(/Submission (\d+)/)[1]);
    await work.waitForSelector(`tr[data-submission-id="${waId}"][data-verdict="WA"]`, { timeout: 30000 });
    await work.fill('#c-submit-source', AC);
    await work.click('form.contest-submit button[type=submit]');
    await work.waitForSelector(`form.contest-submit .message.ok:not(:has-text("Submission ${waId} "))`);
    acId = Number((await work.textContent('form.contest-submit .message.ok')).match(/Submission (\d+)/)[1]);
    await work.waitForSelector(`tr[data-submission-id="${acId}"][data-verdict="AC"]`, { timeout: 30000 });
    const seen = await work.evaluate((id) => window.__seen[id], String(acId));
    assert(seen[0].startsWith('queued/') && seen[seen.length - 1] === 'done/AC', `states seen: ${seen.join(' → ')}`);
    assert((await work.textContent(`tr[data-submission-id="${acId}"] td.col-prob`)) === 'A', 'the row does not name problem A');
  });

  await step('(a) a team submits; its cell turns green on the scoreboard open in another tab, without a reload', async () => {
    await board.goto(`${server.base}/contests/${cid}/scoreboard`);
    await board.waitForSelector(`tr[data-team-id="${teams.alice}"].mine`);
    await waitLive(board);
    await board.evaluate(() => { window.__noReload = true; });
    assert((await board.textContent(cellSel(teams.alice, 'A'))).includes('2 tries'), 'cell A does not count 2 tries');
    assert(await board.getAttribute(cellSel(teams.alice, 'B'), 'data-state') === 'empty', 'cell B is not empty before the submission');
    await work.selectOption('#c-submit-problem', 'B');
    await work.fill('#c-submit-source', AC);
    await work.click('form.contest-submit button[type=submit]');
    await work.waitForSelector('form.contest-submit .message.ok:has-text(" for B ")');
    await board.waitForSelector(`${cellSel(teams.alice, 'B')}${SOLVED}`, { timeout: 30000 });
    assert(await board.evaluate(() => window.__noReload === true), 'the scoreboard tab reloaded');
    const flashed = await board.evaluate(() => window.__flashed);
    assert(flashed.some((f) => f.startsWith(`${teams.alice}:B:`)), `the changed cell was not highlighted (${flashed.join(', ')})`);
    const color = await board.$eval(cellSel(teams.alice, 'B'), (el) => getComputedStyle(el).backgroundColor);
    const [r, g] = color.match(/\d+/g).map(Number);
    assert(g > r, `the solved cell is not green (${color})`);
    assert((await board.textContent(`tr[data-team-id="${teams.alice}"] td.col-solved`)) === '2', 'the solved count is not 2');
    await shot(board, 'scoreboard-desktop');
  });

  await step('(b) during the freeze the public and team boards show a later submission pending; the jury board does not', async () => {
    const fr = await rest('POST', `/api/contests/${cid}/freeze`, adminT);
    assert(fr.status === 200 && fr.json.state === 'frozen', `freeze: ${fr.status} ${fr.text}`);
    const sub = await rest('POST', `/api/contests/${cid}/problems/A/submissions`, bobT, { language: 'python3', source: AC });
    assert(sub.status === 201, `bob's submission: ${sub.status} ${sub.text}`);
    await board.waitForSelector(`${cellSel(teams.bob, 'A')}[data-state="pending"]`, { timeout: 15000 });
    await board.waitForSelector('.freeze-banner:not([hidden])', { timeout: 15000 });
    const banner = await board.textContent('.freeze-banner');
    assert(/^The scoreboard was frozen with \d+ minutes remaining - submissions in the last \d+ minutes of the contest are still shown as pending\.$/.test(banner), `banner: ${banner}`);
    assert(await board.isVisible('.not-final'), '"results are not final" is not shown');
    await waitJudged(sub.json.id, bobT);
    // The anonymous public board (a projector) and bob's own team board.
    const anon = await newContext({ width: 1920, height: 1080 });
    const proj = await anon.newPage();
    await proj.goto(`${server.base}/contests/${cid}/scoreboard`);
    await proj.waitForSelector(cellSel(teams.bob, 'A'));
    assert(await proj.getAttribute(cellSel(teams.bob, 'A'), 'data-state') === 'pending', 'the public board shows the frozen result');
    assert(await proj.isVisible('.freeze-banner'), 'no banner on the public board');
    assert(!/\b(null|undefined)\b/.test(await proj.textContent('main')), 'the page shows null or undefined');
    await shot(proj, 'scoreboard-projector');
    await anon.close();
    await adminPage.goto(`${server.base}/admin/contests/${cid}/scoreboard`);
    await adminPage.waitForSelector(`${cellSel(teams.bob, 'A')}${SOLVED}`, { timeout: 15000 });
    assert(await board.getAttribute(cellSel(teams.bob, 'A'), 'data-state') === 'pending', 'alice\'s board shows bob\'s frozen result');
    await board.reload();
    await board.waitForSelector(cellSel(teams.bob, 'A'));
    assert(await board.getAttribute(cellSel(teams.bob, 'A'), 'data-state') === 'pending', 'the reloaded board shows bob\'s frozen result');
    await adminPage.goto(`${server.base}/admin/contests/${cid}/scoreboard?view=public`);
    await adminPage.waitForSelector(cellSel(teams.bob, 'A'));
    assert(await adminPage.getAttribute(cellSel(teams.bob, 'A'), 'data-state') === 'pending', 'the jury\'s public view shows the frozen result');
  });

  await step('group filter: only the chosen group\'s teams are listed', async () => {
    await board.waitForSelector('#board-group option[value="guests"]', { state: 'attached' });
    assert(await board.textContent('#board-group option[value="guests"]') === 'Guests', 'the filter does not name the group');
    await board.selectOption('#board-group', 'guests');
    assert(await board.isHidden(`tr[data-team-id="${teams.alice}"]`), 'alice (students) is still shown');
    assert(await board.isVisible(`tr[data-team-id="${teams.bob}"]`), 'bob (guests) is hidden');
    await board.selectOption('#board-group', '');
    assert(await board.isVisible(`tr[data-team-id="${teams.alice}"]`), 'alice is not back');
  });

  await step('(c) a clarification answered to all pops up on every team\'s page', async () => {
    await work.goto(`${server.base}/contests/${cid}/clarifications`);
    await work.selectOption('#clar-problem', 'A');
    await work.fill('#clar-text', 'Can a and b be negative?');
    await work.click('form.ask button[type=submit]');
    await work.waitForSelector('form.ask .message.ok');
    await work.goto(`${server.base}/contests/${cid}`);
    await work.waitForSelector('.contest-problems');
    await bobPage.goto(`${server.base}/contests/${cid}`);
    await bobPage.waitForSelector('.contest-problems');
    await waitLive(work);
    await waitLive(bobPage);
    await adminPage.goto(`${server.base}/admin/contests/${cid}/clarifications`);
    await adminPage.waitForSelector('.queue li.request:has-text("Can a and b be negative?")');
    await adminPage.selectOption('.queue li.request select.prepared', 'Read the problem statement carefully.');
    await adminPage.click('.queue li.request button[data-to="all"]');
    for (const [who, p] of [['alice', work], ['bob', bobPage]]) {
      await p.waitForSelector('.clar-popup:has-text("Read the problem statement carefully.")', { timeout: 15000 });
      assert(await p.textContent('.contest-nav .unread') === '1', `${who}: the unread count is not 1`);
    }
    await adminPage.waitForSelector('.queue li.request', { state: 'detached' });
    const notes = await bobPage.evaluate(() => window.__notes);
    assert(notes.some((n) => n.body === 'Read the problem statement carefully.'), `bob got no notification (${JSON.stringify(notes)})`);
    await shot(bobPage, 'clar-popup-desktop');
    // An announcement reaches a page that is open too; reading clears the count.
    await adminPage.fill('#announce-text', 'The contest is extended by 10 minutes.');
    await adminPage.click('form.announce button[type=submit]');
    await bobPage.waitForSelector('.clar-popup:has-text("extended by 10 minutes")', { timeout: 15000 });
    await bobPage.click('.contest-nav a:has-text("Clarifications")');
    await bobPage.waitForSelector('.clars li[data-kind="announcement"]');
    await bobPage.waitForSelector('.contest-nav .unread[hidden]', { state: 'attached' });
    assert(await bobPage.locator('.clar-popup').count() === 0, 'the pop-ups stay on the clarifications page');
  });

  await step('jury: balloons list first solves per team and problem', async () => {
    await adminPage.goto(`${server.base}/admin/contests/${cid}/balloons`);
    await adminPage.waitForSelector(`li.balloon[data-team-id="${teams.alice}"][data-label="A"]`);
    await adminPage.waitForSelector(`li.balloon[data-team-id="${teams.alice}"][data-label="B"]`);
    await adminPage.waitForSelector(`li.balloon[data-team-id="${teams.bob}"][data-label="A"]`);
    assert((await adminPage.textContent(`li.balloon[data-team-id="${teams.alice}"][data-label="A"]`)).includes('first to solve'), 'alice\'s balloon is not marked first');
    await shot(adminPage, 'balloons-desktop');
  });

  await step('jury: state buttons show the server\'s reason; thaw shows the frozen result on the team boards live', async () => {
    await adminPage.goto(`${server.base}/admin/contests/${cid}`);
    await adminPage.click('.state-controls button[data-action="start"]');
    await adminPage.waitForSelector('.state-controls .message.error');
    assert((await adminPage.textContent('.state-controls .message.error')).startsWith('Not now: '), 'no reason from the server');
    await shot(adminPage, 'contest-editor-desktop');
    await adminPage.click('.state-controls button[data-action="thaw"]');
    await adminPage.waitForSelector('.state-controls .message.ok');
    await board.waitForSelector(`${cellSel(teams.bob, 'A')}${SOLVED}`, { timeout: 15000 });
    await board.waitForSelector('.freeze-banner[hidden]', { state: 'attached' });
  });

  await step('jury: create a contest with the editor; import a class roster and see its passwords once', async () => {
    await adminPage.goto(`${server.base}/admin/contests/new`);
    await adminPage.fill('#ce-shortname', 'week2');
    await adminPage.fill('#ce-name', 'Week 2');
    await adminPage.click('.cp-editor button:has-text("Add problem")');
    await adminPage.click('.contest-form button[type=submit]');
    await adminPage.waitForURL(/\/admin\/contests\/\d+\?created=1$/);
    const nid = Number(new URL(adminPage.url()).pathname.split('/').pop());
    const made = await rest('GET', `/api/contests/${nid}`, adminT);
    assert(made.json.shortname === 'week2' && made.json.problems.length === 1 && made.json.problems[0].label === 'A', `contest: ${made.text}`);
    await adminPage.goto(`${server.base}/admin/contests/${nid}/teams`);
    await adminPage.setInputFiles('#team-file', { name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from('username,name\ndora,Dora D\neve,Eve E\n') });
    await adminPage.click('form.upload-teams button[type=submit]');
    await adminPage.waitForSelector('.passwords tr:has-text("dora")');
    const pw = await adminPage.textContent('.passwords tr:has-text("dora") code');
    const r = await rest('POST', '/api/auth/login', null, { username: 'dora', password: pw });
    assert(r.status === 200, `the shown password does not log dora in (${r.status})`);
    assert(await adminPage.getAttribute('.passwords a[download]', 'download') === 'week2-passwords.csv', 'no download link');
    await shot(adminPage, 'teams-import-desktop');
  });

  await step('phone width (360 px): contest list, contest page, scoreboard and clarifications fit', async () => {
    const phone = await newContext({ width: 360, height: 740 });
    const p = await phone.newPage();
    await login(p, 'alice');
    await p.goto(`${server.base}/contests`);
    await p.waitForSelector(`tr[data-contest-id="${cid}"]`);
    await shot(p, 'contests-phone');
    await p.goto(`${server.base}/contests/${cid}`);
    await p.waitForSelector('.contest-problems');
    await shot(p, 'contest-phone');
    await p.goto(`${server.base}/contests/${cid}/scoreboard`);
    await p.waitForSelector(`${cellSel(teams.alice, 'A')}${SOLVED}`);
    await shot(p, 'scoreboard-phone');
    await p.goto(`${server.base}/contests/${cid}/clarifications`);
    await p.waitForSelector('.clars li');
    await shot(p, 'clarifications-phone');
    await phone.close();
  });

  await step('a page never opens a socket it is refused: another user\'s submission page', async () => {
    const carl = await newContext();
    const p = await carl.newPage();
    await login(p, 'carl');
    await p.goto(`${server.base}/submissions/${acId}`);
    await p.waitForSelector('article.submission[data-status="done"]');
    await waitLive(p);
    assert(!carl.sockets.some((u) => u.includes(`/ws/submissions/${acId}/`)), `carl opened ${carl.sockets.join(', ')}`);
    await p.goto(`${server.base}/contests/${cid}/scoreboard`);
    await waitLive(p); // the board and the public announcements: no team, and still admitted
    await carl.close();
    await work.goto(`${server.base}/submissions/${acId}`);
    await work.waitForSelector('article.submission[data-status="done"]');
    await waitLive(work);
    assert(alice.sockets.some((u) => u.includes(`/ws/submissions/${acId}/`)), 'alice does not follow her own submission on its socket');
  });

  await step('no request left the server; no CSP violation, uncaught error or refused socket', async () => {
    // The detector itself: a socket to a submission that does not exist is refused.
    await work.evaluate(() => { new WebSocket(`ws://${location.host}/ws/submissions/999999/`); });
    for (let i = 0; i < 100 && !refused.some((r) => r.includes('/ws/submissions/999999/')); i++) await sleep(50);
    assert(refused.some((r) => r.includes('/ws/submissions/999999/')), 'a refused handshake went unnoticed');
    refused.splice(refused.findIndex((r) => r.includes('/ws/submissions/999999/')), 1);
    await sleep(200);
    assert(foreign.length === 0, `requests to other hosts: ${foreign.join(', ')}`);
    assert(problems.length === 0, problems.join('\n'));
    assert(refused.length === 0, `refused sockets:\n${refused.join('\n')}`);
  });
}

await run(main, 200000);
