import { describe, expect, it } from 'vitest';
import { Worklist } from '../server/src/engine/worklist';

const drain = (w: Worklist) => [...(function* () { for (let k = w.pop(); k !== undefined; k = w.pop()) yield k; })()];

describe('Worklist', () => {
  it('gives the lowest rank first, each waiting key once, and unranked keys last in the order they came', () => {
    const ranks = new Map([['c', 0], ['b', 1], ['a', 2]]);
    const w = new Worklist((k) => ranks.get(k), ranks.size, ['a', 'b']);
    w.push('z');
    w.push('c');
    w.push('b');
    w.push('y');
    expect(w.size).toBe(5);
    expect(drain(w)).toEqual(['c', 'b', 'a', 'z', 'y']);
  });

  it('takes a key again once it has been popped: a caller re-queued by a changed callee', () => {
    const ranks = new Map([['callee', 0], ['caller', 1]]);
    const w = new Worklist((k) => ranks.get(k), ranks.size, ['callee', 'caller']);
    expect(w.pop()).toBe('callee');
    expect(w.pop()).toBe('caller');
    w.push('callee');
    expect([w.has('callee'), w.has('caller')]).toEqual([true, false]);
    w.push('caller');
    expect(drain(w)).toEqual(['callee', 'caller']);
  });

  it('keeps heap order over many keys', () => {
    const keys = Array.from({ length: 500 }, (_, i) => `k${i}`);
    const ranks = new Map(keys.map((k, i) => [k, (i * 7919) % 500]));
    const w = new Worklist((k) => ranks.get(k), ranks.size, keys);
    expect(drain(w)).toEqual([...keys].sort((a, b) => ranks.get(a)! - ranks.get(b)!));
  });
});
