/**
 * The progress bar of long batch runs, on stderr: files done / total, rate and time left. It draws
 * only when stderr is a terminal and `CI` is not set, so logs and pipes stay clean, and at most ten
 * times a second. `finish()` erases it.
 */

export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const SILENT: Progress = { update() {}, finish() {} };

export function createProgress(
  stream: ProgressStream = process.stderr,
  env: Record<string, string | undefined> = process.env,
  now: () => number = () => performance.now(),
  /** What is counted: `files`, `headers`, `functions`, ... */
  unit = 'files',
): Progress {
  if (!stream.isTTY || (env.CI !== undefined && env.CI !== '' && env.CI !== 'false')) return SILENT;
  const started = now();
  let lastDraw = -Infinity;
  let drawn = false;
  return {
    update(done, total) {
      const t = now();
      if (done < total && t - lastDraw < 100) return;
      lastDraw = t;
      drawn = true;
      stream.write(`\r${progressLine(done, total, (t - started) / 1000, stream.columns ?? 80, unit)}\x1b[K`);
    },
    finish() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}

/** `kpath [#######.......]  1234/32005 files  412/s  ETA 1m15s`, fitted to `width` columns. */
export function progressLine(done: number, total: number, elapsedSeconds: number, width: number, unit = 'files'): string {
  const rate = elapsedSeconds > 0 ? done / elapsedSeconds : 0;
  const eta = rate > 0 && done < total ? `ETA ${formatDuration((total - done) / rate)}` : done >= total ? 'done' : 'ETA --';
  const counts = `${String(done).padStart(String(total).length)}/${total} ${unit}  ${Math.round(rate)}/s  ${eta}`;
  const barWidth = Math.max(0, Math.min(30, width - counts.length - 10));
  const filled = total > 0 ? Math.round((barWidth * done) / total) : barWidth;
  const bar = barWidth > 0 ? `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ` : '';
  return `kpath ${bar}${counts}`.slice(0, Math.max(0, width - 1));
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
