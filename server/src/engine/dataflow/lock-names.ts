/**
 * Lock names: the canonical text of the lock expression, so that `spin_lock(&dst->page_table_lock)`
 * and a comment naming `dst->page_table_lock` meet, and the substitution of a callee's parameter by
 * the caller's argument (`copy_page_range(mm, ...)` makes `dst->page_table_lock` `mm->page_table_lock`).
 */
import type { LockRef } from '../kernel/semantics';
import { balanced } from './expression-text';

/** `&dst->page_table_lock` -> `dst->page_table_lock`; `&(x.l)` -> `x.l`; `(l)` -> `l`. Input has no whitespace. */
export function canonicalLock(expr: string): string {
  let s = expr;
  for (;;) {
    const before = s;
    if (s.startsWith('&')) s = s.slice(1);
    if (s.startsWith('(') && s.endsWith(')') && balanced(s.slice(1, -1))) s = s.slice(1, -1);
    if (s.startsWith('*&')) s = s.slice(2);
    if (s === before) return s;
  }
}

/**
 * An expression without the casts in front of it, as arguments write them (whitespace removed):
 * `(void*)(unsignedlong)pginfo.contents` is `pginfo.contents`. A parenthesised name followed by
 * an operator (`(p)->x`) is no cast and stays.
 */
export function withoutCasts(expr: string): string {
  let s = expr;
  for (let m = CAST.exec(s); m; m = CAST.exec(s)) s = s.slice(m[0].length);
  return s;
}
const CAST = /^\((?:const|volatile)?\w+\**\)(?=[A-Za-z_(&*])/;

/** The lock a call names through a LockRef (`result`: the variable receiving the call's value), or undefined. */
export function lockFromArgs(ref: LockRef, args: readonly { text: string }[], result?: string): string | undefined {
  if (ref.result) return result === undefined ? undefined : canonicalLock(result);
  const arg = args[ref.arg];
  if (!arg || arg.text === '') return undefined;
  if (ref.object) return lockBehind(arg.text);
  if (!ref.field) return canonicalLock(arg.text);
  return memberOf(arg.text, ref.field);
}

/** The lock an argument that is the lock itself names: `*p` and `*(p)` are the lock `p` points to, named `p`. */
function lockBehind(object: string): string {
  const s = canonicalLock(object);
  return s.startsWith('*') ? canonicalLock(s.slice(1)) : s; // canonicalLock has already taken `*&` off
}

/** `mm` + `page_table_lock` -> `mm->page_table_lock`; `&init_mm` -> `init_mm.page_table_lock`. */
export function memberOf(pointerExpr: string, field: string): string {
  const base = canonicalLock(pointerExpr);
  const addressOf = pointerExpr.startsWith('&');
  return addressOf ? `${base}.${field}` : `${wrapIfCompound(base)}->${field}`;
}

function wrapIfCompound(expr: string): string {
  return /^[A-Za-z_][\w]*((->|\.)[A-Za-z_]\w*|\[[^\]]*\])*$/.test(expr) ? expr : `(${expr})`;
}

/** The identifier a lock name starts with (`dst` for `dst->page_table_lock`). */
export function rootIdentifier(lock: string): string | undefined {
  return /^[A-Za-z_]\w*/.exec(lock)?.[0];
}

/** `dentry->d_inode`, `dev->priv.ops`: a variable and at least one field. */
export const FIELD_PATH = /^[A-Za-z_]\w*(?:(?:->|\.)[A-Za-z_]\w*)+$/;

/** `args->force`, `args->in.size`: a member a pointer variable points to. */
export const POINTER_MEMBER = /^[A-Za-z_]\w*->[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;

/** The last field of a lock name: `i_ceph_lock` for `f::ci->i_ceph_lock`; undefined for a bare name. */
export function lastField(lock: string): string | undefined {
  return /(?:->|\.)([A-Za-z_]\w*)$/.exec(lock)?.[1];
}

/** Whether `name` reaches `tail` through a field: `timer->base->lock` ends in `base->lock`, `i_lock`. */
export function endsWithField(name: string, tail: string): boolean {
  return name.endsWith(`->${tail}`) || name.endsWith(`.${tail}`);
}

/**
 * Whether a lock name mentions one of `locals` as a variable: `rq_lockp(rq)` with `rq` a local of
 * the function names nothing its callers know. Field names (after `->` or `.`) and the functions
 * it calls (`rq_lockp`) are not variables.
 */
export function mentionsLocal(lock: string, locals: ReadonlySet<string>): boolean {
  for (const name of variablesOf(lock)) if (locals.has(name)) return true;
  return false;
}

/** The variables a lock name mentions, by name: asked for the same few names at every call of every run. */
const variables = new Map<string, readonly string[]>();
const VARIABLES_KEPT = 1 << 16;

function variablesOf(lock: string): readonly string[] {
  let known = variables.get(lock);
  if (known) return known;
  const found: string[] = [];
  for (const m of lock.matchAll(/(->|\.)?\s*([A-Za-z_]\w*)(\s*\()?/g)) if (m[1] === undefined && m[3] === undefined) found.push(m[2]!);
  known = found.length === 0 ? NONE : found;
  if (variables.size >= VARIABLES_KEPT) variables.clear();
  variables.set(lock, known);
  return known;
}

const NONE: readonly string[] = [];

/**
 * Rewrites a lock named in a callee's terms into the caller's: the leading parameter name is replaced
 * by the argument passed for it. Returns undefined when the lock names a callee local, which means
 * nothing in the caller, or when the name has grown past MAX_FIELD_STEPS. Globals pass through unchanged.
 */
export function substituteLock(
  lock: string,
  params: readonly (string | null)[],
  args: readonly { text: string }[],
  locals: ReadonlySet<string>,
): string | undefined {
  // Named as a function's own (`f::x->lock`): no parameter of the callee's in it to substitute.
  if (lock.includes('::')) return lock;
  const root = rootIdentifier(lock);
  if (root === undefined) return lock;
  const index = params.indexOf(root);
  if (index < 0) return mentionsLocal(lock, locals) ? undefined : lock;
  const arg = args[index];
  // `btrfs_search_slot(NULL, root, ...)`: no lock is reached through a null pointer
  if (!arg || arg.text === 'NULL') return undefined;
  const rest = lock.slice(root.length);
  const name =
    rest === '' ? canonicalLock(arg.text) : rest.startsWith('->') && arg.text.startsWith('&') ? `${canonicalLock(arg.text)}.${rest.slice(2)}` : `${wrapIfCompound(canonicalLock(arg.text))}${rest}`;
  // Round a recursion (`regulator_lock_nested(rdev->supply->rdev)`) a name grows by a field path at
  // each turn, and a summary that carried it would never settle: such a lock is not followed.
  return (name.match(/->|\./g)?.length ?? 0) > MAX_FIELD_STEPS ? undefined : name;
}

/**
 * An expression naming a mapped page (`sg_page(cmd->t_data_sg)`) in a caller's terms: each path in
 * it given as `substituteLock` gives a lock, the called names (`sg_page`) kept. Undefined when a
 * path cannot be given (a callee's local, a missing argument).
 */
export function substituteExpression(
  expr: string,
  params: readonly (string | null)[],
  args: readonly { text: string }[],
  locals: ReadonlySet<string>,
): string | undefined {
  if (expr.includes('::')) return expr;
  let out = '';
  let from = 0;
  for (const m of expr.matchAll(PATH_IN_EXPRESSION)) {
    const at = m.index!;
    const path = m[0];
    // a member (`->sgl`, `.offset`), a called name or a number's suffix (`0x10`) is not a path of its own
    if (/(?:->|\.|\w)\s*$/.test(expr.slice(0, at)) || /^\s*\(/.test(expr.slice(at + path.length))) continue;
    const given = substituteLock(path, params, args, locals);
    if (given === undefined) return undefined;
    out += expr.slice(from, at) + given;
    from = at + path.length;
  }
  return out + expr.slice(from);
}
const PATH_IN_EXPRESSION = /[A-Za-z_]\w*(?:(?:->|\.)[A-Za-z_]\w*)*/g;

/** Field accesses a lock name may have after substitution; the kernel's deepest real ones have about 5. */
const MAX_FIELD_STEPS = 8;

/**
 * A lock named through a file's static variable (`static DEFINE_MUTEX(register_mutex)` in
 * sound/core/timer.c) is that file's: seen from another file it is `file::register_mutex`, a name no
 * lock there has (ALSA's pcm.c has a `register_mutex` of its own); back in its own file, the bare
 * name again. `from` is the file naming it `lock`, `to` the file it is seen from.
 */
export function lockAcrossFiles(lock: string, from: string, to: string, staticsOf: (file: string) => ReadonlySet<string> | undefined): string {
  if (from === to) return lock;
  const home = `${to}::`;
  if (lock.startsWith(home)) return lock.slice(home.length);
  if (lock.includes('::')) return lock;
  const root = rootIdentifier(lock);
  return root !== undefined && staticsOf(from)?.has(root) ? `${from}::${lock}` : lock;
}

/** A lock's name as messages show it: a static's without the file that owns it (`register_mutex`). */
export function shownLock(lock: string): string {
  const at = lock.indexOf('::');
  return at > 0 && /[./]/.test(lock.slice(0, at)) ? lock.slice(at + 2) : lock;
}
