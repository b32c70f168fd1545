/**
 * Locals holding answers to questions about the context. i915's `intel_guc_send_busy_loop()`
 * computes `bool not_atomic = !in_atomic() && !irqs_disabled();` and sleeps only
 * `if (likely(not_atomic))`: under a lock taken with `spin_lock_irqsave()` that way is not taken.
 * A local assigned once, from an `&&` of tests (or an `||`), whose address is never passed: the way
 * on which it is true (false, for an `||`) is the way on which each test took its own value, where
 * the local was assigned. The transfer decides the local there when what the path holds answers
 * one of the tests the other way.
 */
import type { FunctionIR } from '../ir';
import type { Knowledge } from './env';
import { balanced, topLevelParts } from './expression-text';

/** What taking a test of the local says: on the way `when`, each of `tests` (`[expr, value]`) took its value. */
export interface ContextLocal {
  when: boolean;
  tests: readonly (readonly [string, boolean])[];
}

/**
 * The condition a path holds when it set the local with nothing of the function's own held: its
 * answers are about the caller's context, which a summary can then say.
 */
export function askedOnEntry(local: string): string {
  return `asked-on-entry:${local}`;
}

/** The function's locals that hold a conjunction (or a disjunction) of the tables' context tests. */
export function contextTestLocals(fn: FunctionIR, knowledge: Knowledge): ReadonlyMap<string, ContextLocal> {
  let byFn = cache.get(knowledge);
  if (!byFn) cache.set(knowledge, (byFn = new WeakMap()));
  const known = byFn.get(fn);
  if (known) return known;
  const out = new Map<string, ContextLocal>();
  byFn.set(fn, out);
  const assigned = new Map<string, number>();
  const unfit = new Set<string>();
  for (const block of fn.blocks) {
    for (const op of block.ops) {
      if (op.kind === 'call') {
        if (op.assignTo !== undefined) unfit.add(op.assignTo);
        for (const arg of op.args) if (arg.text.startsWith('&')) unfit.add(arg.text.slice(1));
        continue;
      }
      if (op.kind !== 'assign') continue;
      assigned.set(op.target, (assigned.get(op.target) ?? 0) + 1);
      if (op.test === undefined || !fn.locals.includes(op.target) || fn.params.includes(op.target)) continue;
      const local = contextLocal(op.test, knowledge);
      if (local) out.set(op.target, local);
    }
  }
  for (const name of [...out.keys()]) if (assigned.get(name) !== 1 || unfit.has(name)) out.delete(name);
  return out;
}
const cache = new WeakMap<Knowledge, WeakMap<FunctionIR, ReadonlyMap<string, ContextLocal>>>();

/** `!in_atomic()&&!irqs_disabled()` as `{ when: true, tests: [['in_atomic()', false], ['irqs_disabled()', false]] }`. */
function contextLocal(test: string, knowledge: Knowledge): ContextLocal | undefined {
  const and = test.includes('&&');
  const or = test.includes('||');
  if (and === or) return undefined; // neither, or both mixed
  // `a && b` true: each is true; `a || b` false: each is false
  const when = and;
  const tests: (readonly [string, boolean])[] = [];
  for (const part of topLevelParts(test, and ? '&&' : '||')) {
    const { expr, negated } = withoutNegation(part);
    if (knowledge.contextTest(expr) || knowledge.onlyWhereSleeping(expr)) tests.push([expr, negated ? !when : when]);
  }
  return tests.length > 0 ? { when, tests } : undefined;
}

/** `!in_atomic()` as `in_atomic()`, negated; `(x)` as `x`. */
function withoutNegation(part: string): { expr: string; negated: boolean } {
  let expr = part;
  let negated = false;
  for (;;) {
    if (expr.startsWith('!')) [expr, negated] = [expr.slice(1), !negated];
    else if (expr.startsWith('(') && expr.endsWith(')') && balanced(expr.slice(1, -1))) expr = expr.slice(1, -1);
    else return { expr, negated };
  }
}
