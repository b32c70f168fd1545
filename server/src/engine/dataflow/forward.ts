/**
 * A forward analysis over a function's CFG, to a fixed point: the value at each block's entry.
 * `start` holds at the function's entry; `through` takes a block's entry value to its exit value;
 * `along` an exit value over one of its edges; `join` where two ways meet. The analyses using it
 * (param-tests.ts, member-values.ts) move their values one way only, so the bound on steps is
 * never met; met, the answer is undefined, and the caller claims nothing.
 */
import type { Block, Edge, FunctionIR } from '../ir';

export interface Flow<T> {
  through(block: Block, entry: T): T;
  along(edge: Edge, exit: T, block: Block): T;
  join(before: T, along: T): T;
  same(a: T, b: T): boolean;
}

export function forwardFlow<T>(fn: FunctionIR, start: T, flow: Flow<T>): Map<number, T> | undefined {
  const blocks = new Map(fn.blocks.map((b) => [b.id, b]));
  const entry = new Map<number, T>([[fn.entry, start]]);
  const queue = [fn.entry];
  const queued = new Set(queue);
  for (let steps = 0; queue.length > 0; steps++) {
    if (steps > 20 * fn.blocks.length + 100) return undefined;
    const id = queue.shift()!;
    queued.delete(id);
    const block = blocks.get(id);
    if (!block) continue;
    const exit = flow.through(block, entry.get(id)!);
    for (const edge of block.succs) {
      const along = flow.along(edge, exit, block);
      const before = entry.get(edge.to);
      const next = before === undefined ? along : flow.join(before, along);
      if (before !== undefined && flow.same(before, next)) continue;
      entry.set(edge.to, next);
      if (!queued.has(edge.to)) {
        queue.push(edge.to);
        queued.add(edge.to);
      }
    }
  }
  return entry;
}
