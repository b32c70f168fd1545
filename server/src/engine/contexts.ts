/**
 * Entry contexts: what a function may hold when it starts. They come from three places, and each
 * carries the events that explain it, so a finding deep in a callee still shows where the lock was
 * taken: a caller's state at a call site (translated into the callee's parameter names), the
 * function's annotations (`__must_hold`, "Called with X held", `kpath: holds`), and a registration
 * that makes the kernel call it in atomic context (`timer_setup`, `request_irq`, an ops field).
 */
import type { FunctionAnnotations, LockAnnotation } from './annotations/types';
import { callText } from './english';
import type { FunctionHead, Knowledge, MemberLookup } from './dataflow/env';
import { canonicalLock, endsWithField, lockFromArgs, mentionsLocal } from './dataflow/lock-names';
import { bitFacts, isConstantToken, isConstantValue, memberOf, truthOfArgument } from './dataflow/param-tests';
import { type Held, type HeldAtomic, type HeldLock, heldKey, knownTruth, knownValue, valueFact } from './dataflow/state';
import { referenceMark, referencesHeld } from './dataflow/references';
import { type PathEvent, pathEvent } from './finding';
import { appended, flat } from './exact';
import type { CallOp, FunctionIR } from './ir';
import type { AtomicKind } from './kernel/semantics';
import type { Span } from './span';

export interface EntryContext {
  /** Identity: what is held and which parameters are constants, without the explanations. */
  key: string;
  held: Held[];
  /**
   * Parameters the caller passed a constant for, as conditions (`__z3fold_alloc(pool, sz, false)`
   * makes `can_sleep` false, so `if (can_sleep) cond_resched();` does not run), sorted by name.
   */
  conds?: (readonly [string, boolean])[];
}

export function contextOf(held: Held[], conds: (readonly [string, boolean])[] = []): EntryContext {
  const key = held.map(heldKey).join(',') + (conds.length ? `|${conds.map(([e, v]) => (v ? e : `!${e}`)).join('&')}` : '');
  return { key, held, ...(conds.length ? { conds } : {}) };
}

function event(file: string, fn: string, span: Span, kind: PathEvent['kind'], message: string, extra: Partial<PathEvent> = {}): PathEvent {
  return pathEvent(kind, file, fn, span, message, extra);
}

/** The context a function's annotations promise, or undefined when they promise nothing. */
export function annotatedContext(file: string, fn: FunctionHead, ann: FunctionAnnotations, knowledge: Knowledge): EntryContext | undefined {
  const held: Held[] = [];
  for (const a of [...ann.mustHold, ...ann.releases]) {
    const cls = a.class ?? knowledge.lockClassByName(a.lock);
    if (!cls) continue; // a lock of unknown class is not assumed to be a spinlock
    if (held.some((h) => h.what === 'lock' && h.lock === a.lock)) continue;
    held.push({
      what: 'lock',
      lock: a.lock,
      display: a.lock,
      class: cls,
      fromEntry: true,
      origin: [event(file, fn.name, fn.nameSpan, 'entry', describeAnnotation(a, file, fn), { lock: a.lock })],
    });
  }
  if (ann.atomic) {
    held.push({
      what: 'atomic',
      kind: ann.atomic.kind,
      by: fn.name,
      fromEntry: true,
      origin: [event(file, fn.name, fn.nameSpan, 'entry', `on entry, per ${ann.atomic.text}`, { atomic: ann.atomic.kind })],
    });
  }
  // "Called with i_lock held" above a function annotated __releases(inode->i_lock) names one lock
  // twice: the comment's bare field name goes.
  const named = held.filter((h) => h.what !== 'lock' || /->|\./.test(h.lock) || !held.some((o) => o.what === 'lock' && endsWithField(o.lock, h.lock)));
  return named.length ? contextOf(named) : undefined;
}

/**
 * The annotations kpath believes: a comment saying the function is called with a lock held that
 * its own body takes is stale, and the code wins (ipmi's call_smi_watchers(), "Must be called with
 * smi_watchers_mutex held", takes it first thing). Sparse and kpath annotations are kept.
 */
export function believedAnnotations(ann: FunctionAnnotations, fn: FunctionIR, knowledge: Knowledge): FunctionAnnotations {
  if (!ann.mustHold.some((a) => a.source === 'comment')) return ann;
  const taken = new Set<string>();
  for (const block of fn.blocks) {
    for (const op of block.ops) {
      const ref = op.kind === 'call' && !op.indirect ? knowledge.call(op.callee, op.args.length)?.acquire?.lock : undefined;
      const lock = ref && op.kind === 'call' ? lockFromArgs(ref, op.args, op.assignTo) : undefined;
      if (lock !== undefined) taken.add(lock);
    }
  }
  const mustHold = ann.mustHold.filter((a) => a.source !== 'comment' || !taken.has(a.lock));
  return mustHold.length === ann.mustHold.length ? ann : { ...ann, mustHold };
}

function describeAnnotation(a: LockAnnotation, file: string, fn: FunctionHead): string {
  if (a.source === 'comment') return `on entry, per the comment "${a.text}" above ${fn.name}() at ${file}:${fn.nameSpan.line}`;
  return `on entry, per ${a.text} on ${fn.name}() at ${file}:${fn.nameSpan.line}`;
}

/**
 * The context of a function the kernel calls back in atomic context. `registration` says where it
 * was registered ("registered by timer_setup() in foo_start() at a.c:13"); `where` is the function
 * or initialiser holding the registration.
 */
export function callbackContext(file: string, where: string, at: Span, via: string, context: AtomicKind, registration: string): EntryContext {
  const held: HeldAtomic = {
    what: 'atomic',
    kind: context,
    by: via,
    fromEntry: true,
    origin: [event(file, where, at, 'entry', registration, { atomic: context })],
  };
  return contextOf([held]);
}

/**
 * The caller as `calleeContext` sees it during one run: its variables (`callerNamesOf`), the call
 * events made so far, by op and callee (the states reaching one call hand on one event), and the
 * held items translated at each call.
 */
export interface Caller {
  file: string;
  fn: FunctionHead;
  names: ReadonlySet<string>;
  calls: Map<string, PathEvent>;
  /**
   * Per call site, each held item as the callee gets it: the states of one run share their held
   * items, and so do the contexts they hand on (translated once, one object in every context).
   */
  handed: Map<string, WeakMap<Held, Held>>;
}

export function callerOf(file: string, fn: FunctionHead): Caller {
  return { file, fn, names: callerNamesOf(fn), calls: new Map(), handed: new Map() };
}

/**
 * The caller's state at `op`, as the callee sees it: locks named through the callee's parameters
 * where the caller passed them (`mm->page_table_lock` passed as `mm` becomes `dst->page_table_lock`),
 * globals unchanged, and anything else kept under a name the callee cannot collide with.
 */
export function calleeContext(
  caller: Caller,
  callee: FunctionHead,
  op: CallOp,
  held: readonly Held[],
  /** What the caller's path knows of its tests (`sleep_ok` false, from its own context): passed on with the parameter. */
  known: readonly (readonly [string, boolean])[] = [],
  /** The callee's parameters compared with a constant: a constant passed there (or a value the caller knows) is kept. */
  compared: readonly string[] = [],
  /** What the members of a structure the caller passes by address hold (`cmd.flags` of `&cmd`). */
  members?: MemberLookup,
  /** A lock's name in the callee's file (a static of the caller's file is the caller's file's: `lockAcrossFiles`). */
  across: (lock: string) => string = (lock) => lock,
  /** The callee drops references it did not take: it is told those the caller holds on what it passes (references.ts). */
  dropsReferences = false,
): EntryContext {
  const site = `${op.id}>${callee.name}`;
  let call = caller.calls.get(site);
  if (!call) caller.calls.set(site, (call = event(caller.file, caller.fn.name, op.span, 'call', callText(caller.fn.name, callee.name, op), { callee: callee.name })));
  const callerNames = caller.names;
  let memo = caller.handed.get(site);
  if (!memo) caller.handed.set(site, (memo = new WeakMap()));
  const translate = (h: Held): Held => {
    const origin = appended(h.origin, call!);
    if (h.what === 'lock') {
      // Another name of the lock may reach the callee where this one does not (`inode->i_lock`, which
      // is `dentry->d_inode->i_lock`, with `dentry` passed). Aliases are the caller's names: not passed on.
      const name = inCalleeTerms(h.lock, callee.params, op.args, callerNames) ?? firstDefined(h.aliases, (a) => inCalleeTerms(a, callee.params, op.args, callerNames));
      return handedLock(
        h,
        name ?? (mentionsLocal(h.lock, callerNames) && !h.lock.includes('::') ? `${caller.fn.name}::${h.lock}` : across(h.lock)),
        name ?? h.display,
        origin,
      );
    }
    if (h.what === 'pin') {
      const name = [h.variable, h.key].map((k) => k && inCalleeTerms(k, callee.params, op.args, callerNames)).find((k) => k);
      // Untranslatable: keyed so the callee cannot release it by accident, still shown by the caller's name.
      return { ...h, key: name ?? `${caller.fn.name}::${h.key}`, variable: name ?? h.variable, page: undefined, op: undefined, origin, fromEntry: true };
    }
    return { ...h, origin, fromEntry: true };
  };
  const translated: Held[] = held.map((h) => {
    let t = memo.get(h);
    if (!t) memo.set(h, (t = translate(h)));
    return t;
  });
  const truths = callee.params
    .map((param, i) => {
      const text = op.args[i]?.text ?? '';
      return [param, knownTruth(known, text) ?? truthOfArgument(text, known)] as const;
    })
    .filter((c): c is readonly [string, boolean] => c[0] !== null && c[1] !== undefined);
  const values = compared.flatMap((param) => {
    const { base, member } = memberOf(param);
    const text = op.args[callee.params.indexOf(base)]?.text ?? '';
    const value =
      member === undefined
        ? isConstantValue(text, (name) => callerNames.has(name) || !isConstantToken(name)) ? text : knownValue(known, text)
        : text.startsWith('&')
          ? members?.(`${text.slice(1)}.${member}`)
          : knownValue(known, `${text}->${member}`) ?? members?.(`${text}->${member}`);
    // `gup_flags | FOLL_FAST_ONLY` passed, or a variable the path or-ed it into: the bits it has
    if (value === undefined && member === undefined) return bitFacts(param, text, known, (name) => callerNames.has(name) || !isConstantToken(name));
    return value === undefined ? [] : [[valueFact(param, value), true] as const];
  });
  const references = dropsReferences
    ? referencesHeld(known).flatMap((counter) => {
        const name = inCalleeTerms(counter, callee.params, op.args, callerNames);
        return name === undefined ? [] : [[referenceMark(name), true] as const];
      })
    : [];
  const conds = (truths as (readonly [string, boolean])[]).concat(values, references).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return contextOf(translated, conds);
}

/** A caller's lock as the callee holds it on entry, written out: a spread copy of a kept object weighs more (exact.ts). */
function handedLock(h: HeldLock, lock: string, display: string, origin: PathEvent[]): HeldLock {
  return {
    what: 'lock',
    lock: flat(lock),
    display: flat(display),
    class: h.class,
    origin,
    fromEntry: true,
    ...(h.uncertain ? { uncertain: true } : {}),
    ...(h.withPin !== undefined ? { withPin: h.withPin } : {}),
    ...(h.section ? { section: h.section } : {}),
  };
}

function firstDefined<T, U>(items: readonly T[] | undefined, f: (item: T) => U | undefined): U | undefined {
  for (const item of items ?? []) {
    const out = f(item);
    if (out !== undefined) return out;
  }
  return undefined;
}

/** A function's variables, locals and parameters: a lock named through one is the function's. */
export function callerNamesOf(fn: FunctionHead): ReadonlySet<string> {
  return new Set([...fn.locals, ...fn.params.filter((p): p is string => p !== null)]);
}

/**
 * `mm->page_table_lock` with `mm` passed as parameter `dst` -> `dst->page_table_lock`; a caller's
 * variable inside the name, `EXT4_I(inode)->i_data_sem`, with `inode` passed as `ea_inode`'s
 * parameter -> `EXT4_I(ea_inode)->...`. Undefined when a caller's variable in it is not passed on.
 */
function inCalleeTerms(lock: string, params: readonly (string | null)[], args: readonly { text: string }[], callerNames: ReadonlySet<string>): string | undefined {
  for (let i = 0; i < params.length; i++) {
    const param = params[i];
    const arg = args[i];
    if (!param || !arg) continue;
    const base = canonicalLock(arg.text);
    if (lock === base) return param;
    if (lock.startsWith(`${base}->`)) return param + lock.slice(base.length);
    if (arg.text.startsWith('&') && lock.startsWith(`${base}.`)) return `${param}->${lock.slice(base.length + 1)}`;
  }
  // Already a caller's own (`caller::name`): nothing of this caller's, though its variables may share names.
  if (lock.includes('::')) return undefined;
  let passed = true;
  let changed = false;
  const name = lock.replace(VARIABLE, (all: string, field?: string, variable?: string, call?: string) => {
    if (field !== undefined || call !== undefined || !callerNames.has(variable!)) return all;
    const param = params[args.findIndex((a) => a.text === variable)];
    if (!param) passed = false;
    else changed = true;
    return param ? all.replace(variable!, param) : all;
  });
  return passed && changed ? name : undefined;
}

/** An identifier in a lock name, with the field access before it or the call after it that make it no variable. */
const VARIABLE = /(->|\.)?\s*([A-Za-z_]\w*)(\s*\()?/g;
