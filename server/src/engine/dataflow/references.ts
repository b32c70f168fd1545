/**
 * References a path counts on an object's counter (`refcount_inc(&lnk->refcnt)`), kept as
 * conditions of the state: a put that balances a get of the same path cannot drop the last
 * reference, so the release behind `if (refcount_dec_and_test(&lnk->refcnt))` (which frees the
 * object, and may sleep) does not run there. smc takes a reference on a link before it queues
 * work, and drops it again when the work was already queued; fscache does the same with a cookie.
 *
 * Two marks, each a condition `[mark, true]` (state.ts keeps conditions sorted and in the key):
 * - `holds-ref:C`: the path took a reference on counter `C` and has not dropped it;
 * - `not-last:N`: the put-and-test call op `N` dropped such a reference: it returns false.
 *
 * Where a put-and-test found a counter at zero is not kept on states (it would split them after
 * every `if (refcount_dec_and_test(...)) kfree(...)`): `lastPutsAtCalls` computes it from the IR,
 * and a sleep there is summarised as reached unless the caller holds a reference on one of them.
 */
import type { CallOp, Condition, FunctionIR } from '../ir';
import type { Knowledge } from './env';
import { lockFromArgs } from './lock-names';
import { forwardFlow } from './forward';
import type { State } from './state';
import { withCondition } from './state';

const HOLDS = 'holds-ref:';
const NOT_LAST = 'not-last:';

export function holdsReference(s: State, counter: string): boolean {
  const mark = referenceMark(counter);
  return s.conds.some(([e]) => e === mark);
}

/** The condition a path holding a reference on `counter` has. */
export function referenceMark(counter: string): string {
  return HOLDS + counter;
}

/** The counters a path with these conditions holds a reference on. */
export function referencesHeld(conds: State['conds']): string[] {
  return conds.flatMap(([e]) => (e.startsWith(HOLDS) ? [e.slice(HOLDS.length)] : []));
}

export function takeReference(s: State, counter: string): State {
  return withCondition(s, referenceMark(counter), true) ?? s;
}

/** Drops the path's reference on `counter`, if it holds one; `at`, a put-and-test's op, then returns false. */
export function dropReference(s: State, counter: string, at?: number): State {
  if (!holdsReference(s, counter)) return s;
  const mark = referenceMark(counter);
  const rest = { ...s, conds: s.conds.filter(([e]) => e !== mark) };
  return at === undefined ? rest : withCondition(rest, NOT_LAST + at, true) ?? rest;
}

/**
 * Taking a way out of a put-and-test (`zero`: the way where it returned true): undefined where the
 * path's own reference rules the last put out, else the state.
 */
export function afterPutTest(s: State, put: PutTest, zero: boolean): State | undefined {
  const mark = NOT_LAST + put.op;
  if (!s.conds.some(([e]) => e === mark)) return s;
  return zero ? undefined : { ...s, conds: s.conds.filter(([e]) => e !== mark) };
}

/**
 * Call op id -> the counters a put-and-test found at zero on every way to it (`if
 * (refcount_dec_and_test(&lnk->refcnt)) smcr_link_clear(lnk);`), sorted; absent: none. A must
 * analysis over the CFG, computed once per function.
 */
export function lastPutsAtCalls(fn: FunctionIR, knowledge: Knowledge): ReadonlyMap<number, readonly string[]> {
  let byFn = lastPutsCache.get(knowledge);
  if (!byFn) lastPutsCache.set(knowledge, (byFn = new WeakMap()));
  const known = byFn.get(fn);
  if (known) return known;
  const out = new Map<number, readonly string[]>();
  byFn.set(fn, out);
  if (putTests(fn, knowledge).size === 0) return out;
  const facts = forwardFlow<ReadonlySet<string>>(fn, new Set(), {
    through: (_block, entry) => entry,
    along: (edge, exit) => {
      const put = edge.cond?.value ? putTestOf(fn, knowledge, edge.cond) : undefined;
      return put === undefined || exit.has(put.counter) ? exit : new Set([...exit, put.counter]);
    },
    join: (before, along) => new Set([...before].filter((c) => along.has(c))),
    same: (a, b) => a.size === b.size, // facts only shrink
  });
  // past the bound nothing is claimed, which can only keep a sleep
  if (!facts) return out;
  for (const block of fn.blocks) {
    const counters = facts.get(block.id);
    if (!counters || counters.size === 0) continue;
    const sorted = [...counters].sort();
    for (const op of block.ops) if (op.kind === 'call') out.set(op.id, sorted);
  }
  return out;
}
const lastPutsCache = new WeakMap<Knowledge, WeakMap<FunctionIR, Map<number, readonly string[]>>>();

export interface PutTest {
  op: number;
  counter: string;
}

/** The put-and-test a condition tests (`if (refcount_dec_and_test(&r))`, or `if (zero)` after `zero = ...`), if any. */
export function putTestOf(fn: FunctionIR, knowledge: Knowledge, cond: Condition): PutTest | undefined {
  const tests = putTests(fn, knowledge);
  if (tests.size === 0) return undefined;
  return (cond.callOp !== undefined ? tests.get(cond.callOp) : undefined) ?? tests.get(cond.expr);
}

/**
 * The function's put-and-test calls by op id, and by the local their result is put in when it is
 * assigned nowhere else (`zero = __refcount_dec_and_test(&cookie->ref, &ref); ... if (zero)`).
 */
function putTests(fn: FunctionIR, knowledge: Knowledge): ReadonlyMap<number | string, PutTest> {
  let byFn = cache.get(knowledge);
  if (!byFn) cache.set(knowledge, (byFn = new WeakMap()));
  const known = byFn.get(fn);
  if (known) return known;
  const out = new Map<number | string, PutTest>();
  byFn.set(fn, out);
  const assigned = new Map<string, number>();
  const count = (name: string) => assigned.set(name, (assigned.get(name) ?? 0) + 1);
  const found: [CallOp, PutTest][] = [];
  for (const block of fn.blocks) {
    for (const op of block.ops) {
      if (op.kind === 'assign') count(op.target);
      if (op.kind !== 'call') continue;
      if (op.assignTo) count(op.assignTo);
      const counter = counterOf(op, knowledge, 'putTest');
      if (counter !== undefined) found.push([op, { op: op.id, counter }]);
    }
  }
  for (const [op, put] of found) {
    out.set(op.id, put);
    if (op.assignTo && IDENTIFIER.test(op.assignTo) && assigned.get(op.assignTo) === 1) out.set(op.assignTo, put);
  }
  return out;
}
const cache = new WeakMap<Knowledge, WeakMap<FunctionIR, Map<number | string, PutTest>>>();

/** The counter a reference-counting call of kind `does` counts on (`lnk->refcnt` of `&lnk->refcnt`). */
function counterOf(op: CallOp, knowledge: Knowledge, does: 'get' | 'put' | 'putTest'): string | undefined {
  const ref = knowledge.call(op.callee, op.args.length)?.reference;
  if (ref?.does !== does) return undefined;
  // named as a lock is, so that a callee's counter is the caller's by the same substitution
  return lockFromArgs({ arg: ref.arg }, op.args);
}

const IDENTIFIER = /^[A-Za-z_]\w*$/;
