/**
 * Calls a lock-dropping call evaluates with its lock dropped: the commands of
 * `wait_event_lock_irq_cmd(wq, cond, lock, cmd)` run after its unlock (`dropsLock.runsUnlocked`),
 * though the IR, which evaluates nested calls first, puts them before it, under the lock.
 */
import type { CallOp, FunctionIR } from '../ir';
import { spanContains } from '../span';
import type { Knowledge } from './env';
import { lockFromArgs } from './lock-names';

/** For each call nested in such an argument, by op id: the lock the enclosing call drops around it. */
export function locksDroppedAround(fn: FunctionIR, knowledge: Knowledge): ReadonlyMap<number, string> {
  let byFn = cache.get(knowledge);
  if (!byFn) cache.set(knowledge, (byFn = new WeakMap()));
  const known = byFn.get(fn);
  if (known) return known;
  const calls = fn.blocks.flatMap((b) => b.ops.filter((op): op is CallOp => op.kind === 'call'));
  const out = new Map<number, string>();
  for (const outer of calls) {
    const drops = knowledge.call(outer.callee, outer.args.length)?.dropsLock;
    if (!drops?.runsUnlocked) continue;
    const lock = lockFromArgs(drops.lock, outer.args);
    if (lock === undefined) continue;
    for (const index of drops.runsUnlocked) {
      const arg = outer.args[index];
      if (arg === undefined) continue;
      for (const inner of calls) {
        const { span } = inner;
        if (inner !== outer && spanContains(arg.span, span.line, span.column) && spanContains(arg.span, span.endLine, span.endColumn)) out.set(inner.id, lock);
      }
    }
  }
  byFn.set(fn, out);
  return out;
}

// The same for every run over one function (references.ts memoises its facts so too).
const cache = new WeakMap<Knowledge, WeakMap<FunctionIR, ReadonlyMap<number, string>>>();
