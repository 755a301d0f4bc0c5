// How statuses, verdicts, times and sizes read on the page.

export const VERDICTS = {
  AC: 'Accepted',
  WA: 'Wrong answer',
  TLE: 'Time limit exceeded',
  MLE: 'Memory limit exceeded',
  RTE: 'Run-time error',
  OLE: 'Output limit exceeded',
  CE: 'Compile error',
  JE: 'Judge error',
};

/* {icon, text, kind} for a submission (or an update message). The icon
   (queued, compiling, running, ok, bad: drawn by style.css, no emoji font
   needed) is decoration, aria-hidden; the text says the same in words. */
export function statusOf(s) {
  const m = s.metrics || {};
  if (s.result_hidden) return { icon: 'queued', text: 'Pending (frozen)', kind: 'pending' };
  switch (s.status) {
    case 'queued': return { icon: 'queued', text: 'Queued', kind: 'pending' };
    case 'compiling': return { icon: 'compiling', text: 'Compiling', kind: 'pending' };
    case 'running': {
      const total = m.tests_total || 0;
      const k = Math.min((m.tests_passed || 0) + 1, total);
      return { icon: 'running', text: total ? `Running test ${k}/${total}` : 'Running', kind: 'pending' };
    }
    case 'done':
      if (s.verdict === 'AC') return { icon: 'ok', text: 'Accepted', kind: 'ok' };
      return { icon: 'bad', text: VERDICTS[s.verdict] || s.verdict || 'Failed', kind: 'bad' };
    default: return { icon: 'queued', text: s.status || 'Unknown', kind: 'pending' };
  }
}

export function fmtMs(ms) {
  if (ms === null || ms === undefined) return '–';
  return ms < 10000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function fmtKb(kb) {
  if (kb === null || kb === undefined) return '–';
  if (kb < 1024) return `${kb} KiB`;
  const mib = kb / 1024;
  return `${mib < 10 ? mib.toFixed(1) : Math.round(mib)} MiB`;
}

export function fmtLimitMs(ms) {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export function fmtLimitKb(kb) {
  return kb % 1024 === 0 ? `${kb / 1024} MiB` : `${kb} KiB`;
}

const pad = (n) => String(n).padStart(2, '0');

/* Local time: "14:03:22" today, "2026-11-26 14:03" otherwise. */
export function fmtWhen(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const now = new Date();
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.toDateString() === now.toDateString()) return `${hm}:${pad(d.getSeconds())}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}

export function fmtScore(score) {
  if (score === null || score === undefined) return '';
  return Number.isInteger(score) ? String(score) : score.toFixed(2);
}
