/**
 * The transfer function: what each lowered operation does to a path's state, looked up in the kernel
 * tables (through `Knowledge`) or in the callee's summary. Rules do not live here: the transfer
 * reports what it sees to an `Observer` (a call that may sleep, a lock taken twice, a kmap pinned
 * over another, a path leaving the function), and each rule decides what is a finding.
 */
import { type PathEvent, type PathEventKind, pathEvent } from '../finding';
import type { Arg, AssignOp, Block, CallOp, Edge, FunctionIR, Op, ReturnOp, ScopeExitOp } from '../ir';
import type { AtomicKind, CallSemantics, LockClass, LockRef, MapSemantics, UnmapSemantics } from '../kernel/semantics';
import { evaluate } from '../kernel/gfp';
import type { Span } from '../span';
import type { Callee, FunctionEnv, FunctionHead, Knowledge, Summary } from './env';
import type { Transfer } from './explore';
import { atomicPhrase, callText, withArticle } from '../english';
import { type IsVariable, type ParamTest, comparedNames, comparison, decidedBy, isRelation, memberOf, memberTruth, variablesOf } from './param-tests';
import { codeTested } from './result-tests';
import { loopInvariantTests } from './loop-tests';
import { askedOnEntry, contextTestLocals } from './context-locals';
import { callerTests } from './caller-tests';
import { withMacroBits } from './macro-args';
import { afterPutTest, dropReference, holdsReference, lastPutsAtCalls, putTestOf, takeReference } from './references';
import { copiesAtBlockEnds, inCopiedTerms } from './copies';
import { folderOf } from '../paths';
import { locksDroppedAround } from './unlocked-args';
import { prepended } from '../exact';
import { FIELD_PATH, canonicalLock, endsWithField, lastField, lockAcrossFiles, lockFromArgs, rootIdentifier, shownLock, substituteExpression, substituteLock, withoutCasts } from './lock-names';
import {
  type Held,
  type HeldAtomic,
  type HeldLock,
  type HeldPin,
  type PendingTry,
  type State,
  atomicDropped,
  atomicHolds,
  droppedAtomic,
  droppedPin,
  pinDropped,
  heldAfterReleasing,
  forgetConditionsOn,
  forgetConditionsThrough,
  withCondition,
  CONSTANT_TRUTH,
  ALLOWS_BLOCKING,
  MAY_SLEEP_HERE,
  allowsBlocking,
  contextsOutside,
  inContextOf,
  outsideOf,
  withHeld,
  withoutHeld,
  sameLock,
  knownTruth,
  knownValue,
  valueFact,
} from './state';

const NO_NAMES: readonly string[] = [];
const IDENTIFIER = /^[A-Za-z_]\w*$/;
/** A path with an offset added or taken (`pginfo.metadata-b->pcmd_offset`): the path. */
const OFFSET_FROM = /^([A-Za-z_]\w*(?:(?:->|\.)[A-Za-z_]\w*)*)[-+](?!>)/;

/**
 * The mapping an unmap's argument names, as written without casts: the path an offset is taken
 * off (tmio's `kunmap_atomic(virt - sg->offset)` unmaps what `virt` holds), else the text.
 */
export function unmappedKey(keyText: string): string {
  return OFFSET_FROM.exec(canonicalLock(keyText))?.[1] ?? keyText;
}

/** A call that may block or sleep, with the state it is made in. */
export interface SleepSite {
  op: CallOp;
  callee: string;
  /** Completes "<callee>() ...": "may block (persistent kmap, PAGETABLE serie)", "may sleep (mutex)". */
  why: string;
  /** Events inside callees down to the call that sleeps (empty when the call itself sleeps). */
  chain: PathEvent[];
  blocksOnSerie?: string;
  /** The table row of the call at `op`, when it has one. */
  sem?: CallSemantics;
  /** The gfp argument that makes an allocation sleep. */
  gfpArg?: Arg;
  /** The held items that make the context atomic here, oldest first; empty when sleeping is fine. */
  holds: Held[];
  /** A lock the call drops while it blocks (`pte_offset_under_lock` drops the mm's page_table_lock). */
  dropped?: HeldLock;
  /** Locks (in this function's terms) the callee releases before it sleeps (its `sleepsAfterReleasing`). */
  releasedFirst?: string[];
  /** Tests of this function's parameters the callee's sleep is behind (from its `condSleeps`). */
  when?: ParamTest[];
  /** Contexts the sleep is not reached in: behind `if (!in_interrupt())`, here or in the callee. */
  unlessIn?: AtomicKind[];
  /** Counters found at zero on the way, here or in the callee: a caller holding a reference on one does not sleep here. */
  unlessRefs?: string[];
}

export interface Observer {
  /** Before every op, with the state it runs in. */
  before?(s: State, op: Op): void;
  sleep?(s: State, site: SleepSite): void;
  /** An allocation whose gfp mask is parameter `param` of the function: sleeps if a caller says so. */
  gfpParamSleep?(s: State, op: CallOp, param: number, chain: PathEvent[]): void;
  /** Before `lock` is added; `s` may already hold it. */
  acquire?(s: State, lock: HeldLock, op: CallOp): void;
  /** Before a held lock is released; `as`: the name the release gave it (a caller's lock held under another). */
  release?(s: State, lock: HeldLock, op: CallOp, depth: number, as: string): void;
  /** `depth`: the calls down to the unlock, for a callee's release (0: this op is the unlock). */
  releaseUnheld?(s: State, lock: string, op: CallOp, depth: number): void;
  /** The path ends at `op`, a call that does not return. */
  endsPath?(s: State, op: CallOp): void;
  /** Leaves an atomic context this path did not enter: the caller's (`local_irq_enable()` in a helper). */
  exitUnheld?(s: State, kind: AtomicKind, op: CallOp): void;
  /** Before `pin` is pushed. */
  pin?(s: State, pin: HeldPin, op: CallOp): void;
  /** Before `pin` (the mapping the call names, if found) is removed. */
  unpin?(s: State, pin: HeldPin | undefined, op: CallOp, unmap: UnmapSemantics, key: string): void;
  /** A callee releases a mapping this path does not hold: it must be the caller's (for summaries). */
  releasesCallersPin?(s: State, key: string): void;
  /** A path leaves the function at `at` (a return statement, or the closing brace). */
  exit?(s: State, at: Span, viaReturn: boolean): void;
  /** Where `held` leaves the state because it was returned or stored (not leaked). */
  escape?(s: State, pin: HeldPin, how: 'returned' | 'stored'): void;
  /** A reference dropped on `counter` that this path did not take: the caller's (for summaries). */
  putUnheld?(s: State, counter: string): void;
}

export function makeTransfer(env: FunctionEnv, observer: Observer): Transfer {
  const { fn, file, knowledge } = env;
  const locals = new Set(fn.locals);
  // Callees' locals, a set per callee for this run: a function calls the same few many times.
  const calleeLocals = new Map<FunctionHead, ReadonlySet<string>>();
  const localsOf = (callee: FunctionHead) => {
    let set = calleeLocals.get(callee);
    if (!set) calleeLocals.set(callee, (set = new Set(callee.locals)));
    return set;
  };
  const releaserWords = knowledge.api.unknownReleaserWords ?? [];
  // A function that calls an unseen releaser (`unlock_page_lruvec_irqrestore(locked, flags)`) on some
  // path releases locks kpath cannot name: none it takes is certain on any path.
  const releasesUnseen = fn.blocks.some((b) =>
    b.ops.some((op) => op.kind === 'call' && !op.indirect && releaserWords.some((w) => op.callee.includes(w)) && !knowledge.call(op.callee, op.args.length) && !env.resolve(op)),
  );
  const correlated = correlatedConditions(fn, knowledge, env);
  // `if (WARN_ON(...)) cleanup();`: the kernel says the warning never fires; its branch is left
  // out unless the tables ask for it (`warnings`).
  const unexplored = new Set(fn.blocks.filter((b) => b.warning !== undefined && !knowledge.exploresWarning(b.warning)).map((b) => b.id));
  const params = new Set(fn.params.filter((p): p is string => p !== null));
  const gfpLocals = gfpTestLocals(fn, knowledge);
  const contextLocals = contextTestLocals(fn, knowledge);
  const copies = copiedLocals(fn);
  // `function = hdr->Function`: a test of the copy asks what a test of the path asked
  const copyEnds = copiesAtBlockEnds(fn);
  const variables = variablesOf(fn);
  const modes = comparedNames(fn);
  const truthTested = truthTestedLocals(fn);
  const handedOn = comparedAndHandedOn(fn, env, modes, variables);
  let orsKept: ReadonlySet<string> | undefined;
  /** What a test taking `value` says of a mask: directly (`gfpflags_allow_blocking(gfp)`), or through a local holding one (`is_atomic`). */
  const gfpTestOf = (expr: string, value: boolean): { mask: string; allows: boolean } | undefined => {
    const direct = knowledge.gfpTested(expr);
    if (direct !== undefined) return { mask: direct, allows: value };
    const local = gfpLocals.get(expr);
    return local && { mask: local.mask, allows: local.allows === value };
  };
  const endOfFunction: Span = { line: fn.span.endLine, column: Math.max(1, fn.span.endColumn - 1), endLine: fn.span.endLine, endColumn: fn.span.endColumn };

  const event = (kind: PathEventKind, span: Span, message: string, extra: Partial<PathEvent> = {}): PathEvent => pathEvent(kind, file, fn.name, span, message, extra);

  const callEvent = (op: CallOp, callee: string, message?: string): PathEvent =>
    event('call', op.span, message ?? callText(fn.name, callee, op), { callee });

  // ---- locks ---------------------------------------------------------------------------------

  /** A lock this function takes. */
  const lockTaken = (lock: string, cls: LockClass, origin: PathEvent[]): HeldLock => {
    const held: HeldLock = { what: 'lock', lock, display: shownLock(lock), class: cls, origin, fromEntry: false };
    if (releasesUnseen) held.uncertain = true;
    // `inode = dentry->d_inode; spin_lock(&inode->i_lock)`: also `dentry->d_inode->i_lock`, a name callees share.
    const root = rootIdentifier(lock);
    const copy = root !== undefined && root !== lock ? copies.get(root) : undefined;
    // `rtm = &rwb->rtmutex; raw_spin_lock(&rtm->wait_lock)`: also `rwb->rtmutex.wait_lock`
    const alias = copy === undefined ? undefined : copy.startsWith('&') ? (lock.startsWith(`${root}->`) ? `${copy.slice(1)}.${lock.slice(root!.length + 2)}` : undefined) : reroot(lock, root!, copy);
    if (alias !== undefined) held.aliases = [alias];
    return held;
  };

  const takeLock = (s: State, op: CallOp, lock: string, cls: LockClass, origin: PathEvent[], scopeOp?: number, section?: 'irq' | 'bh'): State => {
    const held: HeldLock & { scopeOp?: number } = lockTaken(lock, cls, origin);
    if (scopeOp !== undefined) held.scopeOp = scopeOp;
    if (section) held.section = section;
    observer.acquire?.(s, held, op);
    if (s.held.some((h) => h.what === 'lock' && sameLock(h, held))) return s; // reported as a double lock; keep one
    return withHeld(s, held);
  };

  /**
   * `release` of `lock`, by an unlock that turns interrupts or bottom halves back on (`restores`):
   * that ends the section of a `local_irq_save()` or `local_bh_disable()` made before a plain take
   * of the lock (netdevice.h's `netif_addr_lock_bh()` and `netif_addr_unlock_bh()`), not the take's
   * own (`spin_lock_irqsave()`), or before a take the path did not see (rcu's
   * `krc_this_cpu_lock()` returns its lock through a local, with interrupts off).
   */
  const releaseRestoring = (s: State, lock: string, restores: 'irq' | 'bh' | undefined, release: () => State): State => {
    if (!restores) return release();
    const released = heldReleasedAs(s, lock, false);
    const after = release();
    if (released?.section === restores) return after;
    const section = [...after.held].reverse().find((h) => h.what === 'atomic' && h.kind === restores);
    return section ? withoutHeld(after, section) : after;
  };

  /** The held lock that a release of `lock` lets go, by whichever of its names this path holds it. */
  const heldReleasedAs = (s: State, lock: string, byCallee: boolean): HeldLock | undefined =>
    findLock(s, lock) ??
    sameShape(s, lock) ??
    fieldInLocal(s, lock, locals) ??
    fieldNamedOnEntry(s, lock, params, locals) ??
    heldOnePointerUp(s, lock) ??
    callersLockOfField(s, lock, knowledge) ??
    heldWithSameField(s, lock, byCallee && !knowledge.isGenericLockField(lastField(lock) ?? '')) ??
    ownLockThroughCall(s, lock);

  /**
   * A lock a callee releases before it sleeps, in this function's terms, with the name this path
   * holds it by (the lock its release would let go: `bdev->lru_lock`, which ttm_bo_swapout()
   * releases as `bo->bdev->lru_lock` before it waits).
   */
  const releasedHere = (s: State, lock: string | undefined): string[] => {
    if (lock === undefined) return [];
    const held = heldReleasedAs(s, lock, true);
    return held && held.lock !== lock ? [held.lock, lock] : [lock];
  };

  const dropLock = (s: State, op: CallOp, lock: string, byCallee = false, depth = 0): State => {
    const held = heldReleasedAs(s, lock, byCallee);
    if (held) observer.release?.(s, held, op, depth, lock);
    else observer.releaseUnheld?.(s, lock, op, depth);
    const next = held ? forgetConditionsThrough(withoutHeld(s, held), rootIdentifier(held.lock)) : s;
    // Only a lock this path held can be released twice: a summary's release of a lock its function
    // never took (add_block_entry() returns holding it, its callers unlock) is not one.
    const released = !held || next.released.includes(lock) ? next.released : [...next.released, lock];
    // What the caller held, released here: a lock this path took itself and let go is none of the caller's.
    const callers = !held || held.fromEntry;
    const dropped = !callers || next.dropped.includes(lock) ? next.dropped : [...next.dropped, lock];
    const letGo = callers || next.letGo.includes(held.lock) ? next.letGo : [...next.letGo, held.lock];
    return released === next.released && dropped === next.dropped && letGo === next.letGo ? next : { ...next, released, dropped, letGo };
  };

  /** A call's result tested (`held`: the edge where it says the lock is held): what its pending says happens. */
  const resolvePending = (s: State, pending: PendingTry, held: boolean): State => {
    if (pending.kind === 'drop') return held ? s : dropLock(s, pending.call!, pending.lock.lock);
    if (!held) return s;
    const lock = pending.lock.lock;
    const restored = withHeld(s, pending.lock);
    // kept by the callee after all: neither released nor the caller's dropped on this path
    if (pending.kind !== 'restore') return restored;
    const without = (names: readonly string[]) => (names.includes(lock) ? names.filter((l) => l !== lock) : names);
    return { ...restored, released: without(restored.released), dropped: without(restored.dropped), letGo: without(restored.letGo) };
  };

  /** A mapping of the caller's unmapped here: a sleep after it is not under it. */
  const callersPinDropped = (s: State, key: string): State => {
    const name = droppedPin(key);
    return s.dropped.includes(name) ? s : { ...s, dropped: [...s.dropped, name] };
  };

  const lockEvent = (op: CallOp, lock: string, taken: boolean): PathEvent =>
    event(taken ? 'lock' : 'unlock', op.span, `'${lock}' ${taken ? 'taken' : 'released'} by ${op.callee}()`, {
      lock,
      callee: op.callee,
    });

  // ---- sleeps --------------------------------------------------------------------------------

  /**
   * A sleep, unless the path got here by testing that a gfp parameter allows blocking
   * (`if (gfpflags_allow_blocking(mask)) cond_resched();`): then it sleeps when the caller's mask
   * allows it, which the caller decides, as for an allocation with that mask.
   */
  const sleep = (s: State, site0: SleepSite) => {
    if (site0.holds.length === 0 && s.conds.some(([expr]) => expr === MAY_SLEEP_HERE)) return;
    const outside = contextsOutside(s);
    const zeroed = lastPuts.get(site0.op.id) ?? NO_NAMES;
    let site = outside.length > 0 ? { ...site0, unlessIn: [...new Set([...(site0.unlessIn ?? []), ...outside])].sort() } : site0;
    if (zeroed.length > 0) site = { ...site, unlessRefs: [...new Set([...(site.unlessRefs ?? []), ...zeroed])].sort() };
    const param = gatingParam(s);
    if (param < 0) return observer.sleep?.(s, site);
    const mask = fn.params[param]!;
    const chain = site.chain.length > 0 ? site.chain : [event('sleep', site.op.span, `${site.callee}() ${site.why} when '${mask}' allows blocking`, { callee: site.callee })];
    observer.gfpParamSleep?.(s, site.op, param, chain);
  };

  const { carriedTests, passesAll, membersAt } = callerTests(fn);
  const lastPuts = lastPutsAtCalls(fn, knowledge);

  /** Drops a reference on `counter`: the path's own, else the caller's (a summary tells callers). */
  const putReference = (s: State, counter: string, at?: number): State => {
    if (holdsReference(s, counter)) return dropReference(s, counter, at);
    observer.putUnheld?.(s, counter);
    return s;
  };

  /** The gfp parameter this path tested allows blocking, or -1. */
  const gatingParam = (s: State): number => {
    const gate = s.conds.length === 0 ? undefined : s.conds.find(([expr, value]) => value && expr.startsWith(ALLOWS_BLOCKING));
    return gate ? fn.params.indexOf(gate[0].slice(ALLOWS_BLOCKING.length)) : -1;
  };

  /** The sleep a callee's summary chain ends in, seen at the call to it. */
  const calleeSleep = (op: CallOp, callee: string, chain: readonly PathEvent[], holds: Held[]): SleepSite => {
    const last = chain[chain.length - 1]!;
    return { op, callee, why: `may sleep (${last.callee ?? 'a callee'}() at ${last.file}:${last.line} ${shortWhy(last.message)})`, chain: prepended(callEvent(op, callee), chain), holds };
  };

  /** Why a call sleeps with the caller's mask `mask`: an allocation deep down, or a sleep behind a test of it. */
  const gfpWhy = (mask: string, callee = 'a callee') =>
    knowledge.call(callee)?.gfpArg !== undefined ? `may sleep (allocates with ${mask} in ${callee}())` : `may sleep (${callee}() when ${mask} allows blocking)`;

  /** Whether what the path holds answers a test of the context (`irqs_disabled()`) otherwise than `value`. */
  const answeredOtherwise = (s: State, expr: string, value: boolean): boolean => {
    const asked = knowledge.contextTest(expr);
    if (asked && value !== asked.is && inContextOf(s.held, asked.in)) return true;
    return value && knowledge.onlyWhereSleeping(expr) && atomicHolds(s).length > 0;
  };

  /**
   * `s` remembering what a test of the context answered, for callers answered from the summary:
   * the contexts it rules out (`outside:`), or that the code may sleep here.
   */
  const rememberedAnswer = (s: State, expr: string, value: boolean): State | undefined => {
    const asked = knowledge.contextTest(expr);
    const out = asked && value !== asked.is ? withCondition(s, outsideOf(asked.in), true) : s;
    return out && value && knowledge.onlyWhereSleeping(expr) ? withCondition(out, MAY_SLEEP_HERE, true) : out;
  };

  // ---- the ops -------------------------------------------------------------------------------

  const unlockedCalls = locksDroppedAround(fn, knowledge);
  const droppedAround = (s: State, op: CallOp): HeldLock | undefined => {
    const lock = unlockedCalls.get(op.id);
    return lock === undefined ? undefined : findLock(s, lock);
  };

  const call = (s0: State, op: CallOp): State[] => {
    let s = s0;
    if (op.indirect) return [indirectCall(s, op)];
    // `list_for_each_entry(s, ...) { ... }` assigns `s` at each turn: what the path knew of it goes.
    if (op.macroBlock && s.conds.length > 0) for (const arg of op.args) if (IDENTIFIER.test(arg.text)) s = forgetConditionsOn(s, arg.text);
    const sem = knowledge.call(op.callee, op.args.length);
    if (sem?.neverReturns) {
      observer.endsPath?.(s, op);
      return [];
    }
    if (sem) return [applySemantics(s, op, sem)];
    if (knowledge.isCurriedGuard(op.callee) || (op.macroBlock && knowledge.isScopedGuard(op.callee))) {
      return [applyGuard(s, op)];
    }
    if (op.assignTo) s = assigned(s, op.assignTo);
    // A function without a table row may take or drop locks behind kpath's back: a later unlock
    // is no longer a double unlock for certain.
    if (s.released.length) s = { ...s, released: [] };
    const callee = env.resolve(op);
    if (callee) s = applyCallee(s, op, callee);
    else s = passedToUnknown(s, op);
    if (callee?.summary?.neverReturns) {
      observer.endsPath?.(s, op);
      return [];
    }
    return [s];
  };

  /**
   * A call through a function pointer: every function stored into that field gets the caller's
   * state as a context; only a single possible target also applies its summary here.
   */
  const indirectCall = (s0: State, op: CallOp): State => {
    let s = op.assignTo ? assigned(s0, op.assignTo) : s0;
    // As for a direct call without a row: what it takes or drops is not certain.
    if (s.released.length) s = { ...s, released: [] };
    // A call through a pointer back into a function on the way here is another instance's: a
    // layer sending to the layer above through the same kind of channel (mISDN's
    // `dsp->up->send`), a bridge calling its devices' error handlers. Not this one again.
    const onTheWay = (name: string) => name === fn.name || s.held.some((h) => h.origin.some((e) => e.function === name));
    const reachable = (targets: Callee[]) => targets.filter((t) => !onTheWay(t.name));
    // The files the held items came through: a function stored into the field there is the
    // driver's own, whatever subsystem the call is in; else the nearest stored ones.
    const onPath = s.held.length > 0 ? new Set(s.held.flatMap((h) => h.origin.map((e) => e.file))) : undefined;
    const owned = onPath ? reachable(env.resolveIndirect(op, onPath)) : [];
    const targets = owned.length > 0 ? owned : ownTargets(reachable(env.resolveIndirect(op)), onPath);
    if (targets.length === 1) return applyCallee(s, op, targets[0]!);
    if (s.held.length > 0) for (const t of targets) env.enterCallee(t, s, op, atomicHolds(s), membersAt(s, op));
    return s;
  };

  /**
   * A call through a field in shared code on a path a driver's context came by: flexcop's common
   * code calls fc->write_ibi_reg() from the PCI driver's work, 6lowpan sends through l2cap's
   * chan->ops->alloc_skb(). The object is that driver's, so is the function: of several targets,
   * those in a file the path came through, else in its folder, when there are any.
   */
  const ownTargets = (targets: Callee[], files: ReadonlySet<string> | undefined): Callee[] => {
    if (targets.length < 2 || files === undefined) return targets;
    const inFiles = targets.filter((t) => files.has(t.file));
    if (inFiles.length > 0) return inFiles;
    const folders = new Set([...files].map(folderOf));
    const inFolders = targets.filter((t) => folders.has(folderOf(t.file)));
    return inFolders.length > 0 ? inFolders : targets;
  };

  /** After a call to an unseen function named like a releaser, held locks become uncertain (see HeldLock). */
  const passedToUnknown = (s: State, op: CallOp): State => {
    // Which lock it releases is unknowable (`unlock_page_lruvec_irqrestore(locked, flags)` names it
    // through another pointer), so none is certain any more.
    if (!releaserWords.some((w) => op.callee.includes(w))) return s;
    // So may a section a callee entered for this one to end (ipc's `shm_lock_by_ptr()` enters RCU,
    // its `shm_unlock()` is a macro of shm.c): it is no longer held for certain, so not held.
    const entered = (h: Held) => h.what === 'atomic' && !h.fromEntry && h.origin[0]?.kind === 'call';
    const left = s.held.some(entered) ? { ...s, held: s.held.filter((h) => !entered(h)) } : s;
    return uncertainLocks(left, () => true);
  };

  const uncertainLocks = (s: State, which: (h: HeldLock) => boolean): State => {
    let changed = false;
    const held = s.held.map((h) => {
      if (h.what !== 'lock' || h.uncertain || !which(h)) return h;
      changed = true;
      return { ...h, uncertain: true };
    });
    return changed ? { ...s, held } : s;
  };

  const applySemantics = (s0: State, op: CallOp, sem: CallSemantics): State => {
    let s = op.assignTo ? assigned(s0, op.assignTo) : s0;
    checkSleep(s, op, sem);
    if (sem.reference) {
      const counter = lockFromArgs({ arg: sem.reference.arg }, op.args);
      if (counter !== undefined) s = sem.reference.does === 'get' ? takeReference(s, counter) : putReference(s, counter, sem.reference.does === 'putTest' ? op.id : undefined);
    }
    if (sem.acquire) {
      const lock = lockFromArgs(sem.acquire.lock, op.args, op.assignTo);
      if (lock !== undefined) {
        if (sem.acquire.conditional) {
          const held = lockTaken(lock, sem.acquire.class, [lockEvent(op, lock, true)]);
          const pending = { op: op.id, variable: op.assignTo, lock: held, ...(sem.acquire.heldWhenZero ? { heldWhenZero: true } : {}) };
          s = { ...s, pending: [...s.pending.filter((p) => p.op !== op.id), pending] };
        } else {
          s = takeLock(s, op, lock, sem.acquire.class, [lockEvent(op, lock, true)], undefined, sem.acquire.irq === 'bh' ? 'bh' : sem.acquire.irq ? 'irq' : undefined);
        }
      }
    }
    if (sem.release) {
      const lock = lockFromArgs(sem.release.lock, op.args, op.assignTo);
      if (lock !== undefined) {
        // `local_irq_save(flags); spin_lock(&l); ... spin_unlock_irqrestore(&l, flags);`: the
        // unlock turns interrupts back on, ending the section the plain take did not open.
        s = releaseRestoring(s, lock, sem.release.restores, () => dropLock(s, op, lock));
      }
    }
    if (sem.atomicEnter) {
      const atomic: HeldAtomic = {
        what: 'atomic',
        kind: sem.atomicEnter,
        by: op.callee,
        origin: [event('atomic-enter', op.span, `${op.callee}() enters atomic context`, { atomic: sem.atomicEnter, callee: op.callee })],
        fromEntry: false,
      };
      // Entered again after leaving the caller's section (`preempt_enable(); schedule();
      // preempt_disable();`): what follows is in a section again, and the path one state.
      const left = droppedAtomic(sem.atomicEnter);
      if (s.dropped.includes(left)) s = { ...s, dropped: s.dropped.filter((d) => d !== left) };
      s = withHeld(s, atomic);
    }
    if (sem.atomicExit) s = exitAtomic(s, op, sem.atomicExit, sem.atomicExitAll === true);
    if (sem.pagefault === 'disable') {
      s = withHeld(s, { what: 'atomic', kind: 'pagefault', by: op.callee, origin: [event('atomic-enter', op.span, `${op.callee}() disables page faults`, { callee: op.callee })], fromEntry: false });
    } else if (sem.pagefault === 'enable') {
      const last = [...s.held].reverse().find((h) => h.what === 'atomic' && h.kind === 'pagefault');
      if (last) s = withoutHeld(s, last);
    }
    if (sem.assertsHeld) s = assertHeld(s, op, sem.assertsHeld);
    if (sem.assertsAtomic && atomicHolds(s).length === 0) {
      s = withHeld(s, { what: 'atomic', kind: sem.assertsAtomic, by: op.callee, origin: [event('entry', op.span, `on entry, per ${op.callee}() at ${file}:${op.span.line}`, { atomic: sem.assertsAtomic })], fromEntry: true });
    }
    if (sem.map && sem.map.kind !== 'none') s = pin(s, op, sem.map);
    if (sem.unmap) s = unpin(s, op, sem.unmap);
    return s;
  };

  const exitAtomic = (s: State, op: CallOp, kind: AtomicKind, all = false): State => {
    const last = [...s.held].reverse().find((h) => h.what === 'atomic' && h.kind === kind);
    if (last && all) return { ...s, held: s.held.filter((h) => !(h.what === 'atomic' && h.kind === kind)) };
    if (last) return withoutHeld(s, last);
    observer.exitUnheld?.(s, kind, op);
    // The caller's section, left: a sleep after this is not in it (as for `dropped` locks).
    const name = droppedAtomic(kind);
    return s.dropped.includes(name) ? s : { ...s, dropped: [...s.dropped, name] };
  };

  const applyGuard = (s: State, op: CallOp): State => {
    // A macro block's head is re-entered at each iteration of its body: the guard is taken once.
    if (s.held.some((h) => (h as { scopeOp?: number }).scopeOp === op.id)) return s;
    const classArg = op.macroBlock ? op.args[0] : op.macroArgs?.[0];
    const lockArg = op.macroBlock ? op.args[1] : op.args[0];
    const cls = classArg && knowledge.guardClass(classArg.text);
    if (!cls) return s;
    if (cls.sleeps) {
      sleep(s, { op, callee: `${op.callee}(${classArg.text})`, why: `may sleep (${cls.sleeps.why})`, chain: [], holds: atomicHolds(s) });
    }
    if (cls.lock && lockArg) {
      const lock = canonicalLock(lockArg.text);
      return takeLock(s, op, lock, cls.lock.class, [lockEvent(op, lock, true)], op.id);
    }
    if (cls.atomic) {
      const atomic: HeldAtomic & { scopeOp?: number } = {
        what: 'atomic',
        kind: cls.atomic,
        by: `${op.callee}(${classArg.text})`,
        origin: [event('atomic-enter', op.span, `${op.callee}(${classArg.text}) enters atomic context`, { atomic: cls.atomic, callee: op.callee })],
        fromEntry: false,
        scopeOp: op.id,
      };
      return withHeld(s, atomic);
    }
    return s;
  };

  const scopeExit = (s: State, op: ScopeExitOp): State => {
    const bound = s.held.filter((h) => (h as { scopeOp?: number }).scopeOp === op.of);
    return bound.reduce((acc, h) => withoutHeld(acc, h), s);
  };

  /**
   * `lockdep_assert_held(&l)` says the caller holds `l`: from here on the path holds it as if on
   * entry. A lock whose class its name does not tell is not assumed to be a spinlock.
   */
  const assertHeld = (s: State, op: CallOp, ref: LockRef): State => {
    const lock = lockFromArgs(ref, op.args);
    if (lock === undefined || findLock(s, lock)) return s;
    const cls = knowledge.lockClassByName(lock);
    if (!cls) return s;
    const origin = [event('entry', op.span, `on entry, per ${op.callee}(${op.args[ref.arg]?.text ?? ''}) at ${file}:${op.span.line}`, { lock })];
    return withHeld(s, { what: 'lock', lock, display: lock, class: cls, origin, fromEntry: true });
  };

  /** Would this call sleep, and in what context? Tells the observer either way (summaries need both). */
  const checkSleep = (s: State, op: CallOp, sem: CallSemantics) => {
    if (sem.neverSleeps) return;
    const droppedName = sem.dropsLock && lockFromArgs(sem.dropsLock.lock, op.args);
    const dropped = droppedName !== undefined && findLock(s, droppedName);
    const holds = atomicHolds(s, dropped ? (h) => h === dropped : undefined);
    // `cond_resched_lock(&ctl->tree_lock)` with the lock its caller's: a caller holding it, and
    // only it, may sleep there (as for a lock released before the sleep).
    const callersDropped = !dropped && droppedName !== undefined ? { releasedFirst: [droppedName] } : {};
    const site = (why: string, extra: Partial<SleepSite> = {}): SleepSite => ({
      op,
      callee: op.callee,
      why,
      chain: [],
      sem,
      holds,
      ...(dropped ? { dropped } : {}),
      ...callersDropped,
      ...extra,
    });
    if (sem.map?.blocks && sem.map.kind === 'persistent') {
      const serie = sem.map.serie ?? 'DEFAULT';
      sleep(s, site(`may block (persistent kmap, ${serie} serie)`, { blocksOnSerie: serie }));
      return;
    }
    if (sem.sleepsWithFlags) {
      const { arg, flags, prefix, why } = sem.sleepsWithFlags;
      const text = op.args[arg]?.text;
      const carries = text === undefined ? undefined : evaluate(text, (name) => (flags.includes(name) ? true : name.startsWith(prefix) ? false : undefined));
      if (carries !== false) sleep(s, site(`may sleep (${why}${carries === undefined ? ` unless ${text ?? 'its flags'} excludes ${flags.join(' and ')}` : ` with ${text}`})`));
      return;
    }
    if (sem.sleepsUnlessSet) {
      const { arg, nonblocking, why } = sem.sleepsUnlessSet;
      const text = op.args[arg]?.text;
      if (text !== undefined && nonblocking.includes(text)) return;
      // A constant decides; the caller's own parameter carries the test to its callers.
      const when = text === undefined ? [] : carriedTests([[arg, false]], op, s);
      const how = text === undefined ? '' : CONSTANT_TRUTH[text] === false ? `, as ${text} asks` : ` unless ${text} is set`;
      if (when !== undefined) sleep(s, site(`may sleep (${why}${how})`, when.length > 0 ? { when } : {}));
      return;
    }
    if (sem.sleeps) {
      const faultsOff = sem.sleeps.byFault && s.held.some((h) => h.what === 'atomic' && h.kind === 'pagefault');
      const irqsOffOnly = sem.sleeps.withIrqsOff ? { holds: holds.filter((h) => !(h.what === 'atomic' && h.kind === 'irq')) } : {};
      if (!faultsOff) sleep(s, site(`may sleep (${sem.sleeps.why})`, irqsOffOnly));
      return;
    }
    if (sem.gfpArg !== undefined) {
      const arg = op.args[sem.gfpArg];
      if (!arg) return;
      const sleeps = knowledge.gfpMaySleep(arg.text);
      if (sleeps === true) sleep(s, site(`may sleep (${arg.text} allocation)`, { gfpArg: arg }));
      else if (sleeps === undefined) {
        const param = fn.params.indexOf(arg.text);
        if (param >= 0) observer.gfpParamSleep?.(s, op, param, [event('sleep', op.span, `${op.callee}() may sleep when '${arg.text}' allows reclaim`, { callee: op.callee })]);
      }
    }
  };

  // once per call of the run, not per state reaching it
  const withBits = new Map<number, CallOp>();
  const testedArgs = (op: CallOp): CallOp => {
    let tested = withBits.get(op.id);
    if (!tested) withBits.set(op.id, (tested = withMacroBits(op, env.macroBits)));
    return tested;
  };

  const applyCallee = (s0: State, op: CallOp, callee: Callee): State => {
    let s = s0;
    const summary = callee.summary;
    const holds = atomicHolds(s);
    const interesting = s.held.length > 0;
    // Behind a test that the caller's mask allows blocking, the callee is not entered with what
    // is held: its sleeps count at this call, with the mask (try_charge_memcg()'s wait for a
    // charge move is behind `gfpflags_allow_blocking(gfp_mask)`).
    const gated = interesting && gatingParam(s) >= 0;
    // what the callee's tests of its arguments see: `MAKE_SEND_FLAGS(len)` has the macro's bits
    const tested = interesting || summary?.condSleeps ? testedArgs(op) : op;
    const accepted = gated ? false : interesting ? env.enterCallee(callee, s, tested, holds, membersAt(s, op)) : true;
    // Most callees are inert: what follows would make its closures for every such call and apply
    // nothing but the references an inert summary may still get or put.
    if (summary && !(summary.inert && !summary.gets && !summary.puts)) {
      const localsOfCallee = localsOf(callee.fn);
      // A name in the callee's terms, in this function's: its parameters by the arguments, its file's statics as that file's.
      const inCallerTerms = (lock: string) => {
        const name = substituteLock(lock, callee.fn.params, op.args, localsOfCallee);
        if (name === undefined) return undefined;
        const across = lockAcrossFiles(name, callee.file, file, env.staticsOf);
        // The callee's static under the bare name this file holds it by, where this file has no
        // static of that name: "ovs_mutex must be held" above vport.c's ovs_vport_add() names
        // datapath.c's static, whose ovs_unlock() it calls. A context handed to that file takes
        // the bare name as its static too (program.ts), so both ways see one lock.
        const bare = across === `${callee.file}::${name}` && !env.staticsOf(file)?.has(rootIdentifier(name) ?? '');
        return bare && !findLock(s, across) && findLock(s, name) ? name : across;
      };
      // A page the callee unmaps (`kunmap(sg_page(cmd->t_data_sg))`) names the mapping of that page.
      const pageInCallerTerms = (page: string) => {
        const name = substituteExpression(page, callee.fn.params, op.args, localsOfCallee);
        return name === undefined ? undefined : lockAcrossFiles(name, callee.file, file, env.staticsOf);
      };
      // Locks the callee releases before it sleeps are not held while it sleeps, nor mappings it unmaps.
      const unmappedHere = (key: string) => {
        const name = pageInCallerTerms(key);
        return name === undefined ? [] : [droppedPin(name)];
      };
      const releasedFirst = (names: readonly string[]) =>
        names.flatMap((l) => (atomicDropped(l) !== undefined ? [l] : pinDropped(l) !== undefined ? unmappedHere(pinDropped(l)!) : releasedHere(s, inCallerTerms(l))));
      // A callee sleeping whichever way a test of its parameter goes (`if (!stream_lock)
      // mutex_lock(a); else if (nonatomic) mutex_lock(b);`): the sleep of the way the arguments take.
      // A sleep behind a test of the context that rules out one held here (`!in_interrupt()` in a tasklet) is not reached.
      // A sleep behind the last put of a counter the path holds a reference on is not reached either.
      const counters = (names: readonly string[]) => names.flatMap((r) => inCallerTerms(r) ?? []);
      const reached = (c: { unlessIn?: AtomicKind[]; unlessRefs?: string[] }) =>
        (!c.unlessIn || !inContextOf(holds, c.unlessIn)) && (!c.unlessRefs || !counters(c.unlessRefs).some((r) => holdsReference(s, r)));
      const way = summary.sleeps && summary.condSleeps && (!accepted || holds.length === 0) ? summary.condSleeps.find((c) => !c.unlessIn && !c.unlessRefs && passesAll(c.when, tested, s)) : undefined;
      const [chain, releasing] = way ? [way.chain, way.released] : [summary.sleeps, summary.sleepsAfterReleasing];
      const released = releasing ? releasedFirst(releasing) : NO_NAMES;
      const sleepHolds = released.length > 0 ? heldAfterReleasing(holds, released) : holds;
      if (chain && (!accepted || sleepHolds.length === 0)) {
        sleep(s, { ...calleeSleep(op, callee.name, chain, sleepHolds), ...(released.length > 0 ? { releasedFirst: [...released] } : {}) });
      }
      if (!summary.sleeps && summary.condSleeps && (!accepted || holds.length === 0)) {
        // Sleeps behind tests of the callee's parameters: ruled out by a constant argument
        // (`t4_wr_mbox_meat(..., false)` never reaches its msleep()), else behind the same tests
        // of this function's own parameters when it passes them on.
        for (const c of summary.condSleeps) {
          const when = carriedTests(c.when, tested, s);
          if (when === undefined || !reached(c)) continue;
          const first = c.released ? releasedFirst(c.released) : NO_NAMES;
          const condHolds = first.length > 0 ? heldAfterReleasing(holds, first) : holds;
          const unlessRefs = counters(c.unlessRefs ?? []);
          sleep(s, {
            ...calleeSleep(op, callee.name, c.chain, condHolds),
            ...(when.length > 0 ? { when } : {}),
            ...(first.length > 0 ? { releasedFirst: [...first] } : {}),
            ...(c.unlessIn ? { unlessIn: c.unlessIn } : {}),
            ...(unlessRefs.length > 0 ? { unlessRefs } : {}),
          });
          break;
        }
      }
      for (const index in summary.gfpSleeps) {
        const chain = summary.gfpSleeps[Number(index)]!;
        const arg = op.args[Number(index)];
        if (!arg) continue;
        const sleeps = knowledge.gfpMaySleep(arg.text);
        if (sleeps === true) {
          sleep(s, {
            op,
            callee: callee.name,
            why: gfpWhy(arg.text, chain[chain.length - 1]?.callee),
            chain: prepended(callEvent(op, callee.name, `${callText(fn.name, callee.name, op)} with ${arg.text}`), chain),
            gfpArg: arg,
            holds,
          });
        } else if (sleeps === undefined) {
          const param = fn.params.indexOf(arg.text);
          if (param >= 0) observer.gfpParamSleep?.(s, op, param, prepended(callEvent(op, callee.name), chain));
        }
      }
      for (const kind of summary.exitsAtomic ?? []) s = exitAtomic(s, op, kind);
      // `tmio_mmc_kmap_atomic()` returns with interrupts disabled by its `local_irq_save()`.
      for (const a of summary.entersAtomic ?? []) {
        const by = a.origin.find((e) => e.kind === 'atomic-enter')?.callee ?? callee.name;
        const call = callEvent(op, callee.name, `${callee.name}() returns while ${atomicPhrase(a.kind)}`);
        s = withHeld(s, { what: 'atomic', kind: a.kind, by, origin: prepended(call, a.origin), fromEntry: false });
      }
      for (const counter of counters(summary.puts ?? [])) s = putReference(s, counter);
      for (const counter of counters(summary.gets ?? [])) s = takeReference(s, counter);
      // Two names in the callee's terms may be one lock in the caller's: released once.
      if (summary.releases.length > 0) {
        const releases = new Map<string, number>();
        const restoring = new Map<string, 'irq' | 'bh'>();
        for (const r of summary.releases) {
          const lock = inCallerTerms(r.lock);
          const depth = (r.depth ?? 0) + 1;
          if (lock !== undefined && depth < (releases.get(lock) ?? Infinity)) releases.set(lock, depth);
          if (lock !== undefined && r.restores) restoring.set(lock, r.restores);
        }
        for (const [lock, depth] of releases) s = releaseRestoring(s, lock, restoring.get(lock), () => dropLock(s, op, lock, true, depth));
      }
      for (const a of summary.acquires) {
        const lock = inCallerTerms(a.lock);
        if (lock !== undefined) s = takeLock(s, op, lock, a.class, prepended(callEvent(op, callee.name, `'${shownLock(lock)}' taken by ${callee.name}()`), a.origin));
      }
      for (const c of summary.condReleases ?? []) {
        const lock = inCallerTerms(c.lock);
        if (lock === undefined) continue;
        // Released now, held again on the edge where the result says the callee kept it; a lock the
        // path does not hold is released on the edge where the result says so.
        const held = findLock(s, lock);
        const when = c.releasedWhen !== undefined ? { heldUnless: c.releasedWhen } : { heldWhenZero: !(c.releasedWhenZero ?? false) };
        const pending: PendingTry = held
          ? { op: op.id, variable: op.assignTo, lock: held, ...when, kind: 'restore' }
          : { op: op.id, variable: op.assignTo, lock: lockTaken(lock, c.class, c.origin), ...when, kind: 'drop', call: op };
        if (held) s = dropLock(s, op, lock);
        s = { ...s, pending: [...s.pending.filter((p) => p.op !== op.id || p.lock.lock !== lock), pending] };
      }
      for (const c of summary.condAcquires ?? []) {
        const lock = inCallerTerms(c.lock);
        if (lock === undefined) continue;
        const held = lockTaken(lock, c.class, prepended(callEvent(op, callee.name, `'${shownLock(lock)}' taken by ${callee.name}() when it succeeds`), c.origin));
        const pending = { op: op.id, variable: op.assignTo, lock: held, ...(c.heldWhenZero ? { heldWhenZero: true } : {}) };
        s = { ...s, pending: [...s.pending.filter((p) => p.op !== op.id), pending] };
      }
      for (const key of summary.unpins ?? []) {
        const name = pageInCallerTerms(key);
        const p = name && s.held.find((h): h is HeldPin => h.what === 'pin' && (h.key === name || h.variable === name || h.page === name || !!h.aliases?.includes(name)));
        if (p) s = withoutHeld(s, p);
        else if (name) {
          observer.releasesCallersPin?.(s, name);
          s = callersPinDropped(s, name);
        }
      }
      if (summary.returnsPin && op.assignTo) {
        const r = summary.returnsPin;
        const page = r.page === undefined ? undefined : pageInCallerTerms(r.page);
        const p: HeldPin = {
          what: 'pin',
          kind: r.kind,
          key: op.assignTo,
          variable: op.assignTo,
          callee: callee.name,
          releasedBy: r.releasedBy,
          origin: prepended(callEvent(op, callee.name, `${callee.name}() returns ${withArticle(describeMap(r.kind, r.serie))}`), r.origin),
          fromEntry: false,
          op: op.id,
          ...(r.serie ? { serie: r.serie } : {}),
          ...(page ? { page } : {}),
        };
        observer.pin?.(s, p, op);
        s = withHeld(s, p);
      }
    }
    return s;
  };

  const pin = (s0: State, op: CallOp, map: MapSemantics): State => {
    let s = s0;
    if (mapsHere(map.onlyOn)) s = pinned(s, op, map);
    if (map.alsoLocks) {
      const lock = lockFromArgs(map.alsoLocks, op.args);
      if (lock !== undefined) {
        s = takeLock(s, op, lock, 'spin', [lockEvent(op, lock, true)]);
        s = { ...s, held: s.held.map((h) => (h.what === 'lock' && h.lock === lock && !h.fromEntry ? { ...h, withPin: op.id } : h)) };
      }
    }
    return s;
  };

  /**
   * The mapping in `failed` failed on this edge: nothing to release, nor the lock taken with it
   * (where the call maps nothing, `mapsHere`, only that lock is held).
   */
  const withoutFailedMapping = (s: State, failed: string): State => {
    const pin = s.held.find((h): h is HeldPin => h.what === 'pin' && (h.variable === failed || h.key === failed));
    const mappedBy = pin ? pin.op : lockTakenWithMapping(s, failed);
    if (!pin && mappedBy === undefined) return s;
    return { ...s, held: s.held.filter((h) => h !== pin && !(h.what === 'lock' && mappedBy !== undefined && h.withPin === mappedBy)) };
  };

  /** The call whose result went to `variable`, when a lock it took with a mapping is held (`pte_offset_map_lock`). */
  let results: Map<number, string | undefined> | undefined;
  const lockTakenWithMapping = (s: State, variable: string): number | undefined => {
    results ??= new Map(fn.blocks.flatMap((b) => b.ops.flatMap((op) => (op.kind === 'call' ? [[op.id, op.assignTo] as const] : []))));
    return s.held.find((h): h is HeldLock => h.what === 'lock' && h.withPin !== undefined && results!.get(h.withPin) === variable)?.withPin;
  };

  /** Whether a row's mapping is one in this file: s390's own code has no highmem page tables (`MapSemantics.onlyOn`). */
  const mapsHere = (onlyOn: readonly string[] | undefined): boolean => {
    if (onlyOn === undefined) return true;
    const part = knowledge.codePart(file);
    return part === undefined || !part.startsWith('arch:') || onlyOn.includes(part.slice('arch:'.length));
  };

  const pinned = (s: State, op: CallOp, map: MapSemantics): State => {
    const key = map.key === 'result' ? op.assignTo : op.args[map.key.arg]?.text;
    const p: HeldPin = {
      what: 'pin',
      kind: map.kind,
      key: key ?? `<${op.callee}@${op.span.line}>`,
      callee: op.callee,
      releasedBy: map.releasedBy,
      origin: [
        event('kmap', op.span, `${op.callee}() pins ${withArticle(describeMap(map.kind, map.serie))}`, {
          mapKind: map.kind === 'none' ? undefined : map.kind,
          callee: op.callee,
          ...(map.kind === 'persistent' ? { serie: map.serie ?? 'DEFAULT' } : {}),
        }),
      ],
      fromEntry: false,
      op: op.id,
      ...(op.assignTo ? { variable: op.assignTo } : {}),
      ...(op.args[0] ? { page: op.args[0].text } : {}),
      ...(map.kind === 'persistent' ? { serie: map.serie ?? 'DEFAULT' } : {}),
    };
    observer.pin?.(s, p, op);
    return withHeld(s, p);
  };

  const unpin = (s0: State, op: CallOp, unmap: UnmapSemantics): State => {
    let s = s0;
    // `kunmap_atomic((void *)(unsigned long)pginfo.contents)` releases what `pginfo.contents` names
    const keyText = withoutCasts(op.args[unmap.keyArg]?.text ?? '');
    const pins = s.held.filter((h): h is HeldPin => h.what === 'pin');
    // `pte_unmap(pte - 1)` after a loop over the table still names the mapping in `pte`, and
    // `(pginfo.metadata - b->pcmd_offset)` the one in `pginfo.metadata`.
    const idents = op.args[unmap.keyArg]?.idents ?? [];
    const offsetFrom = OFFSET_FROM.exec(canonicalLock(keyText))?.[1];
    const named =
      [...pins].reverse().find((p) => p.key === keyText || p.variable === keyText || p.page === keyText || p.aliases?.includes(keyText)) ??
      [...pins].reverse().find((p) => p.variable !== undefined && ((idents.length === 1 && idents[0] === p.variable) || p.variable === offsetFrom));
    observer.unpin?.(s, named, op, unmap, keyText);
    if (named) s = withoutHeld(s, named);
    else if (keyText !== '') s = callersPinDropped(s, unmappedKey(keyText));
    if (unmap.alsoUnlocks) {
      const lock = lockFromArgs(unmap.alsoUnlocks, op.args);
      if (lock !== undefined) s = dropLock(s, op, lock);
    }
    return s;
  };

  const assigned = (s0: State, target: string): State => {
    let s = s0;
    const root = /^[A-Za-z_]\w*/.exec(target)?.[0];
    // `old_dir->i_ctime = ...` changes what is read through old_dir, not old_dir: jfs_rename()'s
    // `if (old_dir != new_dir)` around its lock and its unlock is one question still.
    if (root) s = root === target ? forgetConditionsOn(s, root) : forgetConditionsThrough(s, root);
    if (root && root === target) s = renamedAway(s, root);
    if (s.pending.length) s = { ...s, pending: s.pending.filter((p) => p.variable !== target) };
    return s;
  };

  /**
   * `root` gets another value: names through it no longer mean the locks they meant. A lock that
   * another pointer still names (`locked = lruvec; lruvec = next;`) is known by that name from now
   * on; one that nothing names any more (`zhdr = next` while `zhdr->page_lock` is held) becomes
   * uncertain.
   */
  const renamedAway = (s0: State, root: string): State => {
    let changed = false;
    const held = s0.held.map((h) => {
      if (h.what !== 'lock') return h;
      const aliases = h.aliases?.filter((a) => rootIdentifier(a) !== root);
      const throughRoot = rootIdentifier(h.lock) === root && h.lock !== root;
      if (!throughRoot && aliases?.length === h.aliases?.length) return h;
      changed = true;
      const rest = aliases?.length ? { aliases } : { aliases: undefined };
      if (!throughRoot) return { ...h, ...rest };
      const [next, ...others] = aliases ?? [];
      if (next !== undefined) return { ...h, lock: next, display: next, aliases: others.length ? others : undefined };
      return { ...h, ...rest, uncertain: true };
    });
    return changed ? { ...s0, held } : s0;
  };

  /**
   * `locked = lruvec`: each lock named through `lruvec` is also named through `locked` (so for
   * `inode = dentry->d_inode`); `ka = &kvm->arch`: `kvm->arch.tsc_write_lock` is `ka->tsc_write_lock`.
   */
  const copied = (s0: State, target: string, from: string): State => {
    const address = from.startsWith('&');
    const base = address ? from.slice(1) : from;
    let changed = false;
    const held = s0.held.map((h) => {
      const through = h.what === 'lock' && (address ? h.lock.startsWith(`${base}.`) : h.lock.startsWith(`${base}->`) || h.lock.startsWith(`${base}.`));
      if (!through) return h;
      const alias = address ? `${target}->${h.lock.slice(base.length + 1)}` : reroot(h.lock, from, target);
      if (h.aliases?.includes(alias)) return h;
      changed = true;
      return { ...h, aliases: [...(h.aliases ?? []), alias] };
    });
    return changed ? { ...s0, held } : s0;
  };

  const isLocalName = (target: string) => locals.has(target) || (params.has(target) && !/[-.[]/.test(target));

  const assign = (s0: State, op: AssignOp): State => {
    let s = assigned(s0, op.target);
    if (op.copyOf !== undefined && IDENTIFIER.test(op.target)) s = copied(s, op.target, op.copyOf);
    // `locked = true`: a later `if (locked)` is decided on this path. So for any local the function
    // tests as a truth: `ret = 0` before `if (intr) ret = mutex_lock_interruptible(m); else
    // mutex_lock(m); if (ret) return -ERESTARTSYS;` (vmwgfx's vmw_validation_prepare()).
    if (op.constant !== undefined && (correlated.has(op.target) || truthTested.has(op.target))) {
      s = withCondition(s, op.target, !['0', 'false', 'NULL'].includes(op.constant)) ?? s;
    } else if (op.copyOf !== undefined && truthTested.has(op.target)) {
      // `file = store->file` where a context says `store->file` is NULL: `if (file)` is decided
      const truth = CONSTANT_TRUTH[knownValue(s.conds, op.copyOf) ?? ''];
      if (truth !== undefined) s = withCondition(s, op.target, truth) ?? s;
    }
    // `not_atomic = !in_atomic() && !irqs_disabled()` where the path holds what answers one of the
    // tests the other way (a lock taken with spin_lock_irqsave()): a later `if (not_atomic)` is
    // decided. Decided here, where the tests are asked, not where the local is: clock_ops.c's
    // pm_clk_op_lock() asks before it takes its own irqsave lock, and tests the local under it.
    // Asked with nothing of the function's own held, the answers are about its caller's context:
    // remembered, for the way the local is tested, as a direct test would be (`outside:`).
    const asking = contextLocals.get(op.target);
    if (asking && asking.tests.some(([expr, value]) => answeredOtherwise(s, expr, value))) s = withCondition(s, op.target, !asking.when) ?? s;
    else if (asking && s.held.every((h) => h.fromEntry)) s = withCondition(s, askedOnEntry(op.target), true) ?? s;
    // `mode = M_PARTIAL`, a local the function compares with constants: a later `if (mode ==
    // M_PARTIAL || mode == M_FULL)` is decided on this path (slub's deactivate_slab()).
    if (locals.has(op.target) && modes.has(op.target)) {
      // a copy of what the path knows (`cmd_type = cmd->type`, the type a caller's context says)
      const value = op.constant ?? (op.copyOf === undefined ? undefined : !variables(op.copyOf) ? op.copyOf : knownValue(s.conds, op.copyOf));
      if (value !== undefined) s = withCondition(s, valueFact(op.target, value), true) ?? s;
    }
    // `gup_flags |= FOLL_GET | FOLL_FAST_ONLY` before handing gup_flags to a callee that tests
    // `gup_flags & FOLL_FAST_ONLY`: that test holds on this path.
    if (op.ors && (orsKept ??= orredAndTested(fn, env, modes, variables)).has(op.target)) {
      for (const bit of op.ors) if (!variables(bit)) s = withCondition(s, `${op.target}&${bit}`, true) ?? s;
    }
    // A mapping stored outside the function's locals is handed on, not leaked.
    if (!isLocalName(op.target)) {
      // `*cookie = array->last_cookie` reads through the mapping; it does not hand the mapping on.
      const readThrough = (name: string) => op.copyOf !== undefined && (op.copyOf.startsWith(`${name}->`) || op.copyOf.startsWith(`${name}.`));
      for (const p of s.held) {
        if (p.what === 'pin' && (op.idents.includes(p.variable ?? '') || op.idents.includes(p.key)) && !readThrough(p.variable ?? p.key)) {
          observer.escape?.(s, p, 'stored');
          s = withoutHeld(s, p);
        }
      }
    } else {
      // `orig_pte = pte` (or `orig_pte = pte = pte_offset_map_lock(...)`): another local names the mapping.
      for (const p of s.held) {
        if (p.what === 'pin' && p.variable !== undefined && op.idents[0] === p.variable && !p.aliases?.includes(op.target)) {
          s = { ...s, held: s.held.map((h) => (h === p ? { ...p, aliases: [...(p.aliases ?? []), op.target] } : h)) };
        }
      }
    }
    return s;
  };

  const ret = (s0: State, op: ReturnOp): State => {
    let s = s0;
    for (const p of s.held) {
      if (p.what !== 'pin') continue;
      const returned = op.idents.includes(p.variable ?? '') || op.idents.includes(p.key);
      if (returned || (op.callOp !== undefined && p.op === op.callOp)) {
        observer.escape?.(s, p, 'returned');
        s = withoutHeld(s, p);
      }
    }
    return s;
  };

  return {
    op(s, op) {
      observer.before?.(s, op);
      switch (op.kind) {
        case 'call': {
          const dropped = droppedAround(s, op);
          if (!dropped) return call(s, op);
          // Run with the enclosing call's lock dropped, and held again after, as that call retakes it.
          return call(withoutHeld(s, dropped), op).map((t) => (findLock(t, dropped.lock) ? t : withHeld(t, dropped)));
        }
        case 'assign':
          return [assign(s, op)];
        case 'return':
          return [ret(s, op)];
        case 'scope-exit':
          return [scopeExit(s, op)];
      }
    },
    edge(s0, edge: Edge, from: Block) {
      if (unexplored.size > 0 && unexplored.has(edge.to)) return undefined;
      let s: State | undefined = s0;
      const cond = edge.cond;
      if (cond) {
        // A put balancing the path's own get is not the last one (references.ts).
        const put = putTestOf(fn, knowledge, cond);
        if (put) {
          s = afterPutTest(s, put, cond.value);
          if (!s) return undefined;
        }
        // The result tested as a truth (`if (ret)`), or as an error pointer (`IS_ERR(be)`: true where the call failed).
        const errorTested = s.pending.length > 0 ? errorPointerTested(cond.expr, knowledge.api.errorPointerTests) : undefined;
        // The result tested against the code a callee releases on (`ret != -EINTR`), when the test tells.
        const coded = s.pending.length > 0 ? codeTested(s.pending, cond.expr, cond.value, knowledge.api.errnoAliases) : undefined;
        if (coded) s = resolvePending({ ...s, pending: s.pending.filter((p) => p !== coded.pending) }, coded.pending, !coded.is);
        const pending = s.pending.find((p) => p.heldUnless === undefined && ((cond.callOp !== undefined && p.op === cond.callOp) || p.variable === cond.expr || (errorTested !== undefined && p.variable === errorTested)));
        // The pointer this edge finds NULL (or an error pointer): a mapping that failed, on either way.
        const failed = nullOnEdge(cond.expr, cond.value, knowledge.api.errorPointerTests);
        if (pending) {
          const truth = errorTested !== undefined && pending.variable === errorTested ? !cond.value : cond.value;
          s = resolvePending({ ...s, pending: s.pending.filter((p) => p !== pending) }, pending, truth !== (pending.heldWhenZero ?? false));
          // The result is known from here on: a test of it made again (`for (...; !pn; ...) pn =
          // lookup(); if (!pn) return;`) goes the same way.
          for (const [expr, value] of questionsOf(cond.expr, cond.value, copyEnds.get(from.id))) if (s && correlated.has(expr)) s = withCondition(s, expr, value);
          // a mapping returned with a lock taken when it succeeds (`get_locked_pte()`) failed here too
          if (s && failed !== undefined) s = withoutFailedMapping(s, failed);
        } else {
          // A parameter the caller gave a constant (`wait_type == WaitSleep` with WaitNoSleep passed): decided.
          if (s.conds.length > 0 && decidedOtherwise(s, cond.expr, cond.value, variables)) return undefined;
          // `if (after_bootmem)`: a booted kernel's way only
          const booted = knowledge.afterBoot(cond.expr);
          if (booted !== undefined && booted !== cond.value) return undefined;
          // `if (locked) unlock(locked)` after `locked = lruvec`: a pointer through which a held lock
          // is named cannot be NULL, so the edge where it is does not happen.
          if (failed !== undefined && s.held.some((h) => h.what === 'lock' && !h.uncertain && [h.lock, ...(h.aliases ?? [])].some((n) => namedThrough(n, failed)))) return undefined;
          if (failed !== undefined) s = withoutFailedMapping(s, failed);
          // Only a test made again later can be correlated; remembering the others only splits states.
          // A test the path already decided (a constant argument, an earlier test) prunes the other way.
          const gfp = s && gfpTestOf(cond.expr, cond.value);
          // A test of the context: not taken where the path holds what answers it otherwise (`if
          // (!in_interrupt()) request_module(...)` from an interrupt handler, `if
          // (substream->pcm->nonatomic) mutex_lock(...)` in atomic context); elsewhere remembered.
          if (s && answeredOtherwise(s, cond.expr, cond.value)) return undefined;
          if (s) s = rememberedAnswer(s, cond.expr, cond.value);
          // `if (not_atomic)`, the local set where the function held nothing of its own
          const local = s && contextLocals.get(cond.expr);
          if (local && local.when === cond.value && knownTruth(s!.conds, askedOnEntry(cond.expr))) {
            for (const [expr, value] of local.tests) if (s) s = rememberedAnswer(s, expr, value);
          }
          if (s && gfp !== undefined) {
            // Whether a mask allows blocking: decided by a known mask, else remembered for a parameter.
            const allows = knowledge.gfpMaySleep(gfp.mask);
            if (allows !== undefined && allows !== gfp.allows) return undefined;
            if (params.has(gfp.mask)) s = withCondition(s, allowsBlocking(gfp.mask), gfp.allows);
          } else if (s) {
            // in its own words and, when it tests a local holding a copy, in the path's
            for (const [expr, value] of questionsOf(cond.expr, cond.value, copyEnds.get(from.id))) {
              if (s && (correlated.has(expr) || s.conds.some(([e]) => e === expr))) s = withCondition(s, expr, value);
            }
            // the value found, for a callee that compares it again; of a member, only 0 (a flag
            // found clear): other values split the callee's contexts for nothing kpath has
            // measured (6 % more states on drivers/infiniband, not one finding changed)
            const found = s && handedOn.size > 0 ? comparison(cond.expr, variables) ?? memberTruth(cond.expr, variables) : undefined;
            if (found && found.equal === cond.value && handedOn.has(found.name) && !isRelation(found.constant) && (found.constant === '0' || memberOf(found.name).member === undefined))
              s = withCondition(s!, valueFact(found.name, found.constant), true);
          }
        }
      }
      if (s && s.pending.length) {
        // A trylock whose result is not kept in a variable is decided by the test that follows it or
        // not at all; a callee's release of a lock the path does not hold, as if it always released it.
        const kept = s.pending.filter((p) => p.variable !== undefined);
        if (kept.length !== s.pending.length) {
          for (const p of s.pending) if (p.variable === undefined && p.kind === 'drop') s = dropLock(s, p.call!, p.lock.lock);
          s = { ...s, pending: kept };
        }
      }
      if (s && edge.to === fn.exit) {
        const returned = [...from.ops].reverse().find((o): o is ReturnOp => o.kind === 'return');
        observer.exit?.(s, returned?.span ?? endOfFunction, returned !== undefined);
      }
      return s;
    },
  };
}

const gfpLocalsCache = new WeakMap<Knowledge, WeakMap<FunctionIR, Map<string, { mask: string; allows: boolean }>>>();

/**
 * Locals assigned once, from a gfp test (`bool is_atomic = (gfp & GFP_KERNEL) != GFP_KERNEL;`): a
 * test of the local is that test, `allows` saying which truth of the local allows blocking.
 */
function gfpTestLocals(fn: FunctionIR, knowledge: Knowledge): ReadonlyMap<string, { mask: string; allows: boolean }> {
  // The same for every run over `fn`: computed once.
  let cache = gfpLocalsCache.get(knowledge);
  if (!cache) gfpLocalsCache.set(knowledge, (cache = new WeakMap()));
  const known = cache.get(fn);
  if (known) return known;
  const out = new Map<string, { mask: string; allows: boolean }>();
  cache.set(fn, out);
  const assigned = new Map<string, number>();
  for (const block of fn.blocks) {
    for (const op of block.ops) {
      if (op.kind !== 'assign') continue;
      assigned.set(op.target, (assigned.get(op.target) ?? 0) + 1);
      if (op.test === undefined || !fn.locals.includes(op.target)) continue;
      // `!gfpflags_allow_blocking(gfp)`: the test, the other way round.
      const negated = /^!\((.*)\)$|^!([^(].*)$/.exec(op.test);
      const test = negated ? (negated[1] ?? negated[2])! : op.test;
      const allowing = knowledge.gfpTested(test);
      const atomic = allowing === undefined ? knowledge.gfpAtomicTested(test) : undefined;
      if (allowing !== undefined) out.set(op.target, { mask: allowing, allows: !negated });
      else if (atomic !== undefined) out.set(op.target, { mask: atomic, allows: !!negated });
    }
  }
  for (const local of [...out.keys()]) if (assigned.get(local) !== 1) out.delete(local);
  return out;
}

/**
 * Locals only ever assigned one path of fields from a parameter the function never assigns
 * (`struct inode *inode = dentry->d_inode;`, and dentry_kill()'s `inode = dentry->d_inode;` again
 * once the dentry turned positive), or its address (`rtm = &rwb->rtmutex`, kept as `&path`): the
 * local and the path name the same object wherever the local has its value.
 */
function copiedLocals(fn: FunctionIR): ReadonlyMap<string, string> {
  const known = copiedLocalsCache.get(fn);
  if (known) return known;
  // A local assigned anything else (or two paths) maps to undefined.
  const copies = new Map<string, string | undefined>();
  const assigned = new Set<string>();
  for (const block of fn.blocks) {
    for (const op of block.ops) {
      const target = op.kind === 'assign' ? op.target : op.kind === 'call' ? op.assignTo : undefined;
      if (target === undefined) continue;
      assigned.add(target);
      // NULL until it copies the path: no lock is taken through it before (as summaries.ts's throughCopies)
      if (op.kind === 'assign' && op.constant === 'NULL') continue;
      // a path, or the address of one (`rtm = &rwb->rtmutex`)
      const copyOf = op.kind === 'assign' ? op.copyOf : undefined;
      const path = copyOf !== undefined && FIELD_PATH.test(copyOf.startsWith('&') ? copyOf.slice(1) : copyOf) ? copyOf : undefined;
      copies.set(target, copies.has(target) && copies.get(target) !== path ? undefined : path);
    }
  }
  const out = new Map<string, string>();
  for (const [local, path] of copies) {
    if (path === undefined || !fn.locals.includes(local)) continue;
    const root = rootIdentifier(path.startsWith('&') ? path.slice(1) : path)!;
    if (fn.params.includes(root) && !assigned.has(root)) out.set(local, path);
  }
  copiedLocalsCache.set(fn, out);
  return out;
}
const copiedLocalsCache = new WeakMap<FunctionIR, ReadonlyMap<string, string>>();

/** Whether the lock `name` is reached through `pointer` (`dentry->d_inode->i_lock` through `dentry->d_inode`, `p->l` through `p`). */
function namedThrough(name: string, pointer: string): boolean {
  return name === pointer || rootIdentifier(name) === pointer || name.startsWith(`${pointer}->`) || name.startsWith(`${pointer}.`);
}

/**
 * The variables `fn` compares with a constant and passes, as they are, to a callee that compares
 * that parameter too: ehci-brcm's hub_control() masks interrupts for `typeReq == GetPortStatus`
 * only and hands `typeReq` to ehci_hub_control(), whose `switch (typeReq)` sleeps in another case.
 * A test of one is remembered as the value it found (`value:typeReq=GetPortStatus`): the callee's
 * context gets it, and so do the tests of the callee's summary. Only for these: a fact remembered
 * for nothing would split states.
 */
function comparedAndHandedOn(fn: FunctionIR, env: FunctionEnv, compared: ReadonlySet<string>, isVariable: IsVariable): ReadonlySet<string> {
  const out = new Set<string>();
  if (compared.size === 0) return out;
  // `path->need_commit_sem` tested, `path` handed on to a callee testing `p->need_commit_sem`
  const members = new Map<string, string[]>();
  for (const name of compared) {
    const { base, member } = memberOf(name);
    if (member !== undefined) members.set(base, [...(members.get(base) ?? []), member]);
  }
  const handed = (a: { text: string }) => compared.has(a.text) || members.has(a.text);
  for (const block of fn.blocks) {
    for (const op of block.ops) {
      if (op.kind !== 'call' || op.indirect || !op.args.some(handed)) continue;
      const callee = env.resolve(op);
      const theirs = callee && env.comparedOf(callee);
      if (!theirs) continue;
      op.args.forEach((a, i) => {
        const param = callee.fn.params[i];
        if (!param || !isVariable(a.text)) return;
        if (compared.has(a.text) && theirs.includes(param)) out.add(a.text);
        for (const member of members.get(a.text) ?? []) if (theirs.includes(`${param}->${member}`)) out.add(`${a.text}->${member}`);
      });
    }
  }
  return out;
}

/**
 * The variables `fn` or-es constants into (`gup_flags |= FOLL_FAST_ONLY`) and then tests for bits,
 * or hands to a callee that compares that parameter: the bits they have are worth a condition.
 */
function orredAndTested(fn: FunctionIR, env: FunctionEnv, compared: ReadonlySet<string>, isVariable: IsVariable): ReadonlySet<string> {
  const orred = new Set(fn.blocks.flatMap((b) => b.ops.flatMap((op) => (op.kind === 'assign' && op.ors ? [op.target] : []))));
  return new Set([...orred].filter((name) => compared.has(name)).concat([...comparedAndHandedOn(fn, env, orred, isVariable)]));
}

/** The function's locals it tests as truths (`if (ret)`, `while (waited)`): the same for every run over `fn`. */
function truthTestedLocals(fn: FunctionIR): ReadonlySet<string> {
  const known = truthTestedCache.get(fn);
  if (known) return known;
  const locals = new Set(fn.locals);
  const out = new Set<string>();
  for (const block of fn.blocks) for (const e of block.succs) if (e.cond && locals.has(e.cond.expr)) out.add(e.cond.expr);
  truthTestedCache.set(fn, out);
  return out;
}
const truthTestedCache = new WeakMap<FunctionIR, ReadonlySet<string>>();

/** Whether the path's known values make `expr` the opposite of `value` (`x==C` with `x` known to be another constant). */
function decidedOtherwise(s: State, expr: string, value: boolean, isVariable: IsVariable): boolean {
  const decided = decidedBy(expr, (name) => knownValue(s.conds, name), isVariable);
  return decided !== undefined && decided !== value;
}

/**
 * The conditions worth remembering on a path: tested at two or more places, and at one of them
 * guarding a block that changes what is held (`if (x) spin_lock(&l); ... if (x) spin_unlock(&l);`),
 * by a table row or by a program function's summary (bpf's `if (locked) ret =
 * htab_lock_bucket(...)`). Remembering every test would split states for nothing (loop bounds,
 * error checks).
 */
function correlatedConditions(fn: FunctionIR, knowledge: Knowledge, env: FunctionEnv): Set<string> {
  const { byTable, guardedCalls } = testedTwice(fn, knowledge);
  const inLoops = loopInvariantTests(fn);
  if (guardedCalls.size === 0 && inLoops.size === 0) return byTable;
  const out = new Set(byTable);
  // a loop's second pass asks what its first one did (loop-tests.ts)
  for (const expr of inLoops) out.add(oneQuestion(expr, true)[0]);
  for (const [expr, calls] of guardedCalls) {
    if (out.has(expr)) continue;
    if (calls.some((op) => changesLocks(env.resolve(op)?.summary))) out.add(expr);
  }
  return out;
}

function changesLocks(summary: Summary | undefined): boolean {
  return summary !== undefined && (summary.acquires.length > 0 || summary.releases.length > 0 || !!summary.condAcquires || !!summary.condReleases);
}

/**
 * The tests a function makes at two or more places: those guarding a call a table row says
 * changes what is held, and for the others, the program calls they guard (whose summaries may).
 * The same for every run over `fn`: computed once.
 */
function testedTwice(fn: FunctionIR, knowledge: Knowledge): { byTable: Set<string>; guardedCalls: Map<string, CallOp[]> } {
  let cache = correlatedCache.get(knowledge);
  if (!cache) correlatedCache.set(knowledge, (cache = new WeakMap()));
  const known = cache.get(fn);
  if (known) return known;
  const changesHeld = (op: CallOp) => {
    const sem = knowledge.call(op.callee, op.args.length);
    return sem !== undefined && (sem.acquire ?? sem.release ?? sem.map ?? sem.unmap ?? sem.atomicEnter ?? sem.atomicExit) !== undefined;
  };
  const blocks = new Map(fn.blocks.map((b) => [b.id, b]));
  const sites = new Map<string, number>();
  const guarding = new Set<string>();
  const calls = new Map<string, CallOp[]>();
  const copyEnds = copiesAtBlockEnds(fn);
  for (const block of fn.blocks) {
    const questions = (e: Edge) => questionsOf(e.cond!.expr, e.cond!.value, copyEnds.get(block.id)).map(([expr]) => expr);
    for (const expr of new Set(block.succs.flatMap((e) => (e.cond ? questions(e) : [])))) sites.set(expr, (sites.get(expr) ?? 0) + 1);
    // `locked_rwsem = 1;` after the lock decides `if (locked_rwsem) up_write(...)` as a test would.
    for (const op of block.ops) if (op.kind === 'assign' && op.constant !== undefined) sites.set(op.target, (sites.get(op.target) ?? 0) + 1);
    for (const edge of block.succs) {
      if (!edge.cond) continue;
      for (const expr of questions(edge)) {
        for (const op of blocks.get(edge.to)?.ops ?? []) {
          if (op.kind !== 'call') continue;
          if (changesHeld(op)) guarding.add(expr);
          else if (!op.indirect && knowledge.call(op.callee, op.args.length) === undefined) calls.set(expr, [...(calls.get(expr) ?? []), op]);
        }
      }
    }
  }
  const twice = (expr: string) => (sites.get(expr) ?? 0) >= 2;
  const byTable = new Set([...guarding].filter(twice));
  const guardedCalls = new Map([...calls].filter(([expr]) => twice(expr) && !byTable.has(expr)));
  const out = { byTable, guardedCalls };
  cache.set(fn, out);
  return out;
}

const correlatedCache = new WeakMap<Knowledge, WeakMap<FunctionIR, { byTable: Set<string>; guardedCalls: Map<string, CallOp[]> }>>();

/**
 * A test as the path remembers it: `mode!=FOO_ATOMIC` taken true is `mode==FOO_ATOMIC` taken false,
 * one question whichever way the source asks it (ns83820's rx_refill() locks `if (gfp ==
 * GFP_ATOMIC)` around a loop that locks `if (gfp != GFP_ATOMIC)` inside).
 */
function oneQuestion(expr: string, value: boolean): [string, boolean] {
  const at = expr.indexOf('!=');
  if (at < 0 || expr.indexOf('!=', at + 2) >= 0 || /==|&&|\|\||[?,]/.test(expr)) return [expr, value];
  return [`${expr.slice(0, at)}==${expr.slice(at + 2)}`, !value];
}

/**
 * The questions a test asks (`oneQuestion`): in its own words, and, when a local it tests holds a
 * copy of a path there, in the path's (`if (function == X)` after `function = hdr->Function` is
 * also `if (hdr->Function == X)`). Both are remembered, so that a test of the same local where
 * the copy no longer holds is still the same question.
 */
function questionsOf(expr: string, value: boolean, copies: ReadonlyMap<string, string> | undefined): [string, boolean][] {
  const own = oneQuestion(expr, value);
  const copied = inCopiedTerms(expr, copies);
  return copied === expr ? [own] : [own, oneQuestion(copied, value)];
}

/** The variable a test proves NULL (or an error pointer, by the tables' `errorPointerTests`) on the edge: `!pte`, `pte == NULL`, `IS_ERR(p)`. */
const LVALUE = '[A-Za-z_]\\w*(?:(?:->|\\.)[A-Za-z_]\\w*)*';
const PLAIN = new RegExp(`^${LVALUE}$`);
const COMPARED_LEFT = new RegExp(`^(${LVALUE})(==|!=)(?:NULL|0)$`);
const COMPARED_RIGHT = new RegExp(`^(?:NULL|0)(==|!=)(${LVALUE})$`);
const CALL_OF_LVALUE = new RegExp(`^([A-Za-z_]\\w*)\\((${LVALUE})\\)$`);

/** The variable `IS_ERR(v)` (a test of the tables' `errorPointerTests`) asks about. */
function errorPointerTested(expr: string, errorTests: readonly string[] = []): string | undefined {
  const test = CALL_OF_LVALUE.exec(expr);
  return test && errorTests.includes(test[1]!) ? test[2] : undefined;
}

function nullOnEdge(expr: string, value: boolean, errorTests: readonly string[] = []): string | undefined {
  if (PLAIN.test(expr)) return value ? undefined : expr;
  const left = COMPARED_LEFT.exec(expr);
  const right = COMPARED_RIGHT.exec(expr);
  const name = left?.[1] ?? right?.[2];
  const operator = left?.[2] ?? right?.[1];
  if (name) return (operator === '==') === value ? name : undefined;
  return value ? errorPointerTested(expr, errorTests) : undefined;
}

/**
 * The one held lock reached the same way as `lock` but for the arguments of a call on the way:
 * `spin_lock(&tlink_tcon(tlink)->open_file_lock)` released by
 * `spin_unlock(&tlink_tcon(open->tlink)->open_file_lock)`. A plain other pointer (`ci->lock` for
 * `si->lock`) is another lock; two candidates: neither.
 */
function sameShape(s: State, lock: string): HeldLock | undefined {
  if (!lock.includes('(')) return undefined;
  const shape = shapeOf(lock);
  const candidates = s.held.filter((h): h is HeldLock => h.what === 'lock' && h.lock !== lock && shapeOf(h.lock) === shape);
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * A lock released through a local named like the field it stands for: `lock_timer_base(timer, ..)`
 * is annotated `__acquires(timer->base->lock)` and returns that base, which its callers keep in
 * `base` and release as `base->lock`. The one held lock whose name ends in `->base->lock` (or
 * `.base->lock`) is that lock; two candidates: neither.
 */
function fieldInLocal(s: State, lock: string, locals: ReadonlySet<string>): HeldLock | undefined {
  const root = rootIdentifier(lock);
  if (root === undefined || root === lock || !locals.has(root)) return undefined;
  const candidates = s.held.filter((h): h is HeldLock => h.what === 'lock' && endsWithField(h.lock, lock));
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * A lock held on entry under a bare field name, released through the object: "called with i_lock
 * held" above inode_sleep_on_writeback(), which releases `inode->i_lock`. A comment names the
 * field, not the expression; a bare name that is no parameter or local of the function is taken
 * for that field when exactly one held lock has that name.
 */
function fieldNamedOnEntry(s: State, lock: string, params: ReadonlySet<string>, locals: ReadonlySet<string>): HeldLock | undefined {
  const field = lastField(lock);
  if (field === undefined) return undefined;
  const candidates = s.held.filter((h): h is HeldLock => h.what === 'lock' && h.fromEntry === true && h.lock === field && !params.has(field) && !locals.has(field));
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * The held lock that `lock` names one pointer further, or a caller's lock the callee could not be
 * told the name of (`caller::inode->i_lock`, taken through the caller's local) released under the
 * same name. ttm_device_swapout() holds `bdev->lru_lock`, which ttm_bo_swapout() releases as
 * `bo->bdev->lru_lock`, a release its caller sees under that name too; d_delete() and
 * dentry_unlink_inode() both keep `dentry->d_inode` in a local `inode`. Field locks only; two
 * candidates: neither.
 */
function heldOnePointerUp(s: State, lock: string): HeldLock | undefined {
  const candidates = s.held.filter((h): h is HeldLock => {
    if (h.what !== 'lock') return false;
    const unnamed = h.lock.includes('::');
    const name = unnamed ? h.lock.slice(h.lock.indexOf('::') + 2) : h.lock;
    return /->|\./.test(name) && ((unnamed && lock === name) || endsWithField(lock, name));
  });
  return candidates.length === 1 ? candidates[0] : undefined;
}

/**
 * A lock a callee released through a local of its own, which its summary names as the callee's
 * (`handle_cap_grant::ci->i_ceph_lock`, with `ci = ceph_inode(inode)`): the one held lock with the
 * same last field. ceph_handle_caps() holds `ci->i_ceph_lock` through its own `ci` when it calls
 * handle_cap_grant(), which drops it ("each of these drops i_ceph_lock for us"). Two candidates: neither.
 * With `anyPath`, a callee's release through any path the caller holds nothing by (dropLock() asks
 * for it unless the field is one of the tables' generic ones).
 */
function heldWithSameField(s: State, lock: string, anyPath = false): HeldLock | undefined {
  if (!anyPath && !lock.includes('::')) return undefined;
  const field = lastField(lock);
  return field === undefined ? undefined : oneHeldOfField(s, field);
}

/**
 * A caller's lock the function could not be told the name of (`caller::cmd->device->host->host_lock`,
 * the caller having reached it through a local of its own), released under a path of the function's
 * own that ends in the same field: qla1280's bus reset drops `ha->host->host_lock` around a sleep,
 * its error handler holds `cmd->device->host->host_lock`, and `ha` is the handler's local. The one
 * such held lock of that field, unless the field is one many structures have (`lock`, `mutex`).
 */
function callersLockOfField(s: State, lock: string, knowledge: Knowledge): HeldLock | undefined {
  const field = lastField(lock);
  if (field === undefined || knowledge.isGenericLockField(field)) return undefined;
  return oneHeldOfField(s, field, (h) => h.fromEntry && h.lock.includes('::'));
}

/**
 * A release through what a call returns, which no held name can match: pasemi_mac_clean_rx()
 * takes `rx->lock` and releases `rx_ring(mac)->lock`, an accessor for `mac->rx`, the same ring.
 * The one lock of that field the path took itself; a lock held on entry is not guessed so.
 */
function ownLockThroughCall(s: State, lock: string): HeldLock | undefined {
  const field = lock.includes('(') ? lastField(lock) : undefined;
  return field === undefined ? undefined : oneHeldOfField(s, field, (h) => !h.fromEntry);
}

/** The one held lock ending in `field` among those `which` accepts; none when there are two. */
function oneHeldOfField(s: State, field: string, which: (h: HeldLock) => boolean = () => true): HeldLock | undefined {
  const candidates = s.held.filter((h): h is HeldLock => h.what === 'lock' && lastField(h.lock) === field && which(h));
  return candidates.length === 1 ? candidates[0] : undefined;
}

/** A lock name with the arguments of its calls left out: `tlink_tcon()->open_file_lock`. */
function shapeOf(lock: string): string {
  let shape = lock;
  for (let previous = ''; previous !== shape; ) [previous, shape] = [shape, shape.replace(/\([^()]*\)/g, '()')];
  return shape;
}

function findLock(s: State, lock: string | undefined): HeldLock | undefined {
  if (lock === undefined) return undefined;
  return s.held.find((h): h is HeldLock => h.what === 'lock' && (h.lock === lock || h.aliases?.includes(lock) === true));
}

/** `lock` with its root variable `from` replaced by `to`: `lruvec->lru_lock` -> `locked->lru_lock`. */
function reroot(lock: string, from: string, to: string): string {
  return to + lock.slice(from.length);
}

export function describeMap(kind: string, serie?: string): string {
  if (kind === 'persistent') return `persistent kmap (${serie ?? 'DEFAULT'} serie)`;
  if (kind === 'atomic') return 'atomic kmap';
  if (kind === 'local') return 'kmap_local mapping';
  if (kind === 'nowait') return `non-blocking kmap (${serie ?? 'PAGETABLE'} serie or atomic)`;
  return 'mapping';
}

function shortWhy(message: string): string {
  const m = /(may (?:sleep|block)(?: \(.*\))?)/.exec(message);
  return m ? m[1]! : 'may sleep';
}
