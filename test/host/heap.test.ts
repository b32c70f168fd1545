import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, limitHeapGrowth } from '../../server/src/host/heap';

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
});
