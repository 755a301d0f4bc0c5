import { get, post, qs } from '../api.js';
import { h, copyButton, messageBox } from '../dom.js';
import { fmtLimitMs, fmtLimitKb } from '../format.js';
import { LiveFeed } from '../live.js';
import { SubmissionTable } from '../submissions.js';

const LANG_KEY = 'verdict.language';
const MAX_SOURCE = 512 * 1024;

const CHECKERS = { exact: 'exact', tokens: 'tokens', float: 'numbers', kattis: 'Kattis default', custom: 'custom' };

/* The statement, its images where it names them (the server serves them
   under the problem, with the session cookie), its PDF when there is one. */
function statement(p) {
  const div = h('div', { class: 'statement' });
  // statement_html is rendered and sanitised by the server (libcmark safe mode).
  div.innerHTML = p.statement_html || '';
  const images = p.statement_images || [];
  const byName = new Map(images.map((i) => [i.name, i.url]));
  const shown = new Set();
  for (const img of div.querySelectorAll('img')) {
    const name = (img.getAttribute('src') || '').replace(/^\.\//, '');
    if (byName.has(name)) { img.src = byName.get(name); shown.add(name); }
  }
  const rest = images.filter((i) => !shown.has(i.name));
  const figures = rest.length ? h('div', { class: 'statement-figures' },
    rest.map((i) => h('figure', null, h('img', { src: i.url, alt: i.name, loading: 'lazy' }),
      h('figcaption', null, i.name)))) : null;
  const pdf = p.statement_pdf ? h('p', { class: 'statement-pdf' },
    h('a', { href: p.statement_pdf, target: '_blank', rel: 'noopener' }, 'Statement (PDF)')) : null;
  return h('div', null, pdf, div, figures);
}

function samples(p) {
  if (!p.samples || !p.samples.length) return null;
  const list = p.samples.map((s, i) => {
    const n = i + 1;
    const io = (what, text) => h('div', { class: 'sample-io' },
      h('div', { class: 'sample-head' }, h('h3', null, `${what}`), copyButton(() => text, `Copy ${what.toLowerCase()}`)),
      h('pre', { class: 'sample-text' }, text));
    return h('section', { class: 'sample', 'aria-label': `Sample ${n}` },
      h('h3', { class: 'sample-title' }, `Sample ${n}`),
      h('div', { class: 'sample-grid' }, io('Input', s.input), io('Output', s.output)));
  });
  return h('section', { class: 'samples' }, h('h2', null, 'Samples'), list);
}

function limits(p) {
  const item = (k, v) => h('div', { class: 'limit' }, h('dt', null, k), h('dd', null, v));
  return h('dl', { class: 'limits' },
    item('Time', fmtLimitMs(p.time_limit_ms)),
    item('Memory', fmtLimitKb(p.memory_limit_kb)),
    item('Output', fmtLimitKb(p.output_limit_kb)),
    item('Tests', String(p.test_count)),
    item('Checker', CHECKERS[p.checker && p.checker.type] || (p.checker && p.checker.type) || '–'),
    p.scoring === 'ioi' ? item('Scoring', 'points') : null);
}

/* The submit form: language (remembered), source from the textarea or a file; or several files
   (chosen together or one after another), with an entry point where the language takes one. */
function submitForm(ctx, p, languages) {
  const msg = messageBox();
  const lang = h('select', { id: 'submit-language', name: 'language', required: true },
    languages.map((l) => h('option', { value: l.id }, l.name)));
  const stored = localStorage.getItem(LANG_KEY);
  if (stored && languages.some((l) => l.id === stored)) lang.value = stored;
  const source = h('textarea', {
    id: 'submit-source', name: 'source', rows: 14, spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off',
    class: 'code', placeholder: 'Paste your program here, or choose a file below.',
  });
  const file = h('input', { id: 'submit-file', type: 'file', multiple: true });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Submit');
  /* Several files: [{name, content}], listed instead of the textarea. */
  const files = [];
  const fileList = h('ul', { class: 'submit-files', id: 'submit-files', hidden: true });
  const entry = h('input', { id: 'submit-entry', name: 'entry_point', type: 'text', autocomplete: 'off', spellcheck: 'false' });
  const entryField = h('div', { class: 'field', hidden: true }, h('label', { for: 'submit-entry' }, 'Entry point'), entry);
  const sourceField = h('div', { class: 'field' }, h('label', { for: 'submit-source' }, 'Source'), source);
  const language = () => languages.find((l) => l.id === lang.value);
  function showFiles() {
    fileList.replaceChildren(...files.map((f, i) => h('li', null, h('code', null, f.name), ` ${Math.ceil(f.content.length / 1024)} KiB `,
      h('button', { type: 'button', class: 'link', 'aria-label': `Remove ${f.name}`, on: { click: () => { files.splice(i, 1); showFiles(); } } }, 'Remove'))));
    const several = files.length > 0;
    fileList.hidden = !several;
    sourceField.hidden = several;
    const l = language();
    entryField.hidden = !several || !l || l.entry_point === 'none';
    if (l) entry.placeholder = l.entry_point === 'class' ? `a class with main, e.g. ${l.source.replace(/\.[^.]*$/, '')} (optional)`
      : `the file to run, e.g. ${l.source} (optional)`;
  }
  lang.addEventListener('change', showFiles);
  file.addEventListener('change', async () => {
    msg.clear();
    const chosen = [...file.files];
    file.value = '';
    if (!chosen.length) return;
    const total = [...files, ...chosen].reduce((n, f) => n + (f.size ?? new Blob([f.content]).size), 0);
    if (total > MAX_SOURCE) { msg.error(`The files are ${Math.ceil(total / 1024)} KiB together; a submission may be at most 512 KiB.`); return; }
    for (const f of chosen) {
      const text = await f.text();
      if (text.includes('\u0000')) { msg.error(`${f.name} looks like a binary file; choose source files.`); return; }
      if (chosen.length === 1 && !files.length && !source.value.trim()) {
        source.value = text; /* one file: into the box, as before */
      } else {
        /* a second file: the box's content (if any) and this one become a list */
        if (!files.length && source.value.trim()) {
          const l = language();
          files.push({ name: l ? l.source : 'main', content: source.value });
          source.value = '';
        }
        const i = files.findIndex((g) => g.name === f.name);
        if (i >= 0) files[i] = { name: f.name, content: text }; else files.push({ name: f.name, content: text });
      }
    }
    if (files.length > 32) { files.length = 32; msg.error('A submission has at most 32 files.'); }
    const ext = chosen[0].name.includes('.') ? chosen[0].name.split('.').pop().toLowerCase() : '';
    const match = languages.find((l) => l.extensions.includes(ext));
    if (match) lang.value = match.id;
    else if (chosen.length === 1 && !files.length) msg.error(`No language uses .${ext} files; pick the language yourself.`);
    showFiles();
  });
  const form = h('form', { class: 'card submit', 'aria-labelledby': 'submit-title', novalidate: true },
    h('h2', { id: 'submit-title' }, 'Submit'),
    h('div', { class: 'field' }, h('label', { for: 'submit-language' }, 'Language'), lang),
    sourceField,
    fileList,
    entryField,
    h('div', { class: 'field' }, h('label', { for: 'submit-file' }, 'Or load files (one, or several: choose more to add them)'), file),
    msg.el,
    h('div', { class: 'actions' }, button));
  if (!languages.length) {
    button.disabled = true;
    msg.error('No language is available on this server: its compilers are missing.');
  }
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    msg.clear();
    let body;
    if (files.length) {
      body = { language: lang.value, files: files.map((f) => ({ name: f.name, content: f.content })) };
      if (!entryField.hidden && entry.value.trim()) body.entry_point = entry.value.trim();
    } else {
      if (!source.value.trim()) { msg.error('Write your program in the box or load a file first.'); source.focus(); return; }
      if (new Blob([source.value]).size > MAX_SOURCE) { msg.error('The source is over 512 KiB.'); return; }
      body = { language: lang.value, source: source.value };
    }
    button.disabled = true;
    button.textContent = 'Submitting…';
    try {
      const created = await post(`/api/problems/${p.id}/submissions`, body);
      localStorage.setItem(LANG_KEY, lang.value);
      ctx.navigate(`/submissions/${created.id}`);
    } catch (err) {
      msg.error(err.message);
    } finally {
      button.disabled = false;
      button.textContent = 'Submit';
    }
  });
  return form;
}

/* Seen from a contest (?contest=ID): submissions go through the contest's page. */
function contestNote(cid) {
  return h('section', { class: 'card submit' }, h('h2', null, 'Submit'),
    h('p', null, 'This problem is part of a contest: submit it on ', h('a', { href: `/contests/${cid}` }, 'the contest\'s page'),
      ', so that it counts for your team.'));
}

export async function problemPage(ctx) {
  const id = ctx.params[0];
  const contestId = Number(ctx.query.get('contest')) || 0;
  const [p, languages, mine, latest] = await Promise.all([
    get(`/api/problems/${id}`),
    get('/api/languages'),
    get('/api/submissions' + qs({ problem: id, user: 'me', per_page: 5 })),
    // Only for its seq: a resume point that does not replay the whole problem.
    get(`/api/problems/${id}/submissions` + qs({ per_page: 1 })),
  ]);
  if (ctx.disposed) return;
  ctx.setTitle(p.title);
  const admin = ctx.app.me.role === 'admin';
  ctx.el.append(
    h('div', { class: 'page-head' },
      h('h1', null, p.title),
      h('div', { class: 'head-links' },
        h('a', { href: `/problems/${id}/submissions` }, 'All submissions'),
        admin ? h('a', { href: `/admin/problems/${id}` }, 'Edit') : null)),
    limits(p));
  const table = new SubmissionTable({ me: ctx.app.me, perPage: 5, mine: true, title: p.title, showScore: p.scoring === 'ioi' });
  const maxSeq = Math.max(table.fill(mine), ...latest.items.map((s) => s.seq || 0));
  const recent = h('section', { class: 'recent', 'aria-labelledby': 'recent-title' },
    h('h2', { id: 'recent-title' }, 'Your submissions'), table.el,
    h('p', null, h('a', { href: `/problems/${id}/submissions?mine=1` }, 'All your submissions')));
  ctx.el.append(h('div', { class: 'problem-layout' },
    h('article', { class: 'problem-main', 'aria-label': 'Statement' }, statement(p), samples(p)),
    h('aside', { class: 'problem-side' }, contestId ? contestNote(contestId) : submitForm(ctx, p, languages), recent)));
  const feed = new LiveFeed(`/ws/problems/${id}/submissions/`, { after: maxSeq, onMessage: (m) => table.apply(m) }).start();
  ctx.onCleanup(() => feed.stop());
}
