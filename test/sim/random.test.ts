/**
 * Random small paths (a fixed seed, so every run checks the same ones): the counter abstraction and
 * the stubborn-set reduction must give the verdict of the plain exploration of every interleaving,
 * on both preemption models. This is what makes the reductions trustworthy on sizes the plain
 * exploration cannot reach.
 */
import { describe, expect, it } from 'vitest';
import type { PathEvent } from '../../server/src/engine/finding';
import { simulateFinding } from '../../server/src/sim/index';
import * as P from './paths';

/** xorshift32: deterministic, no dependency. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

function randomPath(next: () => number): PathEvent[] {
  const path: PathEvent[] = [];
  const held: PathEvent[] = [];
  const n = 2 + Math.floor(next() * 4);
  for (let i = 0; i < n; i++) {
    const line = 10 + i;
    const r = next();
    if (r < 0.15) path.push(P.lock('r.c', line, 'global_lock'));
    else if (r < 0.25) path.push(P.lock('r.c', line, 'mm->page_table_lock'));
    else if (r < 0.45) path.push(P.kmap('r.c', line, 'PAGETABLE'));
    else if (r < 0.6) path.push(P.kmap('r.c', line, 'DEFAULT', 'kmap'));
    else if (r < 0.67) path.push(P.kmapAtomic('r.c', line));
    else if (r < 0.72) path.push(P.sleep('r.c', line));
    else if (r < 0.77) path.push(P.ev('atomic-enter', 'r.c', line, { atomic: 'preempt', callee: 'preempt_disable' }));
    else if (held.length > 0 || path.length > 0) {
      // Release the most recent acquisition, as code does.
      const last = [...path].reverse().find((e) => e.kind === 'lock' || e.kind === 'kmap' || e.kind === 'atomic-enter');
      if (!last) continue;
      if (last.kind === 'lock') path.push(P.unlock('r.c', line, last.lock!));
      else if (last.kind === 'kmap') path.push(P.kunmap('r.c', line, last.serie));
      else path.push(P.ev('atomic-exit', 'r.c', line, { atomic: 'preempt', callee: 'preempt_enable' }));
    }
  }
  return path;
}

describe('reductions agree with the plain exploration on random paths', () => {
  const next = rng(20020122);
  const cases = Array.from({ length: 40 }, (_, i) => ({ name: `random path ${i}`, path: randomPath(next), rule: next() < 0.3 ? ('kmap-serie-order' as const) : ('kmap-serie-reentry' as const) }));
  it.each(cases)('$name', ({ path, rule }) => {
    const f = P.finding(rule, path);
    for (const preempt of [false, true])
      for (const [tasks, cpus, pool] of [
        [2, 1, 1],
        [3, 2, 1],
        [3, 2, 2],
        [4, 3, 2],
      ]) {
        const o = { tasks, cpus, pool, preempt };
        const plain = simulateFinding(f, { ...o, symmetry: false, reduce: false });
        const label = JSON.stringify({ ...o, path: path.map((e) => `${e.kind}:${e.lock ?? e.serie ?? e.mapKind ?? e.callee}`) });
        expect(simulateFinding(f, { ...o, symmetry: true, reduce: false }).verdict, label).toBe(plain.verdict);
        expect(simulateFinding(f, { ...o, symmetry: true, reduce: true }).verdict, label).toBe(plain.verdict);
        expect(simulateFinding(f, { ...o, symmetry: false, reduce: true }).verdict, label).toBe(plain.verdict);
        expect(simulateFinding(f, { ...o, symmetry: true, reduce: false }).steps.length, label).toBe(plain.steps.length);
      }
  });
});
