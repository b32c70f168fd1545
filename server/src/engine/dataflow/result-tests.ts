/**
 * Tests of a call's result against one error code. autofs's `validate_request()` is called holding
 * `sbi->wq_mutex`, drops it to wait, and returns -EINTR when it could not take it again, 1, 0 or
 * -ENOENT holding it; its caller unlocks `if (ret != -EINTR)`. The result's truth cannot tell those
 * exits apart; its value can: the lock is released exactly when the result is -EINTR.
 */
import { isConstantToken, sameConstant } from './param-tests';
import type { FunctionIR } from '../ir';
import type { PendingTry } from './state';

/** `-EINTR`, `-ERESTARTSYS`: a negated error macro. */
const NEGATED_NAME = /^-[A-Z][A-Z0-9_]*$/;
/** A number from 0 up, as written. */
const NON_NEGATIVE_NUMBER = /^(?:0[xX][0-9a-fA-F]+|\d+)$/;
/** A nonzero decimal number: its sign is known. */
const NONZERO_NUMBER = /^-?[1-9]\d*$/;

/** Whether an exit's value names one result callers can test for: a negated error macro or a nonzero number. */
export function isResultCode(value: string): boolean {
  return NEGATED_NAME.test(value) || NONZERO_NUMBER.test(value);
}

/**
 * Whether two returned values are different codes: different error macros (`aliases` aside), different numbers, an error macro and a number from 0 up; undefined when kpath cannot tell (a macro against a number, anything not constant).
 */
export function differentCodes(a: string, b: string, aliases: ErrnoAliases = {}): boolean | undefined {
  if (a === b) return false;
  const [negatedA, negatedB] = [NEGATED_NAME.test(a), NEGATED_NAME.test(b)];
  if (negatedA && negatedB) return errnoName(a, aliases) !== errnoName(b, aliases);
  // an error code is negative: no number from 0 up is one
  if (negatedA || negatedB) return NON_NEGATIVE_NUMBER.test(negatedA ? b : a) ? true : undefined;
  if (!isConstantToken(a) || !isConstantToken(b)) return undefined;
  const same = sameConstant(a, b);
  return same === undefined ? undefined : !same;
}

/** Error codes that are another's value, by name (the tables' `errnoAliases`: `EWOULDBLOCK` -> `EAGAIN`). */
export type ErrnoAliases = Readonly<Record<string, string>>;

/** `-EWOULDBLOCK` -> `EAGAIN`. */
function errnoName(negated: string, aliases: ErrnoAliases): string {
  const name = negated.slice(1);
  return Object.hasOwn(aliases, name) ? aliases[name]! : name;
}

/** `ret!=-EINTR`, `ret<=0` as tested (whitespace removed): the variable, the operator, the other side. */
const TEST = /^([A-Za-z_]\w*)(==|!=|<=|>=|<|>)(-?[A-Za-z_0-9]\w*)$/;

/**
 * What a test of `variable` taken with `value` says of whether it holds `code` (a result code,
 * `isResultCode`): true, false, or undefined when it does not tell. `ret != -EINTR` true says it
 * does not; `ret` false says it is 0; with a negative code, `ret > 0` true and `ret < 0` false say
 * it does not.
 */
export function testSaysResultIs(expr: string, value: boolean, variable: string, code: string, aliases: ErrnoAliases = {}): boolean | undefined {
  if (expr === variable) return value ? undefined : false;
  if (expr === `!${variable}`) return value ? false : undefined;
  const m = TEST.exec(expr);
  if (!m || m[1] !== variable) return undefined;
  const [, , op, other] = m as unknown as [string, string, string, string];
  if (op === '==' || op === '!=') {
    const equal = (op === '==') === value;
    const differs = differentCodes(other, code, aliases);
    if (differs === false) return equal;
    // equal to another code: not this one; different from another: no telling
    return equal && differs === true ? false : undefined;
  }
  // A relation to 0, which the code's sign decides.
  if (other !== '0') return undefined;
  const negative = code.startsWith('-');
  const holdsForCode = op === '<' || op === '<=' ? negative : !negative;
  return holdsForCode === value ? undefined : false;
}

/** The pending result a test decides (one held unless its call returns a code), and whether the result is that code. */
export function codeTested(pending: readonly PendingTry[], expr: string, value: boolean, aliases: ErrnoAliases = {}): { pending: PendingTry; is: boolean } | undefined {
  for (const p of pending) {
    if (p.heldUnless === undefined || p.variable === undefined) continue;
    const is = testSaysResultIs(expr, value, p.variable, p.heldUnless, aliases);
    if (is !== undefined) return { pending: p, is };
  }
  return undefined;
}

/**
 * The values a local of `fn` may hold, when it is only ever assigned constants and never passed by
 * address (`int valid = 1; ... if (...) valid = 0; return valid;`); else undefined.
 */
export function constantValuesOf(fn: FunctionIR, local: string): string[] | undefined {
  if (!fn.locals.includes(local)) return undefined;
  const values = new Set<string>();
  const address = `&${local}`;
  for (const block of fn.blocks) {
    for (const op of block.ops) {
      if (op.kind === 'assign' && op.target === local) {
        if (op.constant === undefined || op.stepped) return undefined;
        values.add(op.constant);
      } else if (op.kind === 'call' && (op.assignTo === local || op.args.some((a) => a.text === address))) return undefined;
    }
  }
  return values.size > 0 ? [...values] : undefined;
}
