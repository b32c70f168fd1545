/**
 * The dataflow fact at a program point along one path: what the task holds, in the order it took it
 * (locks, other atomic contexts, pinned kmaps), plus the branch conditions the path has taken. The
 * analysis keeps a set of these per block and never joins two into one, so it never reports a state
 * that no single path has (see ARCHITECTURE.md, "Policy").
 *
 * States are immutable: transfer functions build new ones.
 */
import type { PathEvent } from '../finding';
import type { CallOp } from '../ir';
import type { AtomicKind, LockClass, MapKind } from '../kernel/semantics';

export type Held = HeldLock | HeldAtomic | HeldPin;

interface HeldBase {
  /** Why it is held: the events that took it, the caller chain first. Last event is where it was taken. */
  origin: PathEvent[];
  /** Held on entry to the function (from a caller, an annotation or a callback registration). */
  fromEntry: boolean;
}

export interface HeldLock extends HeldBase {
  what: 'lock';
  /** Identity: canonical lock text in this function's terms. */
  lock: string;
  /** How messages name it (differs from `lock` only for a caller's lock the callee cannot name). */
  display: string;
  class: LockClass;
  /**
   * Passed to a function kpath cannot see into since it was taken: that function may have
   * released it (`unlock_page_lruvec_irq(lruvec)`), so nothing is reported on its account.
   */
  uncertain?: boolean;
  /** Taken together with a mapping (`pte_offset_map_lock`): the op id of that mapping, whose failure means neither was taken. */
  withPin?: number;
  /**
   * The section its take opened itself (`spin_lock_irqsave`: `irq`, `spin_lock_bh`: `bh`): its
   * release ends that one, not one the path opened before a plain take.
   */
  section?: 'irq' | 'bh';
  /**
   * Other names of the same lock through a copied pointer: after `locked = lruvec`, the lock
   * `lruvec->lru_lock` is also `locked->lru_lock` (and is released by `unlock(locked)`).
   */
  aliases?: string[];
}

export interface HeldAtomic extends HeldBase {
  what: 'atomic';
  /** `pagefault`: page faults disabled; not atomic, but user copies fail instead of sleeping. */
  kind: AtomicKind | 'pagefault';
  /** The call that entered it (`preempt_disable`) or the registration (`timer_setup`). */
  by: string;
}

export interface HeldPin extends HeldBase {
  what: 'pin';
  kind: MapKind;
  serie?: string;
  /** What the releasing call names: the result variable or the page argument text. */
  key: string;
  /** Variable receiving the mapped address, when there is one. */
  variable?: string;
  /** Other locals holding the same address (`orig_pte = pte = pte_offset_map_lock(...)`). */
  aliases?: string[];
  /** The page argument, so `kunmap(page)` finds a `kmap_local_page(page)` and can say it mismatches. */
  page?: string;
  /** The mapping call. */
  callee: string;
  releasedBy: string[];
  /** Id of the call op that pinned it (in this function), to tell "released elsewhere" at exits. */
  op?: number;
}

/** A conditional acquire waiting for the branch that tests it (`if (spin_trylock(&l))`). */
/**
 * What a call's result decides, once a test of it is taken: a trylock's lock held (`take`, the
 * default), a lock the callee released held again where its result says it kept it (`restore`),
 * or a caller's lock the path did not hold released where its result says so (`drop`, with the
 * call that releases it).
 */
export interface PendingTry {
  op: number;
  variable?: string;
  lock: HeldLock;
  /** Held when the call returns 0 (`mutex_lock_interruptible`), not when it returns true. */
  heldWhenZero?: boolean;
  /** Held unless the call returns this code (`-EINTR`; see result-tests.ts); `heldWhenZero` does not apply. */
  heldUnless?: string;
  kind?: 'restore' | 'drop';
  /** For `drop`: the call releasing the lock. */
  call?: CallOp;
}

export interface State {
  held: readonly Held[];
  /** Conditions taken on this path, sorted by expression: `[expr, value]`. */
  conds: readonly (readonly [string, boolean])[];
  pending: readonly PendingTry[];
  /**
   * Locks held and released earlier on this path, since the last call kpath has no row for (an
   * unlock of one of these that is not held is a double unlock).
   */
  released: readonly string[];
  /**
   * Every lock of the caller's (held on entry, or not held at all on this path) released earlier on
   * this path, whatever was called since: what a summary says its function drops before it sleeps
   * (`migration_entry_wait_on_locked()` drops the caller's `ptl`, then calls helpers, then sleeps).
   * An atomic section of the caller's left the same way is here as `droppedAtomic(kind)`
   * (`__percpu_down_read()` re-enables preemption before it waits).
   */
  dropped: readonly string[];
  /**
   * Locks of this function's own that this path took and then released, whatever was called
   * since: a return holding nothing tells "released it" from "never took it" by this
   * (nilfs_transaction_begin() returns 0 without its semaphore when nested, and 0 holding it).
   */
  letGo: readonly string[];
}

export const EMPTY_STATE: State = { held: [], conds: [], pending: [], released: [], dropped: [], letGo: [] };

export function stateKey(s: State): string {
  // A state goes on unchanged through most ops and edges, to block after block: its key is made
  // once (and then hashed once: a string keeps its hash).
  let key = stateKeys.get(s);
  if (key === undefined) stateKeys.set(s, (key = makeStateKey(s)));
  return key;
}

const stateKeys = new WeakMap<State, string>();

function makeStateKey(s: State): string {
  // Most transfers change one part of a state and share the others: each part's text is kept with it.
  const held = partKey(heldKeys, s.held, () => s.held.map(heldKey).join(','));
  const conds = partKey(condKeys, s.conds, () => s.conds.map(([e, v]) => (v ? e : `!${e}`)).join('&'));
  const pending = s.pending.map((p) => `${p.op}:${p.lock.lock}`).join(',');
  return `${held}|${conds}|${pending}|${s.released.join(',')}|${s.dropped.join(',')}|${s.letGo.join(',')}`;
}

const heldKeys = new WeakMap<object, string>();
const condKeys = new WeakMap<object, string>();

function partKey(keys: WeakMap<object, string>, part: readonly unknown[], text: () => string): string {
  if (part.length === 0) return '';
  let key = keys.get(part);
  if (key === undefined) keys.set(part, (key = text()));
  return key;
}

export function heldKey(h: Held): string {
  switch (h.what) {
    case 'lock':
      return `L:${h.lock}${h.uncertain ? '?' : ''}${h.aliases ? `=${h.aliases.join('=')}` : ''}`;
    case 'atomic':
      return `A:${h.kind}`;
    case 'pin':
      return `P:${h.kind}:${h.serie ?? ''}:${h.key}`;
  }
}

export const pinsOf = (s: State): HeldPin[] => s.held.filter((h): h is HeldPin => h.what === 'pin');

/** Spinning locks, and every non-lock atomic context, forbid sleeping. */
const SPINNING: ReadonlySet<LockClass> = new Set<LockClass>(['spin', 'raw_spin', 'rwlock', 'bit_spin', 'seqlock']);

export function isAtomicHold(h: Held): boolean {
  switch (h.what) {
    case 'lock':
      return SPINNING.has(h.class) && !h.uncertain;
    case 'atomic':
      return h.kind !== 'pagefault';
    case 'pin':
      return h.kind === 'atomic';
  }
}

/** The caller's atomic section of `kind` left, as `State.dropped` and `Summary.sleepsAfterReleasing` name it: no lock is so named. */
export function droppedAtomic(kind: AtomicKind): string {
  return `@${kind}`;
}

/** The atomic kind a dropped name stands for, or undefined for a lock's name. */
export function atomicDropped(name: string): AtomicKind | undefined {
  return name.startsWith('@') ? (name.slice(1) as AtomicKind) : undefined;
}

/**
 * The caller's mapping unmapped, as `State.dropped` and `Summary.sleepsAfterReleasing` name it
 * (`migration_entry_wait_on_locked()` unmaps the pte its caller mapped before it sleeps).
 */
export function droppedPin(key: string): string {
  return `%${key}`;
}

/** The mapping's key a dropped name stands for, or undefined for another name. */
export function pinDropped(name: string): string | undefined {
  return name.startsWith('%') ? name.slice(1) : undefined;
}

/**
 * What of `holds` is still held once the locks `released` name are released, the mappings they
 * name unmapped and, for each atomic section of the caller's they name, its innermost level left.
 */
export function heldAfterReleasing(holds: readonly Held[], released: readonly string[]): Held[] {
  const unmapped = released.flatMap((name) => pinDropped(name) ?? []);
  const out = holds.filter(
    (h) =>
      !(h.what === 'lock' && released.includes(h.lock)) &&
      !(h.what === 'pin' && unmapped.some((k) => h.key === k || h.variable === k || h.page === k || !!h.aliases?.includes(k))),
  );
  for (const name of released) {
    const kind = atomicDropped(name);
    if (kind === undefined) continue;
    for (let i = out.length - 1; i >= 0; i--) {
      const h = out[i]!;
      if (h.what === 'atomic' && h.kind === kind) {
        out.splice(i, 1);
        break;
      }
    }
  }
  return out;
}

/** The held items that make the context atomic, oldest first; empty when sleeping is allowed. */
export function atomicHolds(s: State, except?: (h: Held) => boolean): Held[] {
  return s.held.filter((h) => isAtomicHold(h) && !(except?.(h) ?? false));
}

/**
 * Whether two held locks are one lock, by any of their names: `rtsx->reg_lock` taken after `rtsx =
 * chip->rtsx` is the `chip->rtsx->reg_lock` a caller holds.
 */
export function sameLock(a: HeldLock, b: HeldLock): boolean {
  return a.lock === b.lock || a.aliases?.includes(b.lock) === true || b.aliases?.includes(a.lock) === true;
}

export function withHeld(s: State, h: Held): State {
  // Taken again, it is held or let go as this take decides: one state, not one per history.
  if (h.what === 'lock' && s.letGo.includes(h.lock)) return { ...s, held: [...s.held, h], letGo: s.letGo.filter((l) => l !== h.lock) };
  return { ...s, held: [...s.held, h] };
}

export function withoutHeld(s: State, h: Held): State {
  return { ...s, held: s.held.filter((x) => x !== h) };
}

/** What a constant argument makes a parameter's test find: `f(x, false)` fails `if (flag)`. */
export const CONSTANT_TRUTH: Readonly<Record<string, boolean>> = { true: true, false: false, '1': true, '0': false, NULL: false };

/** The condition a path holds after testing whether gfp parameter `mask` allows blocking, in any of the tables' ways. */
export const ALLOWS_BLOCKING = 'allows-blocking:';

/**
 * The condition a path holds after a test true only where the code may sleep (`preemptible()`,
 * a nonatomic PCM): what sleeps on it with nothing atomic held of its own is no one's concern.
 */
export const MAY_SLEEP_HERE = 'may-sleep-here';

/** The condition a path holds after a test of the context found it none of `kinds` (`!in_interrupt()`). */
export function outsideOf(kinds: readonly AtomicKind[]): string {
  return OUTSIDE + [...kinds].sort().join(',');
}
const OUTSIDE = 'outside:';

/**
 * Whether `held` holds an atomic context of one of `kinds` (a hard-IRQ handler's, a tasklet's), or
 * a lock whose take opened one (`spin_lock_irqsave()`: interrupts off, `spin_lock_bh()`: bottom halves).
 */
export function inContextOf(held: readonly Held[], kinds: readonly AtomicKind[]): boolean {
  // a lock taken with `spin_lock_irqsave()` disabled interrupts: `irqs_disabled()` holds under it
  return held.some((h) => (h.what === 'atomic' && kinds.includes(h.kind as AtomicKind)) || (h.what === 'lock' && h.section !== undefined && kinds.includes(h.section)));
}

/** The contexts the path's tests of the context ruled out, sorted. */
export function contextsOutside(s: State): AtomicKind[] {
  if (s.conds.length === 0) return [];
  const kinds = new Set<AtomicKind>();
  for (const [expr, value] of s.conds) if (value && expr.startsWith(OUTSIDE)) for (const k of expr.slice(OUTSIDE.length).split(',')) kinds.add(k as AtomicKind);
  return [...kinds].sort();
}

export function allowsBlocking(mask: string): string {
  return ALLOWS_BLOCKING + mask;
}

/**
 * The condition a path holds when a parameter has a constant value its caller passed
 * (`typhoon_reset(ioaddr, WaitNoSleep)`): `value:wait_type=WaitNoSleep`, true.
 */
export const VALUE_OF = 'value:';

export function valueFact(param: string, constant: string): string {
  return `${VALUE_OF}${param}=${constant}`;
}

/** The truth the path knows `expr` has: a constant's, or a test's it passed. */
export function knownTruth(conds: State['conds'], expr: string): boolean | undefined {
  return CONSTANT_TRUTH[expr] ?? conds.find(([e]) => e === expr)?.[1];
}

/** The constant the path knows `name` holds, if any. */
export function knownValue(conds: State['conds'], name: string): string | undefined {
  const prefix = `${VALUE_OF}${name}=`;
  const fact = conds.find(([e, v]) => v && e.startsWith(prefix));
  return fact?.[0].slice(prefix.length);
}

/**
 * What `return x;` returns as the path knows it: `0` for a variable the path tested false
 * (`if (ret) goto err; ... return ret;`), the constant it holds, else the text returned.
 */
export function returnedValue(conds: State['conds'], value: string | undefined): string | undefined {
  if (value === undefined || conds.length === 0 || !/^[A-Za-z_]\w*$/.test(value)) return value;
  if (conds.some(([e, v]) => e === value && !v)) return '0';
  return knownValue(conds, value) ?? value;
}

/** Adds a taken condition; undefined when the path already took the opposite one (infeasible). */
export function withCondition(s: State, expr: string, value: boolean): State | undefined {
  const existing = s.conds.find(([e]) => e === expr);
  if (existing) return existing[1] === value ? s : undefined;
  const conds = [...s.conds, [expr, value] as const].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return { ...s, conds };
}

/** Forgets conditions that mention `ident` (it was assigned, so a later test may differ). */
export function forgetConditionsOn(s: State, ident: string): State {
  return forgetConditionsMentioning(s, ident, () => true);
}

/** Forgets the conditions that mention `ident` as a word and that `also` picks. */
function forgetConditionsMentioning(s: State, ident: string, also: (expr: string) => boolean): State {
  // most assignments are to names no condition mentions: no pattern to make then
  if (s.conds.length === 0 || !s.conds.some(([e]) => e.includes(ident))) return s;
  const re = wordPattern(ident);
  const conds = s.conds.filter(([e]) => !(re.test(e) && also(e)));
  return conds.length === s.conds.length ? s : { ...s, conds };
}

/**
 * Forgets conditions that read memory through `root` (a field, an element, a call's result), the
 * variable a released lock is reached through: once `d->d_lock` is released, other tasks may change
 * what is read through `d`. `do { spin_unlock(&d->d_lock); schedule(); spin_lock(&d->d_lock); }
 * while (d_in_lookup(d))` waits for the test to change; kept as first taken, the loop would never
 * end. Tests of other memory stay (z3fold tests its claimed page's bits across `pool->lock`).
 */
export function forgetConditionsThrough(s: State, root: string | undefined): State {
  return root === undefined ? s : forgetConditionsMentioning(s, root, (e) => READS_MEMORY.test(e));
}
const READS_MEMORY = /->|\.|\[|\w\s*\(/;

/** `ident` as a whole word, kept for the next assignment to it. */
function wordPattern(ident: string): RegExp {
  let re = wordPatterns.get(ident);
  if (!re) {
    if (wordPatterns.size > 4096) wordPatterns.clear();
    // a member named like the variable (`path->need_sem` for `need_sem`) is not the variable
    wordPatterns.set(ident, (re = new RegExp(`(?<![\\w.]|->)${ident.replace(/[^\w]/g, '\\$&')}(?!\\w)`)));
  }
  return re;
}
const wordPatterns = new Map<string, RegExp>();
