import { describe, expect, it, vi } from 'vitest';
import { HEAP_GROWING_PERCENT, LARGE_HEAP_GROWING_PERCENT, collectGarbage, limitHeapGrowth, tightenHeapGrowth } from '../../server/src/host/heap';

describe('heap growth', () => {
  it('is limited by default', () => {
    expect(HEAP_GROWING_PERCENT).toBe(30);
    expect(limitHeapGrowth(HEAP_GROWING_PERCENT, [], '')).toBe(true);
  });

  it('is left as the user set it on the command line or in NODE_OPTIONS', () => {
    expect(limitHeapGrowth(30, ['--heap-growing-percent=80'], '')).toBe(false);
    expect(limitHeapGrowth(30, ['--heap_growing_percent', '80'], '')).toBe(false);
    expect(limitHeapGrowth(30, [], '--max-old-space-size=8192 --heap-growing-percent=80')).toBe(false);
  });

  it('is not confused by other flags', () => {
    expect(limitHeapGrowth(30, ['--max-old-space-size=4096'], '--heap-prof')).toBe(true);
  });

  it('is tightened for a large heap only, and only where kpath limited it', async () => {
    expect(LARGE_HEAP_GROWING_PERCENT).toBe(10);
    vi.resetModules();
    const fresh = await import('../../server/src/host/heap');
    expect(fresh.tightenHeapGrowth(3 * 2 ** 30)).toBe(false); // a library caller's process keeps V8's growth
    expect(fresh.limitHeapGrowth(30, ['--heap-growing-percent=80'], '')).toBe(false);
    expect(fresh.tightenHeapGrowth(3 * 2 ** 30)).toBe(false); // nor does a user's choice change
    expect(limitHeapGrowth(HEAP_GROWING_PERCENT, [], '')).toBe(true);
    expect(tightenHeapGrowth(200 * 2 ** 20)).toBe(false);
    expect(tightenHeapGrowth(2 * 2 ** 30)).toBe(true);
    expect(tightenHeapGrowth(200 * 2 ** 20)).toBe(true); // once tightened, for the rest of the process
    limitHeapGrowth(HEAP_GROWING_PERCENT, [], ''); // as it was for the other tests of this worker
  });

  it('is tightened further as the heap nears a whole tree\'s largest, never loosened', async () => {
    vi.resetModules();
    const fresh = await import('../../server/src/host/heap');
    expect(fresh.limitHeapGrowth(30, [], '')).toBe(true);
    expect(fresh.tightenHeapGrowth(1100 * 2 ** 20)).toBe(true);
    expect(fresh.tightenedGrowth()).toBe(fresh.LARGE_HEAP_GROWING_PERCENT);
    expect(fresh.tightenHeapGrowth(1500 * 2 ** 20)).toBe(true);
    expect(fresh.tightenedGrowth()).toBe(fresh.HUGE_HEAP_GROWING_PERCENT);
    expect(fresh.HUGE_HEAP_GROWING_PERCENT).toBe(2);
    expect(fresh.tightenHeapGrowth(1100 * 2 ** 20)).toBe(true);
    expect(fresh.tightenedGrowth()).toBe(fresh.HUGE_HEAP_GROWING_PERCENT);
    limitHeapGrowth(HEAP_GROWING_PERCENT, [], ''); // as it was for the other tests of this worker
  });

  it('is checked again as a program settles, its progress still reported', async () => {
    vi.resetModules();
    const fresh = await import('../../server/src/host/heap');
    const seen: unknown[][] = [];
    const report = fresh.tighteningAsItGrows((phase: string, done: number, total: number) => void seen.push([phase, done, total]));
    report('functions', 256, 1000);
    fresh.tighteningAsItGrows()('contexts', 1, 2); // no report to forward to
    expect(seen).toEqual([['functions', 256, 1000]]);
    expect(fresh.tightenHeapGrowth()).toBe(false); // this test's heap is small, and kpath did not limit it here
  });

  it('can be collected on demand, without --expose-gc on the command line', async () => {
    const dropped = (() => new WeakRef({ held: 'by nothing once this returns' }))();
    await new Promise((resolve) => setTimeout(resolve, 0)); // a WeakRef keeps its target for the job that made it
    collectGarbage();
    expect(dropped.deref()).toBeUndefined();
  });
});
