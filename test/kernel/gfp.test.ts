import { describe, expect, test } from 'vitest';
import { DEFAULT_API, gfpMaySleep, indexApi } from '../../server/src/engine/kernel/index';

const gfp = DEFAULT_API.gfp;

describe('gfpMaySleep', () => {
  test.each([
    ['GFP_KERNEL', true],
    ['GFP_KERNEL|__GFP_ZERO', true],
    ['(GFP_KERNEL|__GFP_NOWARN)', true],
    ['GFP_NOFS', true],
    ['GFP_HIGHUSER_MOVABLE', true],
    ['__GFP_WAIT', true],
    ['SLAB_KERNEL', true],
    ['GFP_ATOMIC', false],
    ['GFP_ATOMIC|__GFP_NOWARN', false],
    ['GFP_NOWAIT|__GFP_ZERO', false],
    ['GFP_DMA', false],
    ['GFP_ATOMIC|GFP_DMA', false],
    ['GFP_KERNEL|GFP_DMA', true],
    ['GFP_ATOMIC|__GFP_DIRECT_RECLAIM', true],
    ['gfp&~__GFP_DIRECT_RECLAIM', false],
    ['GFP_KERNEL&~__GFP_RECLAIM', false],
    ['GFP_KERNEL&~__GFP_KSWAPD_RECLAIM', true],
    ['GFP_TRANSHUGE_LIGHT', false],
    ['0', false],
    ['gfp', undefined],
    ['gfp|__GFP_ZERO', undefined],
    ['gfp|GFP_KERNEL', true],
    ['current_gfp_context(gfp)', undefined],
    ['(__forcegfp_t)0', false],
    ['(gfp_t)GFP_KERNEL', true],
    ['atomic?GFP_ATOMIC:GFP_KERNEL', undefined],
    ['x?GFP_NOIO:GFP_KERNEL', true],
    ['MY_FLAGS', undefined],
    ['', undefined],
    ['GFP_KERNEL|', undefined],
    ['a||b', undefined],
  ] as [string, boolean | undefined][])('%s -> %s', (text, expected) => {
    expect(gfpMaySleep(text, gfp)).toBe(expected);
    expect(indexApi(DEFAULT_API).gfpMaySleep(text)).toBe(expected);
  });
});
