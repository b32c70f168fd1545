import { describe, expect, it } from 'vitest';
import { createProgress, formatDuration, progressLine } from '../../server/src/host/progress';

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, columns: 80, write: (t: string) => writes.push(t) }, writes };
}

describe('progress bar', () => {
  it('draws nothing when stderr is not a terminal', () => {
    const { stream, writes } = recorder(false);
    const p = createProgress(stream, {});
    p.update(1, 2);
    p.update(2, 2);
    p.finish();
    expect(writes).toEqual([]);
  });

  it('draws nothing in CI even on a terminal', () => {
    const { stream, writes } = recorder(true);
    const p = createProgress(stream, { CI: 'true' });
    p.update(2, 2);
    expect(writes).toEqual([]);
  });

  it('draws at most every 100 ms, always the last update, and erases itself', () => {
    const { stream, writes } = recorder(true);
    let t = 0;
    const p = createProgress(stream, { CI: 'false' }, () => t);
    t = 1000;
    p.update(1, 4); // drawn
    t = 1050;
    p.update(2, 4); // too soon
    t = 2000;
    p.update(4, 4); // last: drawn
    p.finish();
    expect(writes).toEqual([
      '\rkpath [########......................] 1/4 files  1/s  ETA 3s\x1b[K',
      '\rkpath [##############################] 4/4 files  2/s  done\x1b[K',
      '\r\x1b[K',
    ]);
  });

  it('fits the line to narrow terminals', () => {
    expect(progressLine(1234, 32005, 3, 40)).toBe('kpath  1234/32005 files  411/s  ETA 1m1'); // never wider than the terminal
    expect(formatDuration(59.4)).toBe('59s');
    expect(formatDuration(3725)).toBe('1h02m');
  });
});
