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
import type { Edge, FunctionIR } from '../ir';
import { CONSTANT_TRUTH, type State, knownTruth } from './state';
import { forwardFlow } from './forward';
import { POINTER_MEMBER, rootIdentifier } from './lock-names';

/**
 * A test of a parameter a path passed: `[index, value]` for the parameter's truth; `[index, value,
 * constant]` for whether it equals a constant (`action == LED_CTL_POWER_OFF`, a switch's case) or,
 * the constant written `&C`, has its bits (`flags & CMD_ASYNC`); `[index, value, constant, member]`
 * for the same test of a member the parameter points to (`cmd->flags & CMD_ASYNC`: `flags`).
 */
export type ParamTest = readonly [number, boolean] | readonly [number, boolean, string] | readonly [number, boolean, string, string];
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
  const out = new Map<number, ParamTests>();
  for (const block of fn.blocks) {
    const tests = paramTestsAtBlocks(fn).get(block.id);
    if (tests) for (const op of block.ops) if (op.kind === 'call') out.set(op.id, tests);
  }
  cache.set(fn, out);
  return out;
}

/** Block id -> the parameter tests every path into it passed (absent: none). */
export function paramTestsAtBlocks(fn: FunctionIR): ReadonlyMap<number, ParamTests> {
  const known = blockCache.get(fn);
  if (known) return known;
  const index = testableParams(fn);
  const out = new Map<number, ParamTests>();
  blockCache.set(fn, out);
  if (index.size === 0) return out;
  // facts per block as `${param}:${0|1}` sets: those every way into it passed
  const facts = forwardFlow<ReadonlySet<string>>(fn, new Set(), {
    through: (_block, entry) => entry,
    along: (edge, exit) => {
      const facts = edge.cond ? factsOf(fn, index, edge.cond.expr, edge.cond.value) : [];
      return facts.length === 0 ? exit : new Set([...exit, ...facts]);
    },
    join: (before, along) => new Set([...before].filter((f) => along.has(f))),
    same: (a, b) => a.size === b.size, // facts only shrink
  });
  // past the bound no test is claimed, which can only keep a sleep
  if (!facts) return out;
  for (const [id, set] of facts) if (set.size > 0) out.set(id, [...set].map(testOf));
  return out;
}
const blockCache = new WeakMap<FunctionIR, Map<number, ParamTests>>();

/** The parameter tests taking `edge` passes (none when its condition is no such test). */
export function testsOnEdge(fn: FunctionIR, edge: Edge): ParamTest[] {
  return edge.cond ? factsOf(fn, testableParams(fn), edge.cond.expr, edge.cond.value).map(testOf) : [];
}

/**
 * The facts a test gives: one for a test of a parameter; for a switch's default edge
 * (`mode==A||mode==B` false), one for each case it found failing.
 */
function factsOf(fn: FunctionIR, index: ReadonlyMap<string, TestableParam>, expr: string, value: boolean): string[] {
  if (!expr.includes('||')) {
    const fact = factOf(fn, index, expr, value);
    return fact === undefined ? [] : [fact];
  }
  if (value) return []; // one of them held: which, the edge does not say
  return expr.split('||').flatMap((part) => factOf(fn, index, part, false) ?? []);
}

function testOf(fact: string): ParamTest {
  const [param, value, constant, member] = fact.split(':');
  const head = [Number(param), value === '1'] as const;
  return constant === undefined ? head : member === undefined ? [...head, constant] : [...head, constant, member];
}

/** The fact an edge testing `expr` with `value` gives, as `index:0|1`, `index:0|1:constant` or `index:0|1:constant:member`. */
function factOf(fn: FunctionIR, index: ReadonlyMap<string, TestableParam>, expr: string, value: boolean): string | undefined {
  const param = index.get(expr);
  if (param !== undefined) return param.only === undefined || param.only === value ? `${param.index}:${value ? 1 : 0}` : undefined;
  const copies = copiedParams(fn);
  // `if (cmd_type)` with `cmd_type = cmd->type`: the test of `cmd->type`
  const copied = copies.get(expr);
  if (copied !== undefined) return factOf(fn, index, copied, value);
  const t = constantTest(expr, (name) => index.has(name) || copies.has(name) || !isConstantToken(name));
  if (!t) return undefined;
  const name = copies.get(t.name) ?? t.name;
  const { base, member } = memberOf(name);
  const compared = index.get(base);
  if (!compared || compared.only !== undefined || (member !== undefined && !memberKept(fn, name))) return undefined;
  return `${compared.index}:${value === t.equal ? 1 : 0}:${t.constant}${member === undefined ? '' : `:${member}`}`;
}

/**
 * Locals that stand for a parameter, or a member it points to, through the whole function: a copy
 * of it (`cmd_type = cmd->type`, qlcnic's mailbox switching on the command's type) assigned
 * nothing else, whose address is never passed. A test of the local is a test of what it copies.
 */
export function copiedParams(fn: FunctionIR): ReadonlyMap<string, string> {
  const known = copies.get(fn);
  if (known) return known;
  const out = new Map<string, string>();
  copies.set(fn, out);
  const params = testableParams(fn);
  const assigned = new Map<string, number>();
  const copyOf = new Map<string, string>();
  const unfit = new Set<string>();
  for (const block of fn.blocks) {
    for (const op of block.ops) {
      if (op.kind === 'assign') {
        assigned.set(op.target, (assigned.get(op.target) ?? 0) + 1);
        if (op.copyOf !== undefined) copyOf.set(op.target, op.copyOf);
      } else if (op.kind === 'call') {
        if (op.assignTo !== undefined) unfit.add(op.assignTo);
        for (const arg of op.args) if (arg.text.startsWith('&')) unfit.add(arg.text.slice(1));
      }
    }
  }
  for (const [local, from] of copyOf) {
    if (!fn.locals.includes(local) || fn.params.includes(local) || assigned.get(local) !== 1 || unfit.has(local)) continue;
    const { base, member } = memberOf(from);
    const param = params.get(base);
    if (param === undefined || param.only !== undefined || !IS_VARIABLE.test(from)) continue;
    if (member === undefined || memberKept(fn, from)) out.set(local, from);
  }
  return out;
}
const copies = new WeakMap<FunctionIR, Map<string, string>>();

/** Whether two parameter tests ask the same question (the same parameter and member, the same constant or none). */
export function sameQuestion(a: ParamTest, b: ParamTest): boolean {
  return a[0] === b[0] && a[2] === b[2] && a[3] === b[3];
}

/** `cmd->flags` as `{ base: 'cmd', member: 'flags' }`; a plain name has no member. */
export function memberOf(name: string): { base: string; member?: string } {
  const at = name.indexOf('->');
  return at < 0 ? { base: name } : { base: name.slice(0, at), member: name.slice(at + 2) };
}

/**
 * Whether the function leaves the member `path` (`cmd->flags`) as its caller set it: it assigns
 * neither it, nor a member around or inside it, nor the whole object (`*cmd`). A callee it passes the
 * pointer to could; that is left to the callee (it is rare, and it can only prune a path).
 */
export function memberKept(fn: FunctionIR, path: string): boolean {
  let kept = keptMembers.get(fn);
  if (!kept) keptMembers.set(fn, (kept = new Map()));
  const known = kept.get(path);
  if (known !== undefined) return known;
  const { base } = memberOf(path);
  const touches = (target: string) =>
    target === `*${base}` || target === path || target.startsWith(`${path}.`) || target.startsWith(`${path}[`) || path.startsWith(`${target}.`);
  const out = !fn.blocks.some((b) => b.ops.some((op) => op.kind === 'assign' && touches(op.target)));
  kept.set(path, out);
  return out;
}
const keptMembers = new WeakMap<FunctionIR, Map<string, boolean>>();

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

const NUMBER = '-?(?:0[xX][0-9a-fA-F]+|\\d+)';
const IS_NUMBER = new RegExp(`^(?:${NUMBER})$`);
const IS_CONSTANT = new RegExp(`^(?:[A-Z][A-Za-z0-9_]*|${NUMBER}|true|false)$`);
/** A name, or a member a pointer points to (`cmd->flags`, `cmd->hdr.flags`). */
const VARIABLE = '[A-Za-z_]\\w*(?:->[A-Za-z_]\\w*(?:\\.[A-Za-z_]\\w*)*)?';
const IS_VARIABLE = new RegExp(`^${VARIABLE}$`);
/** `x==C` or `C!=x` as tested (whitespace removed), with `C` a constant: an enumerator, a macro or a number. */
const COMPARISON = new RegExp(`^(${VARIABLE}|${NUMBER})(==|!=|<=|>=|<|>)(${VARIABLE}|${NUMBER})$`);
/** A relation to a number as a test's constant writes it, the variable on the left: `>0`, `<=16`. */
const RELATION = new RegExp(`^(<=|>=|<|>)(${NUMBER})$`);
const MIRRORED: Readonly<Record<string, string>> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=' };
const HOLDS: Readonly<Record<string, (a: number, b: number) => boolean>> = { '<': (a, b) => a < b, '>': (a, b) => a > b, '<=': (a, b) => a <= b, '>=': (a, b) => a >= b };

/**
 * Whether an argument has the bits of `bit`, as far as the path knows: `gup_flags | FOLL_FAST_ONLY`
 * has them; a variable has them where the path or-ed them in (`gup_flags |= FOLL_FAST_ONLY`, the
 * condition `gup_flags&FOLL_FAST_ONLY`). Undefined when the path does not know.
 */
export function bitKnown(argument: string, bit: string, conds: State['conds'], isVariable: IsVariable = notConstant): boolean | undefined {
  if (argument.includes('|') && argument.split('|').some((part) => !isVariable(part) && sameConstant(part, bit) === true)) return true;
  return IS_VARIABLE.test(argument) ? knownTruth(conds, `${argument}&${bit}`) : undefined;
}

/**
 * The bits a context tells a callee's parameter `param` it has (`param&FOLL_FAST_ONLY`, true),
 * for the argument passed there: its constants or-ed with a variable, or the bits the path knows
 * the variable has.
 */
export function bitFacts(param: string, argument: string, conds: State['conds'], isVariable: IsVariable = notConstant): (readonly [string, boolean])[] {
  if (argument.includes('|')) return argument.split('|').filter((part) => !isVariable(part) && IS_CONSTANT.test(part)).map((bit) => [`${param}&${bit}`, true] as const);
  if (!IS_VARIABLE.test(argument)) return [];
  const prefix = `${argument}&`;
  return conds.filter(([e]) => e.startsWith(prefix) && IS_CONSTANT.test(e.slice(prefix.length))).map(([e, v]) => [`${param}&${e.slice(prefix.length)}`, v] as const);
}

/** Whether a test's constant is a relation to a number (`>0`) rather than a value. */
export function isRelation(constant: string): boolean {
  return RELATION.test(constant);
}

/** A constant token: an all-capitals or capitalised name (`WAIT_SLEEP`, `WaitSleep`), a number, `true` or `false`. */
export function isConstantToken(text: string): boolean {
  return IS_CONSTANT.test(text);
}

/**
 * Whether two constant tokens are one value: the same text, or numbers of one value; two different
 * names are taken for different values (enumerators), which can only prune a path, never add one.
 */
export function sameConstant(a: string, b: string): boolean | undefined {
  if (a === b) return true;
  // `true`, `false` and `NULL` are numbers too (1, 0, 0)
  if (Object.hasOwn(CONSTANT_TRUTH, a) || Object.hasOwn(CONSTANT_TRUTH, b)) {
    const [x, y] = [truthNumber(a), truthNumber(b)];
    if (x !== undefined && y !== undefined) return x === y;
  }
  const [numberA, numberB] = [IS_NUMBER.test(a), IS_NUMBER.test(b)];
  if (numberA && numberB) return numberOf(a) === numberOf(b);
  return numberA || numberB ? undefined : false;
}

function truthNumber(constant: string): number | undefined {
  const truth = Object.hasOwn(CONSTANT_TRUTH, constant) ? CONSTANT_TRUTH[constant] : undefined;
  return truth === undefined ? (IS_NUMBER.test(constant) ? numberOf(constant) : undefined) : Number(truth);
}

/** A number's text as C writes it, negative ones too (`Number('-0x10')` is NaN). */
function numberOf(text: string): number {
  return text.startsWith('-') ? -Number(text.slice(1)) : Number(text);
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
  const [leftVariable, rightVariable] = [isVariable(left), isVariable(right)];
  if (op !== '==' && op !== '!=') {
    // `wait_ms > 0`: a relation to a number, which a number passed decides
    if (IS_NUMBER.test(right) && leftVariable && !IS_NUMBER.test(left)) return { name: left, constant: `${op}${right}`, equal: true };
    if (IS_NUMBER.test(left) && rightVariable && !IS_NUMBER.test(right)) return { name: right, constant: `${MIRRORED[op]}${left}`, equal: true };
    return undefined;
  }
  const equal = op === '==';
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
const BIT_TEST = new RegExp(`^(${VARIABLE})&([A-Za-z_]\\w*|${NUMBER})$`);

/**
 * A test of a variable against a constant, as a parameter test writes the constant: `C` for
 * `x == C` (`equal` false for `x != C`), `&C` for `x & C`.
 */
export function constantTest(expr: string, isVariable: IsVariable = notConstant): { name: string; constant: string; equal: boolean } | undefined {
  const c = comparison(expr, isVariable) ?? memberTruth(expr, isVariable);
  if (c) return c;
  const b = bitTest(expr, isVariable);
  return b && { name: b.name, constant: `&${b.constant}`, equal: true };
}

/**
 * A member's truth tested (`if (args->force)`), as the comparison it is: `args->force != 0`. Plain
 * variables' truth is a test of its own (`[index, value]`), and only members through a pointer
 * are taken: a caller that set one (`args->force = true`) decides the test.
 */
export function memberTruth(expr: string, isVariable: IsVariable = notConstant): { name: string; constant: string; equal: boolean } | undefined {
  return POINTER_MEMBER.test(expr) && isVariable(rootIdentifier(expr)!) ? { name: expr, constant: '0', equal: false } : undefined;
}

/**
 * Whether a known value meets a parameter test's constant: equals `C` (`sameConstant`), or has
 * the bits of `&C`: when the value is C itself, by the bits when both are numbers, never for 0.
 * Undefined when the value does not say.
 */
export function meets(value: string, constant: string): boolean | undefined {
  const parts = value.split('|');
  const relation = RELATION.exec(constant);
  if (relation) {
    const number = parts.length === 1 ? truthNumber(value) : undefined;
    if (number === undefined) return undefined;
    return HOLDS[relation[1]!]!(number, numberOf(relation[2]!));
  }
  if (!constant.startsWith('&')) return parts.length === 1 ? sameConstant(value, constant) : undefined;
  const bits = constant.slice(1);
  // `CMD_ASYNC | CMD_WANT_SKB` has CMD_ASYNC's bits
  if (parts.some((part) => sameConstant(part, bits) === true && !(IS_NUMBER.test(part) && numberOf(part) === 0))) return true;
  if (!parts.every((part) => IS_NUMBER.test(part))) return undefined;
  const ored = parts.reduce((n, part) => n | numberOf(part), 0);
  return ored === 0 ? false : IS_NUMBER.test(bits) ? (ored & numberOf(bits)) !== 0 : undefined;
}

/** A constant value as an argument writes it: a constant token, or an or of them (`CMD_ASYNC | CMD_WANT_SKB`). */
export function isConstantValue(text: string, isVariable: IsVariable = notConstant): boolean {
  return text.split('|').every((part) => !isVariable(part));
}

/**
 * What a known value says of a test, when it decides it: `x==C` and `x!=C` by the constants
 * (`sameConstant`), `x&C` by `meets`.
 */
export function decidedBy(expr: string, known: (name: string) => string | undefined, isVariable: IsVariable = notConstant): boolean | undefined {
  // a switch's default edge: `mode==A||mode==B`, true when one is
  if (expr.includes('||')) {
    let all = true;
    for (const part of expr.split('||')) {
      const decided = decidedBy(part, known, isVariable);
      if (decided === true) return true;
      if (decided === undefined) all = false;
    }
    return all ? false : undefined;
  }
  const t = constantTest(expr, isVariable);
  const value = t && known(t.name);
  const met = value === undefined ? undefined : meets(value, t!.constant);
  return met === undefined ? undefined : met === t!.equal;
}

/**
 * Parameters the function compares with a constant (`if (wait_type == WaitSleep)`) or tests a
 * constant's bits of (`if (flags & CMD_ASYNC)`) and never assigns, and members they point to it
 * tests so and keeps (`cmd->flags`): a caller passing a constant there (or a structure with the
 * constant in that member) decides those tests (the context says which value).
 */
export function comparedParams(fn: FunctionIR): string[] {
  const params = testableParams(fn);
  const copies = copiedParams(fn);
  // a copy of a member tested for its truth (`file = store->file; if (file)`) tests the member's
  const truthOfCopies = fn.blocks.flatMap((b) => b.succs.map((e) => e.cond && copies.get(e.cond.expr))).filter((from): from is string => from?.includes('->') === true);
  return [...new Set([...comparedNames(fn)].map((name) => copies.get(name) ?? name).concat(truthOfCopies))]
    .filter((name) => {
      const { base, member } = memberOf(name);
      return params.get(base)?.only === undefined && params.has(base) && (member === undefined || memberKept(fn, name));
    })
    .sort();
}

/**
 * The names `fn` tests against a constant, `x == C` or `x & C` (a parameter, a local, a global),
 * and the parameters it compares with a number (`wait_ms > 0`).
 */
export function comparedNames(fn: FunctionIR): ReadonlySet<string> {
  const known = compared.get(fn);
  if (known) return known;
  const variables = variablesOf(fn);
  const stepped = new Set(fn.blocks.flatMap((b) => b.ops.flatMap((op) => (op.kind === 'assign' && op.stepped ? [op.target] : []))));
  const out = new Set<string>();
  for (const block of fn.blocks) {
    for (const edge of block.succs) {
      const c = edge.cond && (comparison(edge.cond.expr, variables) ?? bitTest(edge.cond.expr, variables) ?? memberTruth(edge.cond.expr, variables));
      // A counter's relation (`i < 16`) is a loop's bound, not a mode the function switches on;
      // a local that is only set (`int wakeup = -1; ... if (wakeup >= 0)`) may be one.
      if (c && !(isRelation(c.constant) && !fn.params.includes(memberOf(c.name).base) && stepped.has(c.name))) out.add(c.name);
    }
  }
  compared.set(fn, out);
  return out;
}
const compared = new WeakMap<FunctionIR, ReadonlySet<string>>();

/** `!p`, `p == 0`, `p == NULL`: true when `p` is false. */
const NEGATION = /^(?:!\s*([A-Za-z_]\w*)|([A-Za-z_]\w*)\s*==\s*(?:0|NULL))$/;
/** `p != 0`, `p != NULL`: true when `p` is. */
const SAME = /^([A-Za-z_]\w*)\s*!=\s*(?:0|NULL)$/;
/** `p > 0`: true only when `p` is (a negative `p` is true and fails it). */
const POSITIVE = /^([A-Za-z_]\w*)\s*>\s*0$/;

/**
 * What an argument's truth `value` says of the variable it tests: `wait_ms > 0` true says
 * `wait_ms` is, false says nothing (`truth` undefined); an argument that is no such test is its
 * own variable.
 */
export function truthOfVariable(text: string, value: boolean): { name: string; truth: boolean | undefined } {
  let m = NEGATION.exec(text);
  if (m) return { name: (m[1] ?? m[2])!, truth: !value };
  m = SAME.exec(text);
  if (m) return { name: m[1]!, truth: value };
  m = POSITIVE.exec(text);
  if (m) return { name: m[1]!, truth: value ? true : undefined };
  return { name: text, truth: value };
}

/** An argument's truth where the path knows its variable's (`conds`): `wait_ms > 0` is false where `wait_ms` is. */
export function truthOfArgument(text: string, conds: State['conds']): boolean | undefined {
  for (const value of [true, false]) {
    const { name, truth } = truthOfVariable(text, value);
    if (name === text || truth === undefined) continue;
    const known = knownTruth(conds, name);
    // the argument cannot have the other truth
    if (known !== undefined && known !== truth) return !value;
  }
  return undefined;
}
