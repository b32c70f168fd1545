/** Tests a loop makes again of parameters the function never changes. */
import { describe, expect, test } from 'vitest';
import { loopInvariantTests } from '../../server/src/engine/dataflow/loop-tests';
import { fn } from '../lower/helpers';

describe('loopInvariantTests', () => {
  test('a test of an unchanged parameter inside a loop, not one outside it nor of a local', async () => {
    const f = await fn(`
      int f(struct k *kvm, bool can, bool pre, int mode) {
        int n = 0;
        if (pre)
          return 1;
        while (kvm->more) {
          if (!can)
            return -EPERM;
          if (mode == FOO_FAST)
            n++;
          if (n)
            break;
        }
        return n;
      }`);
    expect([...loopInvariantTests(f)].sort()).toEqual(['can', 'mode==FOO_FAST']);
  });

  test('a parameter the function assigns, or passes by address, is not unchanged', async () => {
    const f = await fn(`
      int f(bool can, bool more) {
        for (;;) {
          if (!can || !more)
            return 0;
          can = step();
          if (!more)
            return 1;
          refill(&more);
        }
      }`);
    expect([...loopInvariantTests(f)]).toEqual([]);
  });
});
