/**
 * Calls a lock-dropping call evaluates with its lock dropped: the commands of
 * `wait_event_lock_irq_cmd(wq, cond, lock, cmd)` run after its unlock (`dropsLock.runsUnlocked`),
 * though the IR, which evaluates nested calls first, puts them before it, under the lock.
 */
import type { CallOp, FunctionIR } from '../ir';
import type { Span } from '../span';
import type { Knowledge } from './env';
import { lockFromArgs } from './lock-names';

/** For each call nested in such an argument, by op id: the lock the enclosing call drops around it. */
export function locksDroppedAround(fn: FunctionIR, knowledge: Knowledge): ReadonlyMap<number, string> {
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
      for (const inner of calls) if (inner !== outer && within(inner.span, arg.span)) out.set(inner.id, lock);
    }
  }
  return out;
}

function within(inner: Span, outer: Span): boolean {
  const starts = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const ends = inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
  return starts && ends;
}
