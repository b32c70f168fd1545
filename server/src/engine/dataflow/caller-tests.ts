/**
 * What a function knows, at one of its calls, of the things its callee's tests compare: a
 * constant it passes (`LED_CTL_POWER_OFF`), a member of a structure it filled (`cmd.flags` of
 * `&cmd`, `args->force` of `args`), or a parameter of its own it passes on, under the tests of its own parameters that held
 * where the member was set. The transfer asks it whether a callee's sleep behind such tests
 * happens at the call (`carriedTests`), and what to tell a callee's context of the structures it is
 * given (`membersAt`).
 */
import type { CallOp, FunctionIR } from '../ir';
import type { MemberLookup } from './env';
import { type MemberValue, UNKNOWN, memberValue, memberValuesAtCalls } from './member-values';
import { type ParamTest, type ParamTests, bitKnown, isConstantValue, meets, memberKept, sameQuestion, testableParams, truthOfArgument, truthOfVariable, variablesOf } from './param-tests';
import { CONSTANT_TRUTH, type State, knownTruth, knownValue } from './state';

/** What the caller knows of one thing a callee's test compares (see `comparedSubjects`). */
interface Subject {
  value?: string;
  own?: { index: number; member?: string };
  when: ParamTests;
}

export function callerTests(fn: FunctionIR): {
  carriedTests(when: ParamTests, op: CallOp, s: State): ParamTest[] | undefined;
  passesAll(when: ParamTests, op: CallOp, s: State): boolean;
  membersAt(s: State, op: CallOp): MemberLookup | undefined;
} {
  const variables = variablesOf(fn);
  const testable = testableParams(fn);

  /**
   * A callee's tests of its parameters (`[index, value]`) seen at a call: undefined when an argument
   * fails one (a constant, or a parameter of this function whose value the path knows); else the
   * tests carried to this function's own parameters where it passes them on.
   */
  const carriedTests = (when: ParamTests, op: CallOp, s: State): ParamTest[] | undefined => {
    const out: ParamTest[] = [];
    for (const test of when) {
      const [index, value, compared, member] = test;
      const text = op.args[index]?.text;
      if (text === undefined) continue;
      if (compared !== undefined) {
        // `gup_flags | FOLL_FAST_ONLY`, or `gup_flags` after `gup_flags |= FOLL_FAST_ONLY`
        const bits = member === undefined && compared.startsWith('&') ? bitKnown(text, compared.slice(1), s.conds, variables) : undefined;
        if (bits !== undefined) {
          if (bits !== value) return undefined;
          continue;
        }
        // `action == LED_CTL_POWER_OFF`, `cmd->flags & CMD_ASYNC`: decided by a constant passed
        // there (or put in the structure passed) or one the path knows, else carried to this
        // function's own parameter passed on. A member set two ways (`sync ? 0 : CMD_ASYNC`)
        // carries the tests under which it holds the one value that passes.
        const passing = comparedSubjects(text, member, op, s).flatMap((subject): ParamTests[] => {
          const met = subject.value === undefined ? undefined : meets(subject.value, compared);
          if (met !== undefined) return met === value ? [subject.when] : [];
          if (!subject.own) return [subject.when];
          const own: ParamTest = subject.own.member === undefined ? [subject.own.index, value, compared] : [subject.own.index, value, compared, subject.own.member];
          // `flags` put there where `flags & CMD_ASYNC` held cannot fail that test
          return subject.when.some((t) => sameQuestion(t, own) && t[1] !== value) ? [] : [[...subject.when, own]];
        });
        if (passing.length === 0) return undefined;
        // on several ways: the tests all of them passed
        const [first, ...others] = passing as [ParamTests, ...ParamTests[]];
        out.push(...first.filter((t) => others.every((o) => o.some((u) => sameQuestion(u, t) && u[1] === t[1]))));
        continue;
      }
      const constant = CONSTANT_TRUTH[text];
      if (constant !== undefined) {
        if (constant !== value) return undefined;
        continue;
      }
      if (s.conds.some(([e, v]) => e === text && v !== value)) return undefined;
      // `wait_ms > 0` passed for `wait_ack`: its truth says the variable's, or nothing.
      const { name, truth } = truthOfVariable(text, value);
      if (truth === undefined) continue;
      const known = knownTruth(s.conds, name);
      if (known !== undefined && known !== truth) return undefined;
      const own = testable.get(name);
      if (own !== undefined && (own.only === undefined || own.only === truth)) out.push([own.index, truth]);
    }
    return out;
  };

  /** Whether the call's arguments, as the path knows them, pass every one of a callee's tests. */
  const passesAll = (when: ParamTests, op: CallOp, s: State): boolean =>
    when.every(([index, value, compared, member]) => {
      const text = op.args[index]?.text;
      if (text === undefined) return false;
      if (compared === undefined) return (knownTruth(s.conds, text) ?? truthOfArgument(text, s.conds)) === value;
      const bits = member === undefined && compared.startsWith('&') ? bitKnown(text, compared.slice(1), s.conds, variables) : undefined;
      if (bits !== undefined) return bits === value;
      const subjects = comparedSubjects(text, member, op, s);
      return subjects.length > 0 && subjects.every((subject) => subject.when.length === 0 && subject.value !== undefined && meets(subject.value, compared) === value);
    });

  /**
   * What the caller knows at `op` of the thing a callee's test compares: the argument `text`
   * itself, or its `member` (`cmd->flags` passed as `&cmd`, whose `flags` this function set, one
   * subject per value it may hold; or passed on as `cmd`). Each is a constant `value`, or the
   * parameter of this function it is (`own`), under the tests of this function's parameters
   * (`when`) that held where it was set.
   */
  const comparedSubjects = (text: string, member: string | undefined, op: CallOp, s: State): Subject[] => {
    const named = (name: string, when: ParamTests = []): Subject => {
      if (isConstantValue(name, variables)) return { value: name, when };
      const value = knownValue(s.conds, name);
      if (value !== undefined) return { value, when };
      const own = testable.get(name);
      return own !== undefined && own.only === undefined ? { own: { index: own.index }, when } : { when };
    };
    if (member === undefined) return [named(text)];
    if (text.startsWith('&')) {
      const values = possibleValues(op, `${text.slice(1)}.${member}`, s);
      return values === undefined ? [{ when: [] }] : values.map((v) => (v.value === UNKNOWN ? { when: v.when } : named(v.value, v.when)));
    }
    const path = `${text}->${member}`;
    const value = knownValue(s.conds, path);
    if (value !== undefined) return [{ value, when: [] }];
    // `args->force = true;` before passing `args`
    const values = possibleValues(op, path, s);
    if (values !== undefined) return values.map((v) => (v.value === UNKNOWN ? { when: v.when } : named(v.value, v.when)));
    const own = testable.get(text);
    return [own !== undefined && own.only === undefined && memberKept(fn, path) ? { own: { index: own.index, member }, when: [] } : { when: [] }];
  };

  /** The values a member of a structure passed at `op` may hold (`cmd.flags`), but those set under tests the path knows failed. */
  const possibleValues = (op: CallOp, path: string, s: State): readonly MemberValue[] | undefined => {
    const set = memberValuesAtCalls(fn).get(op.id);
    return set && memberValue(set, path)?.filter((v) => !v.when.some((t) => refuted(t, s)));
  };

  /** Whether the path knows this function's parameter test `test` failed. */
  const refuted = (test: ParamTest, s: State): boolean => {
    const [index, value, compared, member] = test;
    const name = fn.params[index];
    if (!name) return false;
    if (compared === undefined) return s.conds.some(([e, v]) => e === name && v !== value);
    const known = knownValue(s.conds, member === undefined ? name : `${name}->${member}`);
    const met = known === undefined ? undefined : meets(known, compared);
    return met !== undefined && met !== value;
  };

  /**
   * What a member of a structure passed by address holds at `op` (`cmd.flags`: CMD_ASYNC, or the
   * constant the path knows the variable put there holds), for the callee's context: one value
   * on every way the path may have come.
   */
  const membersAt = (s: State, op: CallOp): MemberLookup | undefined => {
    if (!memberValuesAtCalls(fn).has(op.id)) return undefined;
    return (path) => {
      const values = possibleValues(op, path, s)?.map((v) => (v.value === UNKNOWN ? undefined : isConstantValue(v.value, variables) ? v.value : knownValue(s.conds, v.value)));
      const first = values?.[0];
      return first !== undefined && values!.every((v) => v === first) ? first : undefined;
    };
  };

  return { carriedTests, passesAll, membersAt };
}

