/**
 * Which tests of the function's parameters every path to a call has passed: in
 * `if (sleep_ok) msleep(ms); else mdelay(ms);` the msleep() is behind `sleep_ok` being true. A
 * summary records a sleep behind such tests as conditional on them, so that a caller passing a
 * constant that fails one (`t4_wr_mbox_meat(..., false)`) does not sleep there.
 *
 * A forward must-analysis over the CFG (the tests that hold on every way into a block), computed
 * from the IR alone, not kept on states: remembering every parameter test on the states of the
 * exploration would split them for nothing in most functions. A parameter whose address the
 * function passes, or which it assigns anything but constants, is not tested in this sense; one it
 * assigns only constants of one truth (`if (timeout < 0) sleep_ok = false;`) is tested only the
 * other way: a path where `sleep_ok` is true has the caller's `sleep_ok` true.
 */
import type { FunctionIR } from '../ir';
import { CONSTANT_TRUTH } from './state';

/**
 * A test of a parameter a path passed: `[index, value]` for the parameter's truth, `[index, value,
 * constant]` for whether it equals a constant (`action == LED_CTL_POWER_OFF`, a switch's case).
 */
export type ParamTest = readonly [number, boolean] | readonly [number, boolean, string];
export type ParamTests = readonly ParamTest[];

const cache = new WeakMap<FunctionIR, Map<number, ParamTests>>();
const testable = new WeakMap<FunctionIR, Map<string, TestableParam>>();

/** A parameter whose tests say what the caller passed: all of them, or only those finding it `only`. */
export interface TestableParam {
  index: number;
  only?: boolean;
}

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
      const fact = edge.cond && factOf(index, edge.cond.expr, edge.cond.value);
      const along = fact === undefined ? here : new Set([...here, fact]);
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
    const tests: ParamTests = [...set].map((f) => {
      const [param, value, ...constant] = f.split(':');
      return constant.length ? ([Number(param), value === '1', constant.join(':')] as const) : ([Number(param), value === '1'] as const);
    });
    for (const op of block.ops) if (op.kind === 'call') out.set(op.id, tests);
  }
  return out;
}

/** The fact an edge testing `expr` with `value` gives, as `index:0|1` or `index:0|1:constant`. */
function factOf(index: ReadonlyMap<string, TestableParam>, expr: string, value: boolean): string | undefined {
  const param = index.get(expr);
  if (param !== undefined) return param.only === undefined || param.only === value ? `${param.index}:${value ? 1 : 0}` : undefined;
  const c = comparison(expr, (name) => index.has(name) || !isConstantToken(name));
  const compared = c && index.get(c.name);
  if (!c || !compared || compared.only !== undefined) return undefined;
  return `${compared.index}:${value === c.equal ? 1 : 0}:${c.constant}`;
}

/** Whether two parameter tests ask the same question (the same parameter, the same constant or none). */
export function sameQuestion(a: ParamTest, b: ParamTest): boolean {
  return a[0] === b[0] && a[2] === b[2];
}

/** Parameters by name whose tests say what the caller passed (see the top of this file). */
export function testableParams(fn: FunctionIR): ReadonlyMap<string, TestableParam> {
  const known = testable.get(fn);
  if (known) return known;
  const index = new Map<string, TestableParam>();
  testable.set(fn, index);
  fn.params.forEach((p, i) => {
    if (p !== null && !fn.locals.includes(p)) index.set(p, { index: i });
  });
  for (const block of fn.blocks) {
    for (const op of block.ops) {
      if (op.kind === 'assign') {
        const param = index.get(op.target);
        const truth = op.constant === undefined ? undefined : CONSTANT_TRUTH[op.constant];
        if (!param) continue;
        // Assigned `truth`: a test finding the opposite saw the caller's value; two truths, neither does.
        if (truth === undefined || param.only === truth) index.delete(op.target);
        else index.set(op.target, { index: param.index, only: !truth });
      } else if (op.kind === 'call') {
        if (op.assignTo !== undefined) index.delete(op.assignTo);
        for (const arg of op.args) if (arg.text.startsWith('&')) index.delete(arg.text.slice(1));
      }
    }
  }
  return index;
}

const NUMBER = '0[xX][0-9a-fA-F]+|\\d+';
const IS_NUMBER = new RegExp(`^(?:${NUMBER})$`);
const IS_CONSTANT = new RegExp(`^(?:[A-Z][A-Za-z0-9_]*|${NUMBER})$`);
/** `x==C` or `C!=x` as tested (whitespace removed), with `C` a constant: an enumerator, a macro or a number. */
const COMPARISON = new RegExp(`^([A-Za-z_]\\w*|${NUMBER})(==|!=)([A-Za-z_]\\w*|${NUMBER})$`);

/** A constant token: an all-capitals or capitalised name (`WAIT_SLEEP`, `WaitSleep`), or a number. */
export function isConstantToken(text: string): boolean {
  return IS_CONSTANT.test(text);
}

/**
 * Whether two constant tokens are one value: the same text, or numbers of one value; two different
 * names are taken for different values (enumerators), which can only prune a path, never add one.
 */
export function sameConstant(a: string, b: string): boolean | undefined {
  if (a === b) return true;
  const [numberA, numberB] = [IS_NUMBER.test(a), IS_NUMBER.test(b)];
  if (numberA && numberB) return Number(a) === Number(b);
  return numberA || numberB ? undefined : false;
}

/**
 * Which names are variables: by default those that do not look like constants; a function's
 * analysis says its parameters and locals are (realtek's `LedAction` is a parameter).
 */
export type IsVariable = (name: string) => boolean;
const notConstant: IsVariable = (name) => !isConstantToken(name);

/** The variables of `fn`, and whatever does not look like a constant. */
export function variablesOf(fn: FunctionIR): IsVariable {
  const declared = new Set<string | null>([...fn.params, ...fn.locals]);
  return (name) => declared.has(name) || !isConstantToken(name);
}

/** A test of a variable against a constant: `{ name, constant, equal }` for `name == constant`. */
export function comparison(expr: string, isVariable: IsVariable = notConstant): { name: string; constant: string; equal: boolean } | undefined {
  const m = COMPARISON.exec(expr);
  if (!m) return undefined;
  const [, left, op, right] = m as unknown as [string, string, string, string];
  const equal = op === '==';
  const [leftVariable, rightVariable] = [isVariable(left), isVariable(right)];
  if (isConstantToken(right) && !rightVariable && leftVariable) return { name: left, constant: right, equal };
  if (isConstantToken(left) && !leftVariable && rightVariable) return { name: right, constant: left, equal };
  return undefined;
}

/** `flags&CMD_ASYNC` as tested: `{ name, constant }`, with `constant` a constant token and `name` a variable. */
export function bitTest(expr: string, isVariable: IsVariable = notConstant): { name: string; constant: string } | undefined {
  const m = BIT_TEST.exec(expr);
  if (!m || !isConstantToken(m[2]!) || isVariable(m[2]!) || !isVariable(m[1]!)) return undefined;
  return { name: m[1]!, constant: m[2]! };
}
const BIT_TEST = new RegExp(`^([A-Za-z_]\\w*)&([A-Za-z_]\\w*|${NUMBER})$`);

/**
 * What a known value says of a test, when it decides it: `x==C` and `x!=C` by the constants
 * (`sameConstant`), `x&C` true when the value is C itself, and by the bits when both are numbers.
 */
export function decidedBy(expr: string, known: (name: string) => string | undefined, isVariable: IsVariable = notConstant): boolean | undefined {
  const c = comparison(expr, isVariable);
  if (c) {
    const value = known(c.name);
    const same = value === undefined ? undefined : sameConstant(value, c.constant);
    return same === undefined ? undefined : same === c.equal;
  }
  const b = bitTest(expr, isVariable);
  const value = b && known(b.name);
  if (!b || value === undefined) return undefined;
  if (IS_NUMBER.test(value) && IS_NUMBER.test(b.constant)) return (Number(value) & Number(b.constant)) !== 0;
  return sameConstant(value, b.constant) === true && !(IS_NUMBER.test(value) && Number(value) === 0) ? true : undefined;
}

/**
 * Parameters the function compares with a constant (`if (wait_type == WaitSleep)`) or tests a
 * constant's bits of (`if (flags & CMD_ASYNC)`) and never assigns: a caller passing a constant
 * there decides those tests (the context says which value).
 */
export function comparedParams(fn: FunctionIR): string[] {
  const params = testableParams(fn);
  return [...comparedNames(fn)].filter((name) => params.has(name) && params.get(name)!.only === undefined).sort();
}

/** The names `fn` tests against a constant, `x == C` or `x & C` (a parameter, a local, a global). */
export function comparedNames(fn: FunctionIR): ReadonlySet<string> {
  const known = compared.get(fn);
  if (known) return known;
  const variables = variablesOf(fn);
  const out = new Set<string>();
  for (const block of fn.blocks) {
    for (const edge of block.succs) {
      const c = edge.cond && (comparison(edge.cond.expr, variables) ?? bitTest(edge.cond.expr, variables));
      if (c) out.add(c.name);
    }
  }
  compared.set(fn, out);
  return out;
}
const compared = new WeakMap<FunctionIR, ReadonlySet<string>>();

/** Calls a small function makes at most to count as a wrapper whose parameters it hands on (`forwardedParams`). */
export const WRAPPER_CALLS = 3;

/**
 * A wrapper's parameters handed on unchanged as a direct call's argument, as `[callee, index,
 * param]`: iwlwifi's iwl_dbg_tlv_time_point(fwrt, tp_id, data) calls
 * _iwl_dbg_tlv_time_point(fwrt, tp_id, data, false), which switches on `tp_id`, so a caller's
 * constant for the wrapper's `tp_id` decides the callee's cases too. Only functions of at most
 * WRAPPER_CALLS calls: the facts are kept for the whole program.
 */
export function forwardedParams(fn: FunctionIR): [string, number, string][] {
  const calls = fn.blocks.flatMap((b) => b.ops.filter((op) => op.kind === 'call'));
  if (calls.length === 0 || calls.length > WRAPPER_CALLS) return [];
  const params = testableParams(fn);
  const out: [string, number, string][] = [];
  for (const op of calls) {
    if (op.indirect) continue;
    op.args.forEach((arg, i) => {
      if (params.has(arg.text)) out.push([op.callee, i, arg.text]);
    });
  }
  return out;
}
