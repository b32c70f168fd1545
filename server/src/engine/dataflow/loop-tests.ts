/**
 * Tests a loop makes again of parameters the function never changes. kvm's
 * `mmu_try_to_unsync_pages()` returns `if (!can_unsync)` at the top of a loop whose first pass may
 * take a lock: a second pass cannot return there, as the first one passed the same test of the
 * same value. A path remembers such a test, as it remembers one made at two places; the others it
 * does not, as remembering them only splits states.
 */
import type { FunctionIR } from '../ir';
import { testableParams } from './param-tests';

/** Tests (as written, whitespace removed) of unchanged parameters made inside a cycle of `fn`'s CFG. */
export function loopInvariantTests(fn: FunctionIR): ReadonlySet<string> {
  const known = cache.get(fn);
  if (known) return known;
  const out = new Set<string>();
  const fixed = unchangedParams(fn);
  if (fixed.size > 0) {
    const cyclic = blocksInCycles(fn);
    for (const block of fn.blocks) {
      if (!cyclic.has(block.id)) continue;
      for (const edge of block.succs) if (edge.cond && testsOnly(edge.cond.expr, fixed)) out.add(edge.cond.expr);
    }
  }
  cache.set(fn, out);
  return out;
}
const cache = new WeakMap<FunctionIR, ReadonlySet<string>>();

/** `!p`, `p`, `p==C`, `p!=C`, `p&C`: a test of one plain name against constants at most. */
const PLAIN_TEST = /^!?\(?([A-Za-z_]\w*)\)?(?:(?:==|!=|&)-?[A-Z0-9][A-Za-z0-9_]*)?$/;

function testsOnly(expr: string, names: ReadonlySet<string>): boolean {
  const m = PLAIN_TEST.exec(expr);
  return m !== null && names.has(m[1]!);
}

/** The parameters `fn` never assigns nor passes by address: testable ones not even set to a constant. */
function unchangedParams(fn: FunctionIR): Set<string> {
  return new Set([...testableParams(fn)].flatMap(([name, p]) => (p.only === undefined ? [name] : [])));
}

/** The blocks on some cycle of the CFG (Tarjan's strongly connected components, iteratively). */
function blocksInCycles(fn: FunctionIR): Set<number> {
  const succs = new Map(fn.blocks.map((b) => [b.id, b.succs.map((e) => e.to)]));
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const out = new Set<number>();
  let next = 0;
  for (const root of succs.keys()) {
    if (index.has(root)) continue;
    const work: [number, number][] = [[root, 0]];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const [v, i] = top;
      const edges = succs.get(v) ?? [];
      if (i < edges.length) {
        top[1]++;
        const w = edges[i]!;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]![0];
        low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
      }
      if (low.get(v) !== index.get(v)) continue;
      const component: number[] = [];
      let w: number;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || edges.includes(v)) for (const c of component) out.add(c);
    }
  }
  return out;
}
