/**
 * What the transfer function may consult about the world outside the function it walks: the kernel
 * tables, the summaries of the program's other functions, and the program (to hand entry contexts to
 * callees). Everything reaches the dataflow through this interface, which keeps it testable alone.
 */
import type { PathEvent } from '../finding';
import type { CallOp, FunctionIR } from '../ir';
import type { ApiIndex } from '../kernel/index';
import type { AtomicKind, LockClass, MapKind } from '../kernel/semantics';
import type { ParamTest } from './param-tests';
import type { Held, State } from './state';

/** The kernel tables, indexed (kernel/index.ts). */
export type Knowledge = ApiIndex;

/**
 * What is known of a function without its body: enough to name it, translate a caller's state into
 * its parameters and place events on it. A program over a whole tree keeps only this in memory.
 */
export type FunctionHead = Pick<FunctionIR, 'name' | 'span' | 'nameSpan' | 'params' | 'exactArity' | 'locals' | 'isStatic'>;

/** A function of the program as the transfer function sees it at a call site. */
export interface Callee {
  key: string;
  /** The file defining it. */
  file: string;
  name: string;
  fn: FunctionHead;
  summary: Summary | undefined;
}

export interface Summary {
  /** A chain to a call that may sleep on a path where this function itself is not atomic. */
  sleeps?: PathEvent[];
  /**
   * Locks of the caller (in this function's terms) that the path to `sleeps` releases first:
   * `allocate_file_region_entries()` drops `resv->lock` around its `kmalloc(GFP_KERNEL)`, so a
   * caller holding only that lock does not sleep under it. Also the caller's atomic sections left
   * (`@preempt`, `droppedAtomic`) and mappings unmapped (`%ptep`, `droppedPin`).
   */
  sleepsAfterReleasing?: string[];
  /**
   * Sleeps only behind tests of parameters (`if (sleep_ok) msleep(ms);`): each with the tests, as
   * `[parameter index, value]`; a caller passing a constant that fails one does not sleep there.
   * Kept apart from `sleeps`, which holds the sleeps behind no such test. `released`: the caller's
   * locks it drops first, as `sleepsAfterReleasing`. `unlessIn`: behind a test of the context
   * (`if (!in_interrupt())`), a sleep a caller in one of these contexts does not reach.
   * `unlessRefs`: behind a put that found these counters (in this function's terms) at zero
   * (`if (refcount_dec_and_test(&lnk->refcnt))`), a sleep a caller holding a reference on any of
   * them does not reach (references.ts).
   */
  condSleeps?: { when: ParamTest[]; chain: PathEvent[]; released?: string[]; unlessIn?: AtomicKind[]; unlessRefs?: string[] }[];
  /** Counters (in this function's terms) it takes a reference on, on every way out (`smcr_link_hold()`). */
  gets?: string[];
  /** Counters (in this function's terms) it drops a reference on that it did not take, on some way (`smcr_link_put()`). */
  puts?: string[];
  /** Param index -> chain: sleeps when the caller passes a sleeping gfp mask in that parameter. */
  gfpSleeps: Record<number, PathEvent[]>;
  /** Locks (in this function's terms) held at every exit that were not held on entry. */
  acquires: SummaryLock[];
  /**
   * Atomic contexts it leaves that it did not enter: `__split_huge_page()` ends with
   * `local_irq_enable()` for the `local_irq_disable()` of its caller.
   */
  exitsAtomic?: AtomicKind[];
  /**
   * Atomic contexts it enters and leaves entered, on every way out, with the call that entered each:
   * tmio's `tmio_mmc_kmap_atomic()` disables interrupts with `local_irq_save(*flags)` and returns
   * with them disabled, for `tmio_mmc_kunmap_atomic()` to restore.
   */
  entersAtomic?: { kind: AtomicKind; origin: PathEvent[] }[];
  /** Locks (in this function's terms) released but not taken here, and not held at any exit. */
  releases: SummaryLock[];
  /**
   * Locks held after the call only when it returns true (or 0 with `heldWhenZero`): a function that
   * returns a trylock's result (`return spin_trylock(&zhdr->page_lock);`), or is annotated `__cond_acquires`.
   */
  condAcquires?: (SummaryLock & { heldWhenZero?: boolean })[];
  /**
   * Locks of the caller released only when the call returns true (or 0 with `releasedWhenZero`):
   * btrfs's run_and_cleanup_extent_op() drops the head's lock and returns nonzero, or returns 0
   * still holding it. With `releasedWhen`, released exactly when the call returns that code
   * (autofs's validate_request() returns -EINTR having failed to take the caller's mutex again).
   */
  condReleases?: (SummaryLock & { releasedWhenZero?: boolean; releasedWhen?: string })[];
  /** Mappings this function releases that it did not take (in its terms): `pte_unmap(vmf->pte)` in a helper. */
  unpins?: string[];
  /**
   * Nothing on any path of it or its callees sleeps or touches a lock, an atomic context or a
   * mapping: a caller's context cannot change what it does, so callers hand it none. It may count
   * references (`gets`, `puts`): that changes what its callers do, not what it does.
   */
  inert?: true;
  /**
   * Every path of it ends in a call that does not return (a table's `neverReturns` row, or such a
   * function): a caller's path ends at the call too.
   */
  neverReturns?: true;
  /**
   * A mapping returned to the caller (a kmap wrapper), with the page it maps in this function's
   * parameters' terms when it has one there (`sg_page(cmd->t_data_sg)`): a helper unmapping that
   * page (`unpins`) releases it.
   */
  returnsPin?: { kind: MapKind; serie?: string; callee: string; releasedBy: string[]; origin: PathEvent[]; page?: string };
}

export interface SummaryLock {
  lock: string;
  class: LockClass;
  origin: PathEvent[];
  /** For a caller's lock released: the calls between the function and the unlock (absent: its own). */
  depth?: number;
  /** For a caller's lock released: by an unlock that turns interrupts or bottom halves back on (`spin_unlock_bh`), in the function itself. */
  restores?: 'irq' | 'bh';
}

export interface FunctionEnv {
  file: string;
  fn: FunctionIR;
  knowledge: Knowledge;
  /** A file's file-level `static` variables (`lockAcrossFiles`). */
  staticsOf(file: string): ReadonlySet<string> | undefined;
  /** The program function a direct call resolves to, if any. */
  resolve(op: CallOp): Callee | undefined;
  /**
   * The program functions an indirect call may reach: those stored into the field it calls through.
   * With `onPath`, the files a path to the call came through, only those stored in them, whatever
   * subsystem the call is in (a driver's ops called back through a core elsewhere).
   */
  resolveIndirect(op: CallOp, onPath?: ReadonlySet<string>): Callee[];
  /**
   * Offers the state at a call into a program function as an entry context of the callee. Returns
   * false when the callee takes no more contexts: the caller then reports what the callee's summary
   * says at the call site instead. `members` says what the members of a structure passed by
   * address hold (`cmd.flags` of `&cmd`), when the function set any.
   */
  enterCallee(callee: Callee, state: State, op: CallOp, holds: readonly Held[], members?: MemberLookup): boolean;
  /** The callee's parameters it compares with constants (param-tests.ts's `comparedParams`, through wrappers). */
  comparedOf(callee: Callee): readonly string[] | undefined;
  /**
   * The constants the function-like macro `name` always or-s in where this function calls it
   * (`FileIR.macroBits`): an argument `MAKE_SEND_FLAGS(len)` has the bits of `INTEL_GUC_CT_SEND_NB`.
   */
  macroBits?(name: string): readonly string[] | undefined;
}

/** The constant a member of a local structure holds at a call (`cmd.flags`), if the function knows it. */
export type MemberLookup = (path: string) => string | undefined;
