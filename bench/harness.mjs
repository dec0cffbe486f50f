// What every process-per-case benchmark here shares: running one case in a fresh node process, medians, the machine line.
import { spawnSync } from 'node:child_process';
import os from 'node:os';

/** Median of a list of numbers. */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Runs `node script ...args` in a fresh process and returns the JSON object it prints last, or `{ error }` saying why
 * there is none (time-out, non-zero exit with the first error line).
 */
export function runCaseProcess(script, args, { cwd, timeoutMs = 5 * 60 * 1000 } = {}) {
  const r = spawnSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 24 });
  if (r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGTERM') return { error: `timed out (> ${timeoutMs / 60000} min)` };
  if (r.status !== 0) {
    const msg = (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').filter(Boolean);
    return { error: `failed: ${(msg.find((l) => /Error/.test(l)) ?? msg.at(-1) ?? '').slice(0, 160)}` };
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

/** One line describing the machine the numbers come from. */
export function machineLine() {
  const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
  return `${os.cpus().length}-core VM (${cpu}), node ${process.version}; a shared VM, so timings are noisy (±10–20 % between runs is normal).`;
}
