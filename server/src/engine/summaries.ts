/**
 * Function summaries: what a call to a function does to its caller's state, computed bottom-up by
 * running the dataflow over the function from an empty entry state. A summary is in the function's
 * own terms (its parameter names); call sites substitute their arguments.
 */
import type { Summary, SummaryLock } from './dataflow/env';
import { explore } from './dataflow/explore';
import { copiesAtCalls, inCopiedTerms } from './dataflow/copies';
import { type ParamTest, type ParamTests, paramTestsAtCalls, sameQuestion } from './dataflow/param-tests';
import { lastField, mentionsLocal } from './dataflow/lock-names';
import { CONSTANT_TRUTH, EMPTY_STATE, type HeldAtomic, type HeldLock, atomicDropped, pinDropped, returnedValue } from './dataflow/state';
import { makeTransfer, type Observer, unmappedKey } from './dataflow/transfer';
import { referencesHeld } from './dataflow/references';
import { type ErrnoAliases, constantValuesOf, differentCodes, isResultCode } from './dataflow/result-tests';
import type { FunctionEnv } from './dataflow/env';
import type { FunctionAnnotations } from './annotations/types';
import { type PathEvent, pathEvent } from './finding';
import type { CallOp, FunctionIR } from './ir';
import type { AtomicKind } from './kernel/semantics';
import type { Span } from './span';

export function computeSummary(env: FunctionEnv, ann: FunctionAnnotations): Summary {
  const collector = summaryCollector(env, ann);
  explore(env.fn, [EMPTY_STATE], makeTransfer(env, collector.observer));
  return collector.summary();
}

/**
 * What a run from an empty entry state must observe to summarise the function, and the summary once
 * the run is over. Split from the run so that the program can summarise a function and check it in
 * its own context with one exploration (they are the same run, observed twice).
 *
 * The summary is `inert` when nothing on any path touched a lock, an atomic context or a mapping, or
 * slept: a context handed to such a function cannot change what it does, so callers hand none.
 * Callees count through `calleeSeen` (the program calls it for every call it resolves).
 */
export function summaryCollector(env: FunctionEnv, ann: FunctionAnnotations): { observer: Observer; calleeSeen(inert: boolean): void; summary(truncated?: boolean): Summary } {
  const summary: Summary = { gfpSleeps: {}, acquires: [], releases: [] };
  let inert = true;
  const active = () => {
    inert = false;
  };
  const fn = env.fn;
  const exits: Exit[] = [];
  let returning: string | undefined;
  // A constant's truth; an error pointer made (`ERR_PTR(-ENOMEM)`) is a failure, as NULL is.
  const truthOf = (value: string | undefined): boolean | undefined =>
    value === undefined ? undefined : (CONSTANT_TRUTH[value] ?? (env.knowledge.makesErrorPointer(value) ? false : undefined));
  const releasedUnheld = new Map<string, SummaryLock>();
  /** Some path ended at a call that does not return. */
  let endedByCall = false;
  // The first release of a lock explains it; the shallowest says how far callers pass it on.
  const releasesCallersLock = (lock: string, op: CallOp, depth: number) => {
    inert = false;
    const known = releasedUnheld.get(lock);
    if (known && (known.depth ?? 0) <= depth) return;
    const origin = known?.origin ?? [siteEvent('unlock', op.span, `'${lock}' released by ${op.callee}()`, op.callee, { lock })];
    // `krc_this_cpu_unlock()`'s own `raw_spin_unlock_irqrestore()`: interrupts back on for the caller too
    const restores = depth === 0 ? env.knowledge.call(op.callee, op.args.length)?.release?.restores : undefined;
    releasedUnheld.set(lock, { lock, class: 'spin', origin, ...(depth > 0 ? { depth } : {}), ...(restores ? { restores } : {}) });
  };
  // One literal with the extras spread into it: spreading a built event and overriding its kind
  // gave each such object a V8 map of its own (34,000 of them, 11 MB, in fs/'s summaries).
  const siteEvent = (kind: 'sleep' | 'unlock', span: Span, message: string, callee: string, extra: Partial<PathEvent> = {}): PathEvent =>
    pathEvent(kind, env.file, fn.name, span, message, { callee, ...extra });

  const locals = new Set(fn.locals);
  const inParams = throughCopies(fn, locals);
  const pageInParams = (page: string, op: number | undefined): string | undefined => {
    const named = op === undefined ? page : inCopiedTerms(page, copiesAtCalls(fn).get(op));
    return mentionsLocal(named, locals) ? undefined : named;
  };
  const paramTests = paramTestsAtCalls(fn);
  // Counters in the terms callers can name (`cookie->volume->ref` for a local `volume`), sorted; none: undefined.
  const countersForCallers = (counters: readonly string[] | undefined): string[] | undefined => {
    const named = counters?.map(inParams).filter((c) => !mentionsLocal(c, locals));
    return named && named.length > 0 ? [...new Set(named)].sort() : undefined;
  };
  let gets: string[] | undefined;
  const releasesCallers = (key: string) => {
    if (key === '' || mentionsLocal(key, locals) || summary.unpins?.includes(key)) return;
    summary.unpins = (summary.unpins ?? []).concat(key);
  };
  const observer: Observer = {
    sleep(s, site) {
      inert = false;
      if (site.holds.length > 0) return;
      // Released on this path, or by the callee on its way to the sleep (two calls down, and deeper).
      const released = [...new Set([...s.dropped, ...(site.releasedFirst ?? [])].map(inParams))].flatMap((l) => releasedForCallers(l, locals, fn.name));
      const op = site.op;
      const chain =
        site.chain.length > 0 ? site.chain : [siteEvent('sleep', op.span, `${site.callee}() ${site.why}`, site.callee, site.blocksOnSerie ? { blocksOnSerie: site.blocksOnSerie } : {})];
      // Behind tests of parameters (this function's, or the callee's carried to them): a sleep
      // callers passing constants can rule out, with the caller's locks it drops first.
      const when = behindTests(paramTests.get(op.id) ?? [], site.when ?? []);
      if (when === undefined) return; // contradicting tests: no path
      // Or behind a test of the context (`!in_interrupt()`): a sleep callers in such a context do
      // not reach; or behind the last put of a counter: one callers holding a reference do not.
      const unlessRefs = countersForCallers(site.unlessRefs);
      if (when.length > 0 || site.unlessIn || unlessRefs) {
        const id = JSON.stringify([when, site.unlessIn ?? [], unlessRefs ?? []]);
        const list = (summary.condSleeps ??= []);
        const at = list.findIndex((c) => JSON.stringify([c.when, c.unlessIn ?? [], c.unlessRefs ?? []]) === id);
        const entry = {
          when,
          chain,
          ...(released.length > 0 ? { released } : {}),
          ...(site.unlessIn ? { unlessIn: site.unlessIn } : {}),
          ...(unlessRefs ? { unlessRefs } : {}),
        };
        if (at < 0) list.push(entry);
        else if (sleepsBefore({ chain, released }, { chain: list[at]!.chain, released: list[at]!.released ?? [] })) list[at] = entry;
        return;
      }
      // The sleep that tells callers most: one that drops none of their locks first, then the
      // shortest chain, then by name. Not the first one explored: round a call cycle that would
      // depend on the order callees were summarised in, and the summaries would not settle.
      if (summary.sleeps && !sleepsBefore({ chain, released }, { chain: summary.sleeps, released: summary.sleepsAfterReleasing ?? [] })) return;
      summary.sleeps = chain;
      if (released.length > 0) summary.sleepsAfterReleasing = released;
      else delete summary.sleepsAfterReleasing;
    },
    gfpParamSleep(s, _op, param, chain) {
      inert = false;
      if (s.held.some((h) => h.what !== 'pin') || summary.gfpSleeps[param]) return;
      summary.gfpSleeps[param] = chain;
    },
    acquire: active,
    release(_s, lock, op, depth) {
      // Held on entry by the function's own assertion (`lockdep_assert_held(&file->f_lock)`):
      // releasing it releases the caller's, as ep_remove_file() does eventpoll_release_file()'s.
      if (lock.fromEntry) releasesCallersLock(lock.lock, op, depth);
      else active();
    },
    exitUnheld(_s, kind) {
      inert = false;
      if (!summary.exitsAtomic?.includes(kind)) summary.exitsAtomic = (summary.exitsAtomic ?? []).concat(kind);
    },
    pin: active,
    // A callee's release named as its own (`f::x->lock`) that this function holds nothing of: its
    // callers are not told (their one lock of that field is a guess too far, and every caller up
    // the chain would stop being inert).
    releaseUnheld: (_s, lock, op, depth) => {
      if (!lock.includes('::')) releasesCallersLock(lock, op, depth);
    },
    endsPath() {
      endedByCall = true;
    },
    unpin(_s, pin, _op, _unmap, key) {
      inert = false;
      if (!pin) releasesCallers(unmappedKey(key));
    },
    releasesCallersPin(_s, key) {
      inert = false;
      releasesCallers(key);
    },
    before(s, op) {
      if (op.kind === 'return') returning = op.value;
      // `return spin_trylock(&l);`: the caller holds l when the call returns true.
      if (op.kind !== 'return' || op.callOp === undefined) return;
      const pending = s.pending.find((p) => p.op === op.callOp);
      if (!pending || mentionsLocal(pending.lock.lock, locals)) return;
      const { lock, class: cls, origin } = pending.lock;
      // `return run_and_cleanup_extent_op(...)`: the caller's lock is released where the result says.
      if (pending.kind === 'drop' || (pending.kind === 'restore' && pending.lock.fromEntry)) {
        if (summary.condReleases?.some((c) => c.lock === lock)) return;
        const when = pending.heldUnless !== undefined ? { releasedWhen: pending.heldUnless } : pending.heldWhenZero ? {} : { releasedWhenZero: true as const };
        summary.condReleases = (summary.condReleases ?? []).concat({ lock, class: cls, origin, ...when });
        return;
      }
      // held unless the result is an error code: no condition a caller's truth test can resolve
      if (pending.heldUnless !== undefined || summary.condAcquires?.some((c) => c.lock === lock)) return;
      summary.condAcquires = (summary.condAcquires ?? []).concat({ lock, class: cls, origin, ...(pending.heldWhenZero ? { heldWhenZero: true } : {}) });
    },
    escape(_s, pin, how) {
      // Stored into a structure (`bitmap->flags |= le32_to_cpu(sb->state)` reads like one): kpath
      // stops following the mapping, and does not tell callers they hold it.
      if (how === 'returned' && !summary.returnsPin && !pin.fromEntry) {
        const page = pin.page === undefined ? undefined : pageInParams(pin.page, pin.op);
        summary.returnsPin = { kind: pin.kind, callee: pin.callee, releasedBy: pin.releasedBy, origin: pin.origin, ...(pin.serie ? { serie: pin.serie } : {}), ...(page ? { page } : {}) };
      }
    },
    putUnheld(_s, counter) {
      const [name] = countersForCallers([counter]) ?? [];
      if (name === undefined) return;
      if (!summary.puts?.includes(name)) summary.puts = (summary.puts ?? []).concat(name).sort();
    },
    exit(s) {
      // References taken on every way out are the caller's to drop (`smcr_link_hold()`).
      const held = countersForCallers(referencesHeld(s.conds)) ?? [];
      gets = gets === undefined ? held : gets.filter((c) => held.includes(c));
      const value = returnedValue(s.conds, returning);
      const atomic = s.held.filter((h): h is HeldAtomic => h.what === 'atomic' && !h.fromEntry && h.kind !== 'pagefault');
      exits.push({ held: s.held.filter((h): h is HeldLock => h.what === 'lock' && !h.fromEntry), atomic, dropped: s.dropped, value, truth: truthOf(value) });
      returning = undefined;
    },
  };
  return {
    observer,
    calleeSeen(calleeInert) {
      if (!calleeInert) inert = false;
    },
    summary(truncated = false) {
      // No way out, every path ended by a call that does not return (`__reiserfs_panic()` ends in
      // panic()); an exploration cut short may have missed the way out.
      if (exits.length === 0 && endedByCall && !truncated) summary.neverReturns = true;
      if (gets && gets.length > 0) summary.gets = gets;
      unconditionalWhenBothWays(summary);
      finishSummary(summary, exits, releasedUnheld, locals, inParams, fn, env.knowledge.api.errnoAliases ?? {});
      applyAnnotations(summary, ann, env, exits);
      if (inert && summaryIsEmpty(summary)) summary.inert = true;
      return compactSummary(summary);
    },
  };
}

/**
 * A lock released before a sleep, as callers are told of it: in the function's terms; through a
 * local of its own, as the function's (`fuse_send_writepage::fi->lock`, with `fi =
 * get_fuse_inode(wpa->inode)`), which a caller holding one lock of that field takes for its own; a
 * callee's so named, and a caller's atomic section left (`@preempt`), as they are. A local's lock
 * that is no field means nothing to a caller.
 */
function releasedForCallers(lock: string, locals: ReadonlySet<string>, fnName: string): string[] {
  // A mapping named through a local of the function's own is none of the caller's.
  const unmapped = pinDropped(lock);
  if (unmapped !== undefined) return mentionsLocal(unmapped, locals) ? [] : [lock];
  if (atomicDropped(lock) !== undefined || lock.includes('::') || !mentionsLocal(lock, locals)) return [lock];
  return lastField(lock) === undefined ? [] : [`${fnName}::${lock}`];
}

/** Whether sleep `a` is the better one to summarise than `b` (a total order, so a fixed point settles). */
function sleepsBefore(a: { chain: PathEvent[]; released: string[] }, b: { chain: PathEvent[]; released: string[] }): boolean {
  if ((a.released.length === 0) !== (b.released.length === 0)) return a.released.length === 0;
  if (a.chain.length !== b.chain.length) return a.chain.length < b.chain.length;
  return sleepLabel(a.chain) < sleepLabel(b.chain);
}

function sleepLabel(chain: readonly PathEvent[]): string {
  const last = chain[chain.length - 1]!;
  return `${last.function}:${last.callee ?? ''}:${chain.map((e) => `${e.file}:${e.line}:${e.column}`).join(' ')}`;
}

/**
 * A sleep behind a test and another behind its opposite (`if (a) f(); else msleep(2);` with f
 * sleeping) is a sleep either way: the best of them becomes unconditional. The conditional ones
 * stay, for a caller whose arguments say which way it goes (its path then names that sleep).
 */
function unconditionalWhenBothWays(summary: Summary): void {
  if (summary.sleeps || !summary.condSleeps) return;
  for (const c of summary.condSleeps) {
    if (c.when.length !== 1 || c.unlessIn || c.unlessRefs) continue;
    const test = c.when[0]!;
    const other = summary.condSleeps.find((o) => o.when.length === 1 && !o.unlessIn && !o.unlessRefs && sameQuestion(o.when[0]!, test) && o.when[0]![1] !== test[1]);
    if (!other) continue;
    const best = sleepsBefore({ chain: c.chain, released: c.released ?? [] }, { chain: other.chain, released: other.released ?? [] }) ? c : other;
    summary.sleeps = best.chain;
    if (best.released) summary.sleepsAfterReleasing = best.released;
    return;
  }
}

/** Two sets of parameter tests together, sorted; undefined when they contradict each other. */
function behindTests(a: ParamTests, b: ParamTests): ParamTest[] | undefined {
  const out = new Map<string, ParamTest>();
  for (const test of [...a, ...b]) {
    const key = `${test[0]}:${test[2] ?? ''}:${test[3] ?? ''}`;
    const had = out.get(key);
    if (had && had[1] !== test[1]) return undefined;
    out.set(key, test);
  }
  return [...out.values()].sort((x, y) => x[0] - y[0] || (x[2] ?? '').localeCompare(y[2] ?? '') || (x[3] ?? '').localeCompare(y[3] ?? ''));
}

const NO_LOCKS = Object.freeze([]) as unknown as SummaryLock[];
const NO_GFP_SLEEPS = Object.freeze({}) as Summary['gfpSleeps'];

/**
 * The summary as the program keeps it: every part in one order, absent ones undefined, the empty
 * ones shared. A whole tree keeps 350,000 of them; built up part by part (and `delete`d from), each
 * had an object layout of its own and its parts out of line, half again as large.
 */
function compactSummary(s: Summary): Summary {
  return {
    sleeps: s.sleeps,
    sleepsAfterReleasing: s.sleepsAfterReleasing,
    condSleeps: s.condSleeps,
    gfpSleeps: Object.keys(s.gfpSleeps).length ? s.gfpSleeps : NO_GFP_SLEEPS,
    acquires: s.acquires.length ? s.acquires : NO_LOCKS,
    exitsAtomic: s.exitsAtomic,
    entersAtomic: s.entersAtomic,
    releases: s.releases.length ? s.releases : NO_LOCKS,
    condAcquires: s.condAcquires,
    condReleases: s.condReleases,
    unpins: s.unpins,
    inert: s.inert,
    returnsPin: s.returnsPin,
    neverReturns: s.neverReturns,
    gets: s.gets,
    puts: s.puts,
  };
}

function summaryIsEmpty(s: Summary): boolean {
  return !s.sleeps && !s.condSleeps && Object.keys(s.gfpSleeps).length === 0 && s.acquires.length === 0 && s.releases.length === 0 && !s.condAcquires && !s.condReleases && !s.unpins && !s.returnsPin && !s.exitsAtomic && !s.entersAtomic && !s.neverReturns;
}

/**
 * A way out of the function: the locks of its own it holds there, the caller's it dropped on the
 * way, and the value it returns (as written, when short).
 */
interface Exit {
  held: HeldLock[];
  /** The atomic sections of its own it holds there (a lock's section is the lock's). */
  atomic: HeldAtomic[];
  dropped: readonly string[];
  value?: string;
  /** The truth of `value` when it is a constant, or an error pointer (false). */
  truth?: boolean;
}

/**
 * Calls a caller's lock may be released through: a wrapper of a wrapper of an unlock is still one,
 * and past that it is a name no caller holds going up the whole call graph
 * (`(folio_memcg(folio))->move_lock`, whose lock side kpath cannot name, was released by 43,000
 * of a whole tree's 646,000 functions).
 */
const MAX_RELEASE_DEPTH = 4;

function finishSummary(summary: Summary, exits: readonly Exit[], releasedUnheld: Map<string, SummaryLock>, locals: ReadonlySet<string>, inParams: (lock: string) => string, fn: FunctionIR, errnoAliases: ErrnoAliases): void {
  // Entered on every way out and not left: the caller's context from the call on (one of each kind).
  if (exits.length > 0) {
    const kinds = new Set(exits[0]!.atomic.map((a) => a.kind));
    for (const kind of kinds) {
      if (exits.every((e) => e.atomic.some((a) => a.kind === kind))) {
        const entered = exits[0]!.atomic.find((a) => a.kind === kind)!;
        summary.entersAtomic = (summary.entersAtomic ?? []).concat({ kind: kind as AtomicKind, origin: entered.origin });
      }
    }
  }
  // Held at every exit: a lock helper. Locks of the function's own locals mean nothing to a caller,
  // unless the local is a copy of a parameter's path.
  const seen = new Set<string>();
  for (const lock of exits.flatMap((e) => e.held)) {
    if (seen.has(lock.lock)) continue;
    seen.add(lock.lock);
    const name = inParams(lock.lock);
    if (mentionsLocal(name, locals)) continue;
    // Released first, then taken again: the caller's lock dropped and retaken, no net effect.
    if (releasedUnheld.has(lock.lock)) continue;
    const holding = exits.filter((e) => e.held.some((l) => l.lock === lock.lock));
    if (holding.length === exits.length) summary.acquires.push({ lock: name, class: lock.class, origin: lock.origin });
    else {
      // Held where it returns success, released where it returns anything else: the caller's
      // when the call succeeds (prepare_bprm_creds() returns 0 holding cred_guard_mutex).
      const truth = truthWhere(exits, (e) => holding.includes(e));
      if (truth === undefined || summary.condAcquires?.some((c) => c.lock === name)) continue;
      summary.condAcquires = (summary.condAcquires ?? []).concat({ lock: name, class: lock.class, origin: lock.origin, ...(truth ? {} : { heldWhenZero: true }) });
    }
  }
  for (const r of releasedUnheld.values()) {
    const name = inParams(r.lock);
    if (summary.condReleases?.some((c) => c.lock === name)) continue;
    // Dropped where it fails, kept where it returns 0 (wait_consider_task() and tasklist_lock), or
    // taken again there (hugetlb's allocate_file_region_entries() is `__must_hold(&resv->lock)` and
    // returns -ENOMEM without it): the caller's lock is released when the call's result says so.
    const retaken = exits.filter((e) => e.held.some((l) => l.lock === r.lock));
    const truth = mentionsLocal(name, locals) ? undefined : truthWhere(exits, (e) => e.dropped.includes(r.lock) && !retaken.includes(e));
    if (truth !== undefined) {
      summary.condReleases = (summary.condReleases ?? []).concat({ ...r, lock: name, ...(truth ? {} : { releasedWhenZero: true }) });
      continue;
    }
    // Dropped where it returns one error code and kept where it returns others (autofs's
    // validate_request(): -EINTR when taking it again was interrupted).
    const code = mentionsLocal(name, locals) ? undefined : codeWhere(exits, (e) => e.dropped.includes(r.lock) && !retaken.includes(e), (value) => constantValuesOf(fn, value), errnoAliases);
    if (code !== undefined) {
      summary.condReleases = (summary.condReleases ?? []).concat({ ...r, lock: name, releasedWhen: code });
      continue;
    }
    // Taken again on every way out that says nothing else: no net effect.
    if (retaken.length > 0) continue;
    // A field lock released through a local of the function's own (`ci = ceph_inode(inode)`, then
    // `ci->i_ceph_lock`) is a caller's lock under a name it cannot substitute: kept as this
    // function's (`handle_cap_grant::ci->i_ceph_lock`), for a caller holding one lock of that field.
    if ((r.depth ?? 0) >= MAX_RELEASE_DEPTH) continue;
    const [lock] = releasedForCallers(name, locals, fn.name);
    if (lock === undefined) continue;
    summary.releases.push(lock === r.lock ? r : { ...r, lock });
  }
}

/**
 * The truth of the call's result on the exits `picked` picks, when the returns tell them from the
 * others: those return one constant (`return 0;` holding the lock) and the others something else
 * (`return ret;`, `return -ENOMEM;`), or the others return one constant and those something else
 * (`return 0;` keeping the caller's lock, `return ret;` having dropped it). Else undefined.
 */
function truthWhere(exits: readonly Exit[], picked: (e: Exit) => boolean): boolean | undefined {
  const yes = exits.filter(picked);
  const no = exits.filter((e) => !picked(e));
  if (yes.length === 0 || no.length === 0) return undefined;
  const oneTruth = (some: readonly Exit[]) => {
    const truths = new Set(some.map((e) => e.truth));
    const [truth] = truths;
    return truths.size === 1 ? truth : undefined;
  };
  const differs = (some: readonly Exit[], truth: boolean) => some.every((e) => e.value !== undefined && e.truth !== truth);
  const t = oneTruth(yes);
  if (t !== undefined && differs(no, t)) return t;
  const u = oneTruth(no);
  return u !== undefined && differs(yes, u) ? !u : undefined;
}

/**
 * The one code the exits `picked` picks return, when every other exit returns a code known to
 * differ (`return 1;`, `return -ENOENT;`, not `return ret;`). Else undefined.
 */
function codeWhere(exits: readonly Exit[], picked: (e: Exit) => boolean, valuesOf: (local: string) => string[] | undefined, aliases: ErrnoAliases): string | undefined {
  const yes = exits.filter(picked);
  const no = exits.filter((e) => !picked(e));
  const code = yes[0]?.value;
  if (code === undefined || no.length === 0 || !isResultCode(code) || yes.some((e) => e.value !== code)) return undefined;
  // a local only ever set to constants (`return valid;`) differs when each of them does
  const differs = (value: string) => (valuesOf(value) ?? [value]).every((v) => differentCodes(v, code, aliases) === true);
  return no.every((e) => e.value !== undefined && differs(e.value)) ? code : undefined;
}

/**
 * Lock names through a local that is assigned once, from a path, given through that path: with
 * `ka = &kvm->arch`, `ka->tsc_write_lock` is `kvm->arch.tsc_write_lock`, a name the caller can
 * substitute (kvm_end_pvclock_update() releases what kvm_start_pvclock_update() took); with
 * `inode = dentry->d_inode`, `inode->i_lock` is `dentry->d_inode->i_lock`. A path through another
 * local stays a local's. An assignment of NULL does not count: no lock is reached through it.
 */
function throughCopies(fn: FunctionIR, locals: ReadonlySet<string>): (lock: string) => string {
  const assigned = new Map<string, number>();
  const copies = new Map<string, string>();
  for (const block of fn.blocks) {
    for (const op of block.ops) {
      const target = op.kind === 'assign' ? op.target : op.kind === 'call' ? op.assignTo : undefined;
      if (target === undefined || !locals.has(target)) continue;
      // `parent = NULL` until `parent = dentry->d_parent`: a lock is reached through it only then.
      if (op.kind === 'assign' && op.constant === 'NULL') continue;
      assigned.set(target, (assigned.get(target) ?? 0) + 1);
      if (op.kind === 'assign' && op.copyOf !== undefined) copies.set(target, op.copyOf);
    }
  }
  for (const [local, n] of assigned) if (n !== 1) copies.delete(local);
  if (copies.size === 0) return (lock) => lock;
  return (lock) => {
    const m = /^([A-Za-z_]\w*)->/.exec(lock);
    const from = m && copies.get(m[1]!);
    if (!from) return lock;
    const rest = lock.slice(m![0].length);
    return from.startsWith('&') ? `${from.slice(1)}.${rest}` : `${from}->${rest}`;
  };
}

/**
 * What the function's annotations add. A sparse annotation (`__acquires(x)`) does not say what kind
 * of lock `x` is: it takes the kind of the locks the body returns holding (`wdev_lock()` holds a
 * mutex), and when the body returns holding none kpath can see, the annotation is not believed
 * (`dm_get_live_table()` is `__acquires(md->io_barrier)` over an SRCU read lock). kpath's own
 * annotations and configuration say the kind, and are kept.
 */
function applyAnnotations(summary: Summary, ann: FunctionAnnotations, env: FunctionEnv, exits: readonly Exit[]): void {
  const at = env.fn.nameSpan;
  const entry = (message: string): PathEvent => pathEvent('entry', env.file, env.fn.name, at, message);
  if (ann.sleeps) summary.sleeps = [{ ...entry(`${env.fn.name}() may sleep (${ann.sleeps.why}), per its kpath annotation`), kind: 'sleep', callee: env.fn.name }];
  if (ann.neverSleeps) {
    delete summary.sleeps;
    delete summary.condSleeps;
    summary.gfpSleeps = {};
  }
  // The kind of a sparse annotation's lock: that of the lock of that name the body returns holding,
  // else the one kind it returns holding; with several (__key_link_lock(): a rw semaphore and a
  // mutex), none is guessed, as a lock of unknown kind is not assumed to be a spinlock.
  const heldAtExit = exits.flatMap((e) => e.held);
  const kinds = [...new Set(heldAtExit.map((l) => l.class))];
  // Returning success holding what it takes and an error having dropped it: an annotated lock is
  // taken on success too (blkg_conf_prep() is `__acquires(rcu)`, and returns -EOPNOTSUPP without).
  const onTruth = truthWhere(exits, (e) => e.held.length > 0);
  for (const a of ann.acquires) {
    // `__releases(x) __acquires(x)`: dropped and taken again (md_bitmap_get_counter()); the caller
    // holds x after the call as before it, and takes nothing new.
    if (ann.releases.some((r) => r.lock === a.lock)) continue;
    if (summary.condAcquires?.some((c) => c.lock === a.lock)) continue;
    const lockClass = a.class ?? heldAtExit.find((l) => l.lock === a.lock)?.class ?? (kinds.length === 1 ? kinds[0] : undefined);
    if (lockClass === undefined || summary.acquires.some((l) => l.lock === a.lock)) continue;
    const taken = { lock: a.lock, class: lockClass, origin: [entry(`'${a.lock}' taken by ${env.fn.name}() (${a.text})`)] };
    if (onTruth === undefined) summary.acquires.push(taken);
    else summary.condAcquires = (summary.condAcquires ?? []).concat({ ...taken, ...(onTruth ? {} : { heldWhenZero: true }) });
  }
  for (const c of ann.condAcquires) {
    if (!summary.condAcquires?.some((l) => l.lock === c.lock)) {
      summary.condAcquires = (summary.condAcquires ?? []).concat({ lock: c.lock, class: c.class ?? 'spin', origin: [entry(`'${c.lock}' taken by ${env.fn.name}() when it returns true (${c.text})`)] });
    }
  }
  for (const r of ann.releases) {
    if (ann.acquires.some((a) => a.lock === r.lock)) continue; // dropped and taken again, as above
    if (!summary.releases.some((l) => l.lock === r.lock) && !summary.condReleases?.some((l) => l.lock === r.lock)) summary.releases.push({ lock: r.lock, class: r.class ?? 'spin', origin: [entry(`'${r.lock}' released by ${env.fn.name}() (${r.text})`)] });
  }
}

/** The call a chain ends in, without positions: `function:callee`. */
function sleepingCall(chain: readonly PathEvent[]): string {
  const last = chain[chain.length - 1]!;
  return `${last.function}:${last.callee ?? ''}`;
}

/** What callers depend on, without positions: a caller is re-analysed only when this changes. */
export function summaryKey(s: Summary): string {
  // Lists are sorted: the order a path met them in changes with the order callees were summarised in.
  const sorted = (list: readonly string[]) => [...list].sort();
  return JSON.stringify([
    // The sleeping call only, not the chain to it: round a call cycle the chain grows at each turn,
    // and a key that followed it would never settle.
    s.sleeps ? sleepingCall(s.sleeps) : null,
    sorted((s.condSleeps ?? []).map((c) => `${JSON.stringify(c.when)}:${sleepingCall(c.chain)}:${sorted(c.released ?? []).join(',')}:${c.unlessIn ?? ''}:${c.unlessRefs ?? ''}`)),
    sorted(Object.keys(s.gfpSleeps)),
    sorted(s.acquires.map((l) => `${l.lock}:${l.class}`)),
    sorted(s.releases.map((l) => `${l.lock}:${l.depth ?? 0}:${l.restores ?? ''}`)),
    s.returnsPin ? `${s.returnsPin.kind}:${s.returnsPin.serie ?? ''}:${s.returnsPin.page ?? ''}` : null,
    sorted(s.unpins ?? []),
    sorted((s.condAcquires ?? []).map((l) => l.lock)),
    sorted((s.condReleases ?? []).map((l) => `${l.lock}:${l.releasedWhenZero === true}:${l.releasedWhen ?? ''}`)),
    s.inert ?? false,
    sorted(s.sleepsAfterReleasing ?? []),
    sorted(s.exitsAtomic ?? []),
    sorted((s.entersAtomic ?? []).map((a) => a.kind)),
    s.neverReturns ?? false,
    s.gets ?? [],
    s.puts ?? [],
  ]);
}
