/**
 * Which tests of the function's parameters every path to a call has passed: in
 * `if (sleep_ok) msleep(ms); else mdelay(ms);` the msleep() is behind `sleep_ok` being true. A
 * summary records a sleep behind such tests as conditional on them, so that a caller passing a
 * constant that fails one (`t4_wr_mbox_meat(..., false)`) does not sleep there.
 *
 * A forward must-analysis over the CFG (the tests that hold on every way into a block), computed
 * from the IR alone, not kept on states: remembering every parameter test on the states of the
 * exploration would split them for nothing in most functions. A parameter the function assigns or
 * whose address it passes is not tested in this sense.
 */
import type { FunctionIR } from '../ir';

/** `[parameter index, value]` pairs. */
export type ParamTests = readonly (readonly [number, boolean])[];

const cache = new WeakMap<FunctionIR, Map<number, ParamTests>>();
const testable = new WeakMap<FunctionIR, Map<string, number>>();

/** Call op id -> the parameter tests every path to it passed (absent: none). */
export function paramTestsAtCalls(fn: FunctionIR): ReadonlyMap<number, ParamTests> {
  const known = cache.get(fn);
  if (known) return known;
  const index = testableParams(fn);
  const out = new Map<number, ParamTests>();
  cache.set(fn, out);
  if (index.size === 0) return out;
  const blocks = new Map(fn.blocks.map((b) => [b.id, b]));
  // facts per block as `${param}:${0|1}` sets; undefined is "not reached yet" (every fact)
  const facts = new Map<number, Set<string>>([[fn.entry, new Set()]]);
  const queue = [fn.entry];
  const queued = new Set(queue);
  for (let steps = 0; queue.length > 0; steps++) {
    // a bound never met (facts only shrink); met, no test is claimed, which can only keep a sleep
    if (steps > 20 * fn.blocks.length + 100) return out;
    const id = queue.shift()!;
    queued.delete(id);
    const here = facts.get(id)!;
    for (const edge of blocks.get(id)?.succs ?? []) {
      const param = edge.cond ? index.get(edge.cond.expr) : undefined;
      const along = param === undefined ? here : new Set([...here, `${param}:${edge.cond!.value ? 1 : 0}`]);
      const before = facts.get(edge.to);
      const next = before === undefined ? along : new Set([...before].filter((f) => along.has(f)));
      if (before !== undefined && next.size === before.size) continue;
      facts.set(edge.to, next);
      if (!queued.has(edge.to)) {
        queue.push(edge.to);
        queued.add(edge.to);
      }
    }
  }
  for (const block of fn.blocks) {
    const set = facts.get(block.id);
    if (!set || set.size === 0) continue;
    const tests: ParamTests = [...set].map((f) => [Number(f.slice(0, f.indexOf(':'))), f.endsWith(':1')] as const);
    for (const op of block.ops) if (op.kind === 'call') out.set(op.id, tests);
  }
  return out;
}

/** Parameters by name that the function never assigns nor passes by address. */
export function testableParams(fn: FunctionIR): ReadonlyMap<string, number> {
  const known = testable.get(fn);
  if (known) return known;
  const index = new Map<string, number>();
  testable.set(fn, index);
  fn.params.forEach((p, i) => {
    if (p !== null && !fn.locals.includes(p)) index.set(p, i);
  });
  for (const block of fn.blocks) {
    for (const op of block.ops) {
      if (op.kind === 'assign') index.delete(op.target);
      else if (op.kind === 'call') {
        if (op.assignTo !== undefined) index.delete(op.assignTo);
        for (const arg of op.args) if (arg.text.startsWith('&')) index.delete(arg.text.slice(1));
      }
    }
  }
  return index;
}
