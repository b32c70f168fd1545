/**
 * What the members of a local structure hold where the function passes the structure's address:
 * iwlwifi's `struct iwl_host_cmd cmd = { .id = id, .flags = flags };` then `iwl_mvm_send_cmd(mvm,
 * &cmd)`, whose callees return early `if (cmd->flags & CMD_ASYNC)`. A caller passing CMD_ASYNC as
 * `flags` does not reach the synchronous wait behind that test.
 *
 * A forward analysis over the CFG, from the IR alone. A member holds one of a few values, each
 * with the tests of the function's parameters that held where it was assigned (`.flags = sync ? 0
 * : CMD_ASYNC` is 0 when `sync`, CMD_ASYNC when not); an initializer list naming members zeroes
 * the others. Only locals whose address calls alone take are followed; a call given the address
 * may change any member, so after it nothing is known of the structure.
 *
 * The same for a pointer the function sets members through and passes (fuse's `args->force =
 * true;` then `fuse_simple_background(fm, args, GFP_ATOMIC)`, which allocates with the caller's
 * flags when `args->force`): `args->force` holds `true` at that call. A call given the pointer
 * (or anything reached through it) may change the members. Another name for the same structure
 * (`wpa->ia.ap.args.force = false`) is not seen: kpath takes the member as the function set it.
 */
import type { AssignOp, CallOp, Edge, FunctionIR } from '../ir';
import { forwardFlow } from './forward';
import { POINTER_MEMBER } from './lock-names';
import { type ParamTests, paramTestsAtBlocks, testsOnEdge } from './param-tests';

/** One value a member may hold (a constant, a variable's name, or UNKNOWN), with the parameter tests that held where it was set. */
export interface MemberValue {
  value: string;
  when: ParamTests;
}
/** `cmd.flags` -> the values it may hold; a structure's own name -> ZEROED when every way in zeroed it. */
type Values = Map<string, readonly MemberValue[]>;
/** Call op id -> the values of the members of the structures it is given. */
export type MemberValues = ReadonlyMap<number, ReadonlyMap<string, readonly MemberValue[]>>;

/** Assigned something that is not a simple value. */
export const UNKNOWN = '?';
const ZEROED: readonly MemberValue[] = [{ value: '0', when: [] }];
const ANY: readonly MemberValue[] = [{ value: UNKNOWN, when: [] }];
/** Values kept for one member before it counts as unknown. */
const MAX_VALUES = 4;
const SIMPLE = /^[A-Za-z_]\w*$/;
const NONE: MemberValues = new Map();
const cache = new WeakMap<FunctionIR, MemberValues>();

export function memberValuesAtCalls(fn: FunctionIR): MemberValues {
  const known = cache.get(fn);
  if (known) return known;
  const { passed: tracked, escaped } = passedStructures(fn);
  const out = tracked.size === 0 ? NONE : withoutEscaped(analyse(fn, tracked), escaped);
  cache.set(fn, out);
  return out;
}

/** The values of the member `path` (`cmd.flags`) in `values`: its own, else zero when the structure was zeroed. */
export function memberValue(values: ReadonlyMap<string, readonly MemberValue[]>, path: string): readonly MemberValue[] | undefined {
  const own = values.get(path);
  if (own !== undefined) return own;
  for (let at = path.lastIndexOf('.'); at > 0; at = path.lastIndexOf('.', at - 1)) {
    const outer = path.slice(0, at);
    if (values.has(outer)) return outer.includes('.') ? ANY : values.get(outer);
  }
  return undefined;
}

/**
 * Locals whose address only calls take (`&cmd` as an argument), never stored (`p = &cmd`); and
 * variables passed as they are (`args`) that the function stores a member through (`args->force = ...`).
 * The address of a member stored (`buf = &cmd->req.arg[2]`, then `memcpy(buf, ...)`) lets what is
 * written through it reach that member only: the `escaped` members are not followed, the others are.
 */
function passedStructures(fn: FunctionIR): { passed: Set<string>; escaped: Set<string> } {
  const locals = new Set(fn.locals);
  const variables = new Set<string | null>([...fn.locals, ...fn.params]);
  const passed = new Set<string>();
  const stored = new Set<string>();
  const pointers = new Set<string>();
  const storedThrough = new Set<string>();
  const escaped = new Set<string>();
  for (const block of fn.blocks) {
    for (const op of block.ops) {
      if (op.kind === 'call') {
        for (const arg of op.args) {
          if (arg.text.startsWith('&') && locals.has(arg.text.slice(1))) passed.add(arg.text.slice(1));
          else if (variables.has(arg.text)) pointers.add(arg.text);
          // `&bitmap->storage`: a structure inside what a pointer points to (md-bitmap sets
          // `bitmap->storage.file = NULL` before passing it)
          else if (POINTER_INSIDE.test(arg.text) && variables.has(rootOf(arg.text.slice(1)))) pointers.add(rootOf(arg.text.slice(1)));
        }
      } else if (op.kind === 'assign') {
        if (op.copyOf?.startsWith('&')) {
          const member = outerMember(op.copyOf.slice(1));
          if (member === undefined) stored.add(rootOf(op.copyOf.slice(1)));
          else escaped.add(member);
        }
        if (POINTER_MEMBER.test(op.target)) storedThrough.add(rootOf(op.target));
      }
    }
  }
  for (const name of stored) passed.delete(name);
  for (const name of pointers) if (storedThrough.has(name)) passed.add(name);
  return { passed, escaped };
}

/** `cmd->req` of `cmd->req.arg[2]`, `cmd.inner` of `cmd.inner.x`: the member of the structure a path is in (none for the structure itself). */
function outerMember(path: string): string | undefined {
  return /^[A-Za-z_]\w*(?:->|\.)[A-Za-z_]\w*/.exec(path)?.[0];
}

/** The values at each call without those of members whose address the function stored (nor their structure's zeroing). */
function withoutEscaped(values: MemberValues, escaped: ReadonlySet<string>): MemberValues {
  if (escaped.size === 0 || values.size === 0) return values;
  // and the structure's own zeroing: a member written through the address is not 0 for certain
  const roots = new Set([...escaped].map(rootOf));
  const inside = (path: string) => roots.has(path) || [...escaped].some((m) => path === m || path.startsWith(`${m}.`) || path.startsWith(`${m}[`) || path.startsWith(`${m}->`));
  const out = new Map<number, ReadonlyMap<string, readonly MemberValue[]>>();
  for (const [id, set] of values) {
    const kept = new Map([...set].filter(([path]) => !inside(path)));
    if (kept.size > 0) out.set(id, kept);
  }
  return out;
}

function analyse(fn: FunctionIR, tracked: ReadonlySet<string>): MemberValues {
  const out = new Map<number, Map<string, readonly MemberValue[]>>();
  const tests = paramTestsAtBlocks(fn);
  const done = forwardFlow<Values>(fn, new Map(), {
    through: (block, entry) => {
      const values: Values = new Map(entry);
      const when = tests.get(block.id) ?? [];
      for (const op of block.ops) {
        if (op.kind === 'assign') assign(values, op, tracked, when);
        else if (op.kind === 'call') call(values, op, tracked, out, when);
      }
      return values;
    },
    // each value also keeps the tests the way to the join passed (the branch not changing it)
    along: (edge, exit, block) => {
      const passed = testsOnEdge(fn, edge);
      const when = tests.get(block.id) ?? [];
      return found(guarded(exit, passed.length === 0 ? when : [...when, ...passed]), edge, tracked, when);
    },
    join,
    same: sameValues,
  });
  // values only widen, and are few; past the bound nothing is claimed, which can only keep a path
  return done ? out : NONE;
}

function assign(values: Values, op: AssignOp, tracked: ReadonlySet<string>, when: ParamTests): void {
  const value = op.constant ?? (op.copyOf !== undefined && SIMPLE.test(op.copyOf) ? op.copyOf : undefined);
  store(values, op.target, value, tracked, when);
  if (op.target === rootOf(op.target) && tracked.has(op.target) && op.zeroFill) values.set(op.target, ZEROED);
}

/** `target = value` (undefined: not a simple value), for the structures followed. */
function store(values: Values, target: string, value: string | undefined, tracked: ReadonlySet<string>, when: ParamTests): void {
  stale(values, target);
  const root = rootOf(target);
  if (!tracked.has(root)) return;
  if (target === root) forget(values, root);
  else if (STRUCTURE_MEMBER.test(target) || POINTER_MEMBER.test(target)) {
    forget(values, target);
    values.set(target, [{ value: value ?? UNKNOWN, when }]);
  } else {
    // `cmd->req.arg[1] = ...`: that member is not followed any more, the others are (the
    // structure's zeroing goes: the member is no longer 0 for certain); anything else, none is
    const member = /^[^[]+/.exec(target)![0];
    if (member !== root && (STRUCTURE_MEMBER.test(member) || POINTER_MEMBER.test(member))) {
      forget(values, member);
      values.delete(root);
    } else forget(values, root);
  }
}

function call(values: Values, op: CallOp, tracked: ReadonlySet<string>, out: Map<number, Map<string, readonly MemberValue[]>>, when: ParamTests): void {
  // `&cmd`, `&cmd.inner`, `args`, `args->in`: the structure is the callee's to change (`cmd.id`,
  // a member's value, is not); `&args->in`, `&bitmap->lock`: that member only (a lock call does
  // not change `bitmap->storage`)
  const given = op.args.map((a) => structureGiven(a.text)).filter((r) => tracked.has(r));
  if (given.length > 0) {
    const here = new Map<string, readonly MemberValue[]>();
    for (const [path, value] of values) if (given.includes(rootOf(path))) here.set(path, value);
    if (here.size > 0) out.set(op.id, here);
    else out.delete(op.id); // values only widen: a later pass knows less
  }
  for (const arg of op.args) {
    if (POINTER_INSIDE.test(arg.text)) forget(values, arg.text.slice(1));
    else if (tracked.has(structureGiven(arg.text))) forget(values, structureGiven(arg.text));
  }
  if (op.assignTo !== undefined) store(values, op.assignTo, undefined, tracked, when);
}

/**
 * On the way where a test found a member clear (`if (path->need_commit_sem)` false), it holds 0:
 * btrfs_next_old_leaf() clears the flag where it found it set, so it is 0 at its call either way.
 */
function found(values: Values, edge: Edge, tracked: ReadonlySet<string>, when: ParamTests): Values {
  const cond = edge.cond;
  if (!cond || cond.value || !(STRUCTURE_MEMBER.test(cond.expr) || POINTER_MEMBER.test(cond.expr)) || !tracked.has(rootOf(cond.expr))) return values;
  const out: Values = new Map(values);
  out.set(cond.expr, [{ value: '0', when }]);
  return out;
}

/** The values with the tests `when` added to each (tests of parameters, which the function does not assign). */
function guarded(values: Values, when: ParamTests): Values {
  if (when.length === 0) return values;
  const out: Values = new Map();
  for (const [key, list] of values) {
    out.set(key, list === ZEROED ? list : list.map((v) => ({ value: v.value, when: [...v.when, ...when.filter((t) => !v.when.some((u) => sameTest(t, u)))] })));
  }
  return out;
}

/** `cmd.flags = flags; flags = 0;`: the member no longer holds what `flags` names. */
function stale(values: Values, variable: string): void {
  for (const [key, list] of values) {
    if (list.some((v) => v.value === variable)) values.set(key, list.map((v) => (v.value === variable ? { value: UNKNOWN, when: v.when } : v)));
  }
}

/** Forgets `path` and the members inside it (for a structure's name, its zeroing too). */
function forget(values: Values, path: string): void {
  for (const key of [...values.keys()]) {
    if (key === path || key.startsWith(`${path}.`) || key.startsWith(`${path}[`) || key.startsWith(`${path}->`)) values.delete(key);
  }
}

/**
 * The values on either way in: a member's values from both (one way that did not set it: unknown
 * there); a zeroing both ways have. One value from both ways keeps the tests both had.
 */
function join(a: Values, b: Values): Values {
  const out: Values = new Map();
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    // a structure's own name: zeroed both ways, or not known to be
    if (!key.includes('.') && !key.includes('->')) {
      if (a.get(key) === ZEROED && b.get(key) === ZEROED) out.set(key, ZEROED);
      continue;
    }
    const merged = new Map<string, MemberValue>();
    for (const v of [...(memberValue(a, key) ?? ANY), ...(memberValue(b, key) ?? ANY)]) {
      const had = merged.get(v.value);
      merged.set(v.value, had ? { value: v.value, when: had.when.filter((t) => v.when.some((u) => sameTest(t, u))) } : v);
    }
    out.set(key, merged.size > MAX_VALUES ? ANY : [...merged.values()]);
  }
  return out;
}

function sameTest(a: ParamTests[number], b: ParamTests[number]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameValues(a: Values, b: Values): boolean {
  if (a.size !== b.size) return false;
  for (const [k, list] of a) {
    const other = b.get(k);
    if (!other || other.length !== list.length) return false;
    if (list.some((v, i) => v.value !== other[i]!.value || v.when.length !== other[i]!.when.length)) return false;
  }
  return true;
}

/** `cmd.flags`, `cmd.inner.flags`: a member of a local structure. */
const STRUCTURE_MEMBER = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/;
/** The address of a structure a pointer reaches: `&bitmap->storage`, `&p->a.b`. */
const POINTER_INSIDE = /^&[A-Za-z_]\w*->[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;
/** An argument handing on a pointer or what it reaches: `args`, `args->in`, `*args`. */
const GIVES_POINTER = /^\(*\*?[A-Za-z_]\w*(?:->|$)/;

/** The structure an argument hands a callee (`cmd` of `&cmd.inner`, `args` of `args->in`), else ''. */
function structureGiven(text: string): string {
  return text.startsWith('&') ? rootOf(text.slice(1)) : GIVES_POINTER.test(text) ? rootOf(text.replace(/^[*(]+/, '')) : '';
}

/** `cmd` of `cmd.flags`, `cmd[0]`, `cmd->x`. */
function rootOf(path: string): string {
  return /^[A-Za-z_]\w*/.exec(path)?.[0] ?? '';
}
