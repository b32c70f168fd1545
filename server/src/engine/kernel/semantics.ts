/**
 * The shape of kpath's kernel knowledge: what a call does to the lock, atomic and kmap state. The
 * default rows live in `api.ts` (data only); `.kpath.json` adds and overrides rows by name
 * (`config.ts`). The dataflow looks every call up here and nowhere else.
 *
 * Architecture invariant: no other module compares a callee's name with a kernel function's name.
 */

/**
 * Names a lock from a call's arguments. `{ arg: 0 }` is the first argument itself (`&l` -> lock `l`);
 * `{ arg: 2, field: 'page_table_lock' }` is a field of the object the argument points to
 * (`pte_offset_under_lock(dir, addr, mm)` -> `mm->page_table_lock`).
 */
export interface LockRef {
  arg: number;
  field?: string;
}

/** Spinning locks make the context atomic; sleeping locks (mutex, rwsem) are tracked for balance only. */
export type LockClass = 'spin' | 'raw_spin' | 'rwlock' | 'bit_spin' | 'mutex' | 'rwsem' | 'seqlock';

/** The kinds of mapping. Persistent maps come from a serie's pool and block when it is empty. */
export type MapKind = 'persistent' | 'atomic' | 'local' | 'nowait' | 'none';

export interface CallSemantics {
  name: string;
  /** Takes a lock. `conditional`: held only when the call returns true (`spin_trylock`). */
  acquire?: { lock: LockRef; class: LockClass; conditional?: boolean; irq?: 'irq' | 'irqsave' | 'bh' };
  /** Releases a lock. */
  release?: { lock: LockRef; class: LockClass };
  /** Drops a lock held on entry and retakes it before returning (`pte_alloc`, `cond_resched_lock`). */
  dropsLock?: { lock: LockRef };
  /** Enters an atomic context other than a lock (`preempt_disable`, `rcu_read_lock`, `local_irq_save`). */
  atomicEnter?: AtomicKind;
  atomicExit?: AtomicKind;
  /** May block or sleep, always. `why` completes "may sleep (...)". */
  sleeps?: { why: string };
  /** Never sleeps, even if a callee summary or an older row says so (`.kpath.json` uses this to override). */
  neverSleeps?: boolean;
  /** An allocator whose gfp mask (argument `gfpArg`) decides whether it may sleep. */
  gfpArg?: number;
  /** Pins a mapping. */
  map?: MapSemantics;
  /** Releases a mapping. */
  unmap?: UnmapSemantics;
  /** The fix for calling this where it must not block: the non-blocking call that replaces it. */
  atomicAlternative?: AtomicAlternative;
  /** Registers a function (argument `fnArg`) that the kernel will call in `context` (timer_setup, request_irq). */
  registersCallback?: { fnArg: number; context: AtomicKind; what: string };
}

export type AtomicKind =
  | 'preempt'
  | 'irq'
  | 'bh'
  | 'rcu'
  | 'kmap_atomic'
  | 'hardirq'
  | 'softirq'
  | 'timer'
  | 'tasklet';

export interface MapSemantics {
  kind: MapKind;
  /** For persistent maps: the pool it draws from. */
  serie?: string;
  /** Blocks (sleeps) when the serie's pool is empty. */
  blocks: boolean;
  /**
   * What the releasing call names to release this mapping: the returned address (`'result'`) for
   * kmap_atomic/pte_offset/kmap_local_page, or an argument (`kmap(page)` is released by `kunmap(page)`).
   */
  key: 'result' | { arg: number };
  /** Functions that release it, for messages and for the kunmap-mismatch rule. */
  releasedBy: string[];
  /** Also takes a spinlock (`pte_offset_map_lock` takes `*ptl`). */
  alsoLocks?: LockRef;
}

export interface UnmapSemantics {
  /** The kinds of mapping this call may release. */
  kinds: MapKind[];
  /** The argument naming the mapping (matched against MapSemantics.key). */
  keyArg: number;
  /** Also releases a spinlock (`pte_unmap_unlock(pte, ptl)`). */
  alsoUnlocks?: LockRef;
}

export interface AtomicAlternative {
  /** The replacement callee (`pte_offset_atomic`). */
  name: string;
  /** Why it is right, shown as the fix title's tail. */
  note: string;
  /** Functions to rename at the release end of the pair (`kunmap` -> `kunmap_local`). */
  releaseRename?: { from: string; to: string };
  /** The fix is correct only when the single lock held is this lock (pte_offset_under_lock). */
  onlyWhenSoleLock?: LockRef;
}

/** The gfp vocabulary: which flags allow direct reclaim (and so sleep). */
export interface GfpTable {
  sleeping: string[];
  nonSleeping: string[];
}

/**
 * Contexts entered by the kernel itself: a function stored into one of these fields runs in
 * `context` (`.ndo_get_stats64` runs under RCU).
 */
export interface CallbackField {
  field: string;
  structType?: string;
  context: AtomicKind;
  what: string;
}

export interface KernelApi {
  calls: CallSemantics[];
  gfp: GfpTable;
  /** Order in which series must be acquired: earlier first. */
  serieOrder: string[];
  /**
   * Scope-bound lock macros: `guard(spinlock)(&l)` holds until the end of the enclosing block,
   * `scoped_guard(spinlock, &l) { ... }` until the end of its body. `curried` and `scoped` name the
   * macros; `classes` says what each first macro argument takes.
   */
  guards: { curried: string[]; scoped: string[]; classes: GuardClass[] };
  callbackFields: CallbackField[];
}

export interface GuardClass {
  /** `spinlock`, `spinlock_irqsave`, `raw_spinlock`, `rcu`, `mutex`, ... */
  name: string;
  lock?: { class: LockClass; irq?: 'irq' | 'irqsave' | 'bh' };
  atomic?: AtomicKind;
}
