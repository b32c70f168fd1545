import { isAtomicHold } from '../dataflow/state';
import { gfpFix, nonBlockingFixes, suppressionFix } from '../fixes';
import type { PathEvent } from '../finding';
import { describeHolds, originEvents } from './describe';
import { here, type Rule } from './rule';

/**
 * A call that may block or sleep, directly or through its callees, while a spinlock is held or in
 * another atomic context. The seed's case: a persistent kmap (`pte_offset`, `pte_offset2`, `kmap`),
 * which blocks when its serie's pool is empty, under a spinlock.
 */
export const sleepInAtomic: Rule = {
  id: 'sleep-in-atomic',
  defaultSeverity: 'warning',
  doc: {
    summary: 'A call that may block or sleep runs while a spinlock is held or in another atomic context.',
    what:
      'Finds calls that may sleep (mutexes, waits, user copies, GFP_KERNEL allocations, persistent kmaps whose pool may be empty, and any function that reaches one of these) made while a spinlock is held, preemption or interrupts are disabled, an atomic kmap is pinned, inside an RCU read-side section, or in a callback the kernel runs in atomic context (timer, IRQ, tasklet). The lock may be taken by a caller in another file: the path shows where. The sleeps reached under one context through one call out of the code that holds it are one cause, reported once, where the chain is shortest, saying how many more that call reaches ("the call to foo_flush() at foo.c:33 reaches 2 more sleeping calls, not reported apart"): fixing the call fixes them all.',
    why:
      'A task that sleeps with a spinlock held leaves the CPU while others spin on the lock, and the scheduler complains "scheduling while atomic". With persistent kmaps the failure is a deadlock: when the serie\'s pool is empty the mapper sleeps until another task unmaps, and those tasks may be spinning on the lock it holds.',
    example: [
      'spin_lock(&dst->page_table_lock);',
      'pte = pte_offset2(dir, addr);   /* may block: PAGETABLE2 pool empty */',
      'spin_unlock(&dst->page_table_lock);',
    ].join('\n'),
    fix:
      'Use the non-blocking variant: pte_offset_atomic() for pte_offset() (pte_offset_atomic2() for pte_offset2(); both still released by pte_kunmap()), pte_offset_under_lock() when the only lock held is that mm\'s page_table_lock, kmap_local_page() for kmap(), GFP_ATOMIC for an allocation that cannot be moved out of the lock. Otherwise move the call out of the atomic section.',
  },
  observe(ctx) {
    return {
      sleep(s, site) {
        if (site.holds.length === 0) return;
        const heldPath = originEvents(s.held.filter((h) => isAtomicHold(h) || h.what === 'pin' || h === site.dropped));
        const path: PathEvent[] = [...heldPath];
        if (site.dropped) {
          path.push(here(ctx, 'lock-drop', site.op.span, `${site.callee}() drops '${site.dropped.display}' while it waits, but not the rest`, { lock: site.dropped.lock, callee: site.callee }));
        }
        if (site.chain.length > 0) path.push(...site.chain);
        else path.push(here(ctx, 'sleep', site.op.span, `${site.callee}() ${site.why}`, { callee: site.callee, ...(site.blocksOnSerie ? { blocksOnSerie: site.blocksOnSerie } : {}) }));
        const fixes = nonBlockingFixes(ctx.file, ctx.fn, site.op, site.sem, site.holds, ctx.knowledge);
        if (site.gfpArg) {
          const gfp = gfpFix(ctx.file, site.gfpArg, ctx.knowledge);
          if (gfp) fixes.push(gfp);
        }
        fixes.push(suppressionFix(ctx.file, 'sleep-in-atomic', site.op.span));
        ctx.report({
          rule: 'sleep-in-atomic',
          message: `${site.callee}() ${site.why} while ${describeHolds(site.holds, ctx.fn.name)}`,
          ...spanOfOp(site.op.calleeSpan, site.op.span),
          path,
          fixes,
        });
      },
    };
  },
};

/** Findings about a call point at the callee name through the end of the call. */
export function spanOfOp(callee: { line: number; column: number }, call: { endLine: number; endColumn: number }) {
  return { line: callee.line, column: callee.column, endLine: call.endLine, endColumn: call.endColumn };
}

