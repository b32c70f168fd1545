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
  /**
   * The argument is the lock itself, not a pointer to it (`wait_event_lock_irq(wq, cond, lock)`):
   * `*p` there is the lock `spin_lock(p)` takes (raid5's `*(conf->hash_locks + hash)`).
   */
  object?: true;
  /**
   * The lock is the pointer the call returns, named by the variable it is assigned to
   * (`ptl = pmd_lock(mm, pmd)` takes `ptl`). Written with `arg: -1`, which names no argument, so
   * that code unaware of `result` takes no lock rather than a wrong one.
   */
  result?: boolean;
}

/** Spinning locks make the context atomic; sleeping locks (mutex, rwsem) are tracked for balance only. */
export type LockClass =
  | 'spin'
  | 'raw_spin'
  | 'rwlock'
  | 'bit_spin'
  | 'mutex'
  | 'rwsem'
  | 'seqlock'
  /** Counting semaphore (`down`/`up`): sleeping and not owned (often released by another task), so never balance-checked. */
  | 'semaphore';

/** The kinds of mapping. Persistent maps come from a serie's pool and block when it is empty. */
export type MapKind = 'persistent' | 'atomic' | 'local' | 'nowait' | 'none';

export interface CallSemantics {
  name: string;
  /**
   * The row applies only to calls with exactly this many arguments. Lets one name mean different
   * things in different eras (2.4 `pte_alloc(mm, pmd, addr)` maps a page table; 6.x `pte_alloc(mm, pmd)`
   * only allocates). Rows without `arity` match any call; a row with a matching `arity` wins.
   */
  arity?: number;
  /**
   * Takes a lock. `conditional`: held only when the call returns true (`spin_trylock`);
   * with `heldWhenZero` as well, held only when it returns 0 (`mutex_lock_interruptible`, `down_trylock`).
   * `shared`: taken for reading (`down_read`): readers do not exclude each other, but a writer
   * queued behind one holds back the next, so one task reading twice can still deadlock.
   */
  acquire?: {
    lock: LockRef;
    class: LockClass;
    conditional?: boolean;
    heldWhenZero?: boolean;
    shared?: boolean;
    irq?: 'irq' | 'irqsave' | 'bh';
  };
  /**
   * Releases a lock. `restores`: and turns interrupts (`spin_unlock_irqrestore`, `spin_unlock_irq`)
   * or bottom halves (`spin_unlock_bh`) back on, which ends the section of a `local_irq_save()` or
   * `local_bh_disable()` made before a plain `spin_lock()` of that lock.
   */
  release?: { lock: LockRef; class: LockClass; restores?: 'irq' | 'bh' };
  /**
   * Drops a lock held on entry and retakes it before returning (`pte_alloc`, `cond_resched_lock`).
   * `runsUnlocked`: the arguments (a macro's commands) it evaluates with the lock dropped:
   * `wait_event_lock_irq_cmd(wq, cond, lock, cmd)` runs `cmd` after its unlock, before it sleeps.
   */
  dropsLock?: { lock: LockRef; runsUnlocked?: readonly number[] };
  /** Enters an atomic context other than a lock (`preempt_disable`, `rcu_read_lock`, `local_irq_save`). */
  atomicEnter?: AtomicKind;
  atomicExit?: AtomicKind;
  /**
   * The exit ends every level of that context, not the last one: `local_irq_enable()` turns
   * interrupts on whatever disabled them, and `local_irq_disable()` twice is not two levels.
   */
  atomicExitAll?: boolean;
  /**
   * May block or sleep, always. `why` completes "may sleep (...)". `byFault`: it sleeps only by taking
   * a page fault on user memory, so it does not sleep while page faults are disabled (`pagefault`).
   */
  /**
   * `withIrqsOff`: fine to call with only interrupts disabled (the scheduler's entry points: an
   * architecture's return-to-user loop calls `schedule()` with IRQs off, `preempt_schedule_irq()`
   * is made for it); under a spinlock or with preemption disabled it is still a sleep in atomic.
   */
  sleeps?: { why: string; byFault?: boolean; withIrqsOff?: boolean };
  /** Never sleeps, even if a callee summary or an older row says so (`.kpath.json` uses this to override). */
  neverSleeps?: boolean;
  /** Does not return (`panic()`, `BUG()`): a path ends at the call, with nothing reported after it. */
  neverReturns?: boolean;
  /** An allocator whose gfp mask (argument `gfpArg`) decides whether it may sleep. */
  gfpArg?: number;
  /**
   * Sleeps only when argument `arg` carries one of `flags`: `__filemap_get_folio(m, i, FGP_LOCK, gfp)`
   * locks the folio, with `0` it only looks it up. Other names starting with `prefix` carry none;
   * a mask kpath cannot read (a variable) counts as sleeping. `why` completes "may sleep (...)".
   */
  sleepsWithFlags?: { arg: number; flags: string[]; prefix: string; why: string };
  /**
   * Sleeps unless argument `arg` asks it not to: `netlink_unicast(ssk, skb, portid, MSG_DONTWAIT)`
   * returns -EAGAIN where it would wait for room. A nonzero constant or one of `nonblocking` does
   * not sleep; `0` does; a parameter of the caller passed on makes the caller's summary sleep when
   * that parameter is 0; anything else counts as sleeping. `why` completes "may sleep (...)".
   */
  sleepsUnlessSet?: { arg: number; nonblocking: string[]; why: string };
  /** Pins a mapping. */
  map?: MapSemantics;
  /** Releases a mapping. */
  unmap?: UnmapSemantics;
  /** The fix for calling this where it must not block: the non-blocking call that replaces it. */
  atomicAlternative?: AtomicAlternative;
  /** Further fixes, offered after `atomicAlternative` (`pte_offset` -> `pte_offset_under_lock`). */
  extraAlternatives?: AtomicAlternative[];
  /** States that a lock is held here (`lockdep_assert_held(&l)`): evidence for the entry context. */
  assertsHeld?: LockRef;
  /** States that the context is atomic here (`lockdep_assert_irqs_disabled()`, `cant_sleep()`). */
  assertsAtomic?: AtomicKind;
  /**
   * Disables or re-enables page faults (`pagefault_disable`). Not an atomic context by itself (since
   * Linux 4.2 it leaves preemption alone); it only makes `sleeps.byFault` calls fail fast instead of sleeping.
   */
  pagefault?: 'disable' | 'enable';
  /** Registers a function (argument `fnArg`) that the kernel will call in `context` (timer_setup, request_irq). */
  registersCallback?: { fnArg: number; context: AtomicKind; what: string };
  /**
   * Counts a reference on the counter argument `arg` points to: takes one (`get`: `refcount_inc`),
   * drops one (`put`: `refcount_dec`), or drops one and returns true when it was the last
   * (`putTest`: `refcount_dec_and_test`). A put balancing a get on the same path cannot be the
   * last, so what the object's release does (free it, and sleep) does not happen there.
   */
  reference?: { arg: number; does: 'get' | 'put' | 'putTest' };
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
  /**
   * Maps only where one of these architectures may be built: page tables are kmapped with
   * CONFIG_HIGHPTE, which only x86 and arm have. In another architecture's own code (`arch/s390/`,
   * `separateCode`) the call maps nothing (its lock, if any, is still taken). Its unmap still
   * releases a mapping generic code made and handed back (s390's uv.c unmaps what mm/memory.c's
   * `__get_locked_pte()` mapped).
   */
  onlyOn?: string[];
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
  /**
   * The replacement takes one more, last argument: the object whose `field` is the single lock held.
   * With only `dst->page_table_lock` held, `pte_offset(d, a)` becomes `pte_offset_under_lock(d, a, dst)`;
   * with no lock held, or another lock held, or two locks held, the fix does not apply.
   */
  appendLockOwner?: { field: string };
}

/** The gfp vocabulary: which flags allow direct reclaim (and so sleep). */
export interface GfpTable {
  /** Flags and masks that carry the direct-reclaim bit. */
  sleeping: string[];
  /** Flags and masks known NOT to carry it (complete masks like GFP_ATOMIC, and modifiers like __GFP_ZERO). */
  nonSleeping: string[];
  /** The mask the gfp fix writes in place of a sleeping one (`GFP_ATOMIC`). */
  atomicMask?: string;
  /**
   * Tests true exactly when a mask allows direct reclaim, written without spaces with `%` for the
   * mask: `gfpflags_allow_blocking(%)`. A sleep behind such a test of a parameter happens when the
   * caller's mask allows it, like an allocation with that mask.
   */
  tests?: string[];
  /**
   * Tests true when a mask does not allow the function to sleep, in the same notation:
   * `(%&GFP_KERNEL)!=GFP_KERNEL`, pcpu_alloc()'s `is_atomic`.
   */
  atomicTests?: string[];
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
  /**
   * Structures whose functions only a bus's core calls (`struct pci_driver`'s .probe and .remove,
   * in process context with the device locked): a call through a field of the same name elsewhere
   * (bnx2x's `exeq->remove`) does not reach them.
   */
  calledByBusCore?: string[];
  /**
   * Guesses a lock's class from its name, for locks that only a comment names ("Called with
   * mm->mmap_lock held"): the first row whose suffix ends the name wins. A lock of unknown class
   * should not be taken as a spinlock. A suffix starting with `_` matches any name ending with it;
   * another suffix matches the whole name or its last field (`d_lock`: `dentry->d_lock`, not `bad_lock`).
   */
  lockNames?: { suffix: string; class: LockClass }[];
  /**
   * Warning macros whose branch kpath leaves out: `if (WARN_ON(!list_empty(&l))) cleanup();` runs
   * `cleanup()` only when the kernel is already wrong, which the warning says never happens. The
   * lowering marks the branches of `WARN_ON`, `WARN_ON_ONCE`, `WARN` and `WARN_ONCE`
   * (lower/annotations.ts); one missing here is explored like any other branch.
   */
  warnings?: string[];
  /**
   * Words in the name of a function kpath cannot see into (no row, no body) that mean it may release
   * a lock whose object it is given: `unlock_page_lruvec_irq(lruvec)`. Such a lock is then no longer
   * certainly held, and nothing is reported on its account.
   */
  unknownReleaserWords?: string[];
  /**
   * Lock field names that say only what kind of lock a structure holds (`lock`, `mutex`): many
   * structures have one. A callee's release of a field through another path than any the caller
   * holds stands for the caller's one held lock of that field (`iclog->ic_log->l_icloglock` for
   * `log->l_icloglock`), but not when the field is one of these (`ci->lock` is no `si->lock`).
   */
  genericLockFields?: string[];
  /**
   * Tests true only where the code may sleep: `preemptible()` (false in any atomic context), and
   * ALSA's `nonatomic` (a PCM so flagged runs all its operations in process context; the others
   * take a spinlock where it would take a mutex). A row starting with `->` stands for that member of
   * any object (`substream->pcm->nonatomic`, `link.nonatomic`). The branch where such a test holds
   * is not taken in atomic context, and a sleep on it is none of its callers' concern.
   */
  sleepableTests?: string[];
  /**
   * Tests whose answer is known once the kernel has booted, by their text (`after_bootmem`: true).
   * kpath checks the running kernel, as the kernel's own might_sleep() does (it is quiet while the
   * system boots): the edge a booted kernel does not take is not explored (spp_getpage()'s
   * memblock_alloc(), which its ghes and fixmap callers never reach at run time).
   */
  afterBoot?: Record<string, boolean>;
  /**
   * The kernel's questions about its context, and what they answer in the contexts kpath knows:
   * `in_interrupt()` is true in a hard-IRQ handler, a softirq, a timer or a tasklet, and with bottom
   * halves disabled. Where the path holds one of `in`, the edge on which the test is not `is` is
   * not taken (`if (!in_interrupt()) request_module(...)` from an interrupt handler). Elsewhere
   * the test decides nothing: a caller may be in any context.
   */
  contextTests?: { test: string; is: boolean; in: AtomicKind[] }[];
  /** Tests that are true when a pointer is an error or NULL (`IS_ERR(p)`): a mapping so tested failed. */
  errorPointerTests?: string[];
  /** Error codes that are another's value (errno.h's `#define EWOULDBLOCK EAGAIN`): one code to a caller testing a result. */
  errnoAliases?: Record<string, string>;
  /** Calls that make an error pointer (`ERR_PTR(-ENODEV)`): a pointer returned so is a failure. */
  errorPointerMakers?: string[];
  /**
   * Code that calls only itself and generic code, by path (regular expressions over a file's
   * `/`-separated path): `architectures` captures an architecture's name (`arch/riscv/...`), and
   * `userSpace` matches programs compiled against libc (tools/, UML's host side), which the kernel
   * never calls and which never call it. `subsystems` captures the subsystem a file is part of
   * (`drivers/ufs/`): a call through an ops field reaches no other subsystem's functions.
   * `archHeaders` matches an architecture's own headers and captures its name
   * (`arch/mips/include/asm/io.h`): every file of that architecture includes them, so a
   * function-like macro one defines is what that architecture's calls of the name mean.
   * `builtOnlyFor` lists files outside `arch/` that one architecture alone builds, by its name:
   * they are that architecture's code (`um`: lib/logic_iomem.c, which only UML selects).
   */
  separateCode?: { architectures: string; userSpace: string[]; subsystems?: string; archHeaders?: string; builtOnlyFor?: Record<string, string[]> };
}

export interface GuardClass {
  /** `spinlock`, `spinlock_irqsave`, `raw_spinlock`, `rcu`, `mutex`, ... */
  name: string;
  lock?: { class: LockClass; irq?: 'irq' | 'irqsave' | 'bh' };
  atomic?: AtomicKind;
  /** Taking it may sleep (`guard(mutex)`). */
  sleeps?: { why: string };
}
