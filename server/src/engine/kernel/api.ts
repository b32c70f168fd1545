/**
 * kpath's default kernel knowledge: every row of KERNEL-API.md as data, for the 2.4 pte-highmem era
 * and for today's kernels. Rows are grouped by what they do (locks, atomic contexts, mappers,
 * sleepers, allocators, callback registrations); small constructors keep each row on one line.
 * Argument indices were checked against the 6.1 headers (and the 2.4 patch for the pte-highmem calls).
 *
 * Architecture invariant: this file is data. No function here looks at a call site; the dataflow
 * reads these rows through `indexApi` (index.ts) and `.kpath.json` overrides them (config.ts).
 */
import type {
  AtomicKind,
  CallSemantics,
  CallbackField,
  GfpTable,
  GuardClass,
  KernelApi,
  LockClass,
  LockRef,
  MapSemantics,
} from './semantics';

type Irq = 'irq' | 'irqsave' | 'bh';
const ARG0: LockRef = { arg: 0 };
const RESULT: LockRef = { arg: -1, result: true };

// ---------------------------------------------------------------------------------------------
// Locks
// ---------------------------------------------------------------------------------------------

function lock(name: string, cls: LockClass, opts: { irq?: Irq; lock?: LockRef } = {}): CallSemantics {
  const acquire: NonNullable<CallSemantics['acquire']> = { lock: opts.lock ?? ARG0, class: cls };
  if (opts.irq) acquire.irq = opts.irq;
  return { name, acquire };
}

function tryLock(
  name: string,
  cls: LockClass,
  opts: { irq?: Irq; lock?: LockRef; heldWhenZero?: boolean; shared?: boolean } = {},
): CallSemantics {
  const row = lock(name, cls, opts);
  row.acquire!.conditional = true;
  if (opts.heldWhenZero) row.acquire!.heldWhenZero = true;
  if (opts.shared) row.acquire!.shared = true;
  return row;
}

function unlock(name: string, cls: LockClass, lockRef: LockRef = ARG0, restores?: 'irq' | 'bh'): CallSemantics {
  return { name, release: { lock: lockRef, class: cls, ...(restores ? { restores } : {}) } };
}

/** A sleeping lock: tracked for balance, and taking it may sleep; `shared`, taken for reading. */
function sleepingLock(name: string, cls: LockClass, why: string, opts: { heldWhenZero?: boolean; shared?: boolean } = {}): CallSemantics {
  const row = opts.heldWhenZero ? tryLock(name, cls, { heldWhenZero: true }) : lock(name, cls);
  row.sleeps = { why };
  if (opts.shared) row.acquire!.shared = true;
  return row;
}

/** `spin_lock`, `spin_lock_irq`, ... and the matching unlocks, for one family prefix. */
function lockFamily(prefix: string, unlockPrefix: string, cls: LockClass, opts: { nested?: boolean } = {}): CallSemantics[] {
  return [
    lock(`${prefix}`, cls),
    lock(`${prefix}_irq`, cls, { irq: 'irq' }),
    lock(`${prefix}_irqsave`, cls, { irq: 'irqsave' }),
    lock(`${prefix}_bh`, cls, { irq: 'bh' }),
    ...(opts.nested ? [lock(`${prefix}_nested`, cls), lock(`${prefix}_irqsave_nested`, cls, { irq: 'irqsave' })] : []),
    unlock(`${unlockPrefix}`, cls),
    unlock(`${unlockPrefix}_irq`, cls, ARG0, 'irq'),
    unlock(`${unlockPrefix}_irqrestore`, cls, ARG0, 'irq'),
    unlock(`${unlockPrefix}_bh`, cls, ARG0, 'bh'),
  ];
}

const LOCKS: CallSemantics[] = [
  ...lockFamily('spin_lock', 'spin_unlock', 'spin', { nested: true }),
  lock('spin_lock_nest_lock', 'spin'),
  ...lockFamily('raw_spin_lock', 'raw_spin_unlock', 'raw_spin', { nested: true }),
  ...lockFamily('read_lock', 'read_unlock', 'rwlock'),
  ...lockFamily('write_lock', 'write_unlock', 'rwlock'),
  lock('write_seqlock', 'seqlock'),
  lock('write_seqlock_irq', 'seqlock', { irq: 'irq' }),
  lock('write_seqlock_irqsave', 'seqlock', { irq: 'irqsave' }),
  lock('write_seqlock_bh', 'seqlock', { irq: 'bh' }),
  unlock('write_sequnlock', 'seqlock'),
  unlock('write_sequnlock_irq', 'seqlock'),
  unlock('write_sequnlock_irqrestore', 'seqlock'),
  unlock('write_sequnlock_bh', 'seqlock'),
  // The reader loop that goes lockless first and locking on its second pass: read_seqbegin_or_lock()
  // takes the lock only when `*seq` is odd, done_seqretry() releases it only when `seq` is, a parity
  // kpath does not follow. Their bodies looked like a release of a lock never taken, carried up
  // every chain through d_path() (1,952 functions of fs/ and net/ summarised as releasing
  // `rename_lock.lock`). The pair is balanced by construction: neither does anything kpath tracks.
  { name: 'read_seqbegin_or_lock', neverSleeps: true },
  { name: 'read_seqbegin_or_lock_irqsave', neverSleeps: true },
  { name: 'done_seqretry', neverSleeps: true },
  { name: 'done_seqretry_irqrestore', neverSleeps: true },

  // Held only when they return true (non-zero).
  tryLock('spin_trylock', 'spin'),
  tryLock('spin_trylock_irq', 'spin', { irq: 'irq' }),
  tryLock('spin_trylock_irqsave', 'spin', { irq: 'irqsave' }),
  tryLock('spin_trylock_bh', 'spin', { irq: 'bh' }),
  tryLock('raw_spin_trylock', 'raw_spin'),
  tryLock('raw_spin_trylock_irq', 'raw_spin', { irq: 'irq' }),
  tryLock('raw_spin_trylock_irqsave', 'raw_spin', { irq: 'irqsave' }),
  tryLock('read_trylock', 'rwlock'),
  tryLock('write_trylock', 'rwlock'),
  // "Decrement, and if it reached zero return true with the lock held": the lock is argument 1.
  tryLock('atomic_dec_and_lock', 'spin', { lock: { arg: 1 } }),
  tryLock('_atomic_dec_and_lock', 'spin', { lock: { arg: 1 } }),
  tryLock('atomic_dec_and_lock_irqsave', 'spin', { lock: { arg: 1 }, irq: 'irqsave' }),
  tryLock('refcount_dec_and_lock', 'spin', { lock: { arg: 1 } }),
  tryLock('refcount_dec_and_lock_irqsave', 'spin', { lock: { arg: 1 }, irq: 'irqsave' }),

  // Page table locks returned to the caller: `ptl = pmd_lock(mm, pmd); ... spin_unlock(ptl);`.
  lock('pmd_lock', 'spin', { lock: RESULT }),
  lock('pud_lock', 'spin', { lock: RESULT }),
  lock('huge_pte_lock', 'spin', { lock: RESULT }),
  // Return the locked ptl, or NULL without taking it: held when the result is non-NULL.
  tryLock('pmd_trans_huge_lock', 'spin', { lock: RESULT }),
  tryLock('pud_trans_huge_lock', 'spin', { lock: RESULT }),

  // bit_spin_lock(bitnum, addr): the word (argument 1) names the lock.
  lock('bit_spin_lock', 'bit_spin', { lock: { arg: 1 } }),
  tryLock('bit_spin_trylock', 'bit_spin', { lock: { arg: 1 } }),
  unlock('bit_spin_unlock', 'bit_spin', { arg: 1 }),
  unlock('__bit_spin_unlock', 'bit_spin', { arg: 1 }),

  // Sleeping locks: balance only, but taking them may sleep.
  sleepingLock('mutex_lock', 'mutex', 'mutex'),
  sleepingLock('mutex_lock_nested', 'mutex', 'mutex'),
  sleepingLock('mutex_lock_io', 'mutex', 'mutex'),
  sleepingLock('mutex_lock_interruptible', 'mutex', 'mutex', { heldWhenZero: true }),
  sleepingLock('mutex_lock_killable', 'mutex', 'mutex', { heldWhenZero: true }),
  sleepingLock('mutex_lock_interruptible_nested', 'mutex', 'mutex', { heldWhenZero: true }),
  sleepingLock('mutex_lock_killable_nested', 'mutex', 'mutex', { heldWhenZero: true }),
  tryLock('mutex_trylock', 'mutex'),
  unlock('mutex_unlock', 'mutex'),
  sleepingLock('down_read', 'rwsem', 'rw semaphore', { shared: true }),
  sleepingLock('down_read_nested', 'rwsem', 'rw semaphore', { shared: true }),
  sleepingLock('down_read_killable', 'rwsem', 'rw semaphore', { heldWhenZero: true, shared: true }),
  sleepingLock('down_read_interruptible', 'rwsem', 'rw semaphore', { heldWhenZero: true, shared: true }),
  sleepingLock('down_write', 'rwsem', 'rw semaphore'),
  sleepingLock('down_write_nested', 'rwsem', 'rw semaphore'),
  sleepingLock('down_write_killable', 'rwsem', 'rw semaphore', { heldWhenZero: true }),
  tryLock('down_read_trylock', 'rwsem', { shared: true }),
  tryLock('down_write_trylock', 'rwsem'),
  unlock('up_read', 'rwsem'),
  unlock('up_write', 'rwsem'),
  // mmap_lock: sleeps, but its balance is not tracked. Callees drop it and say so through an
  // out-parameter (`int *locked`, VM_FAULT_RETRY), which a balance check would misread (seen in 6.1 mm/madvise.c).
  ...sleeper('mmap_lock', 'mmap_read_lock', 'mmap_write_lock', 'mmap_read_lock_killable', 'mmap_write_lock_killable'),
  sleepingLock('down', 'semaphore', 'semaphore'),
  sleepingLock('down_interruptible', 'semaphore', 'semaphore', { heldWhenZero: true }),
  sleepingLock('down_killable', 'semaphore', 'semaphore', { heldWhenZero: true }),
  sleepingLock('down_timeout', 'semaphore', 'semaphore', { heldWhenZero: true }),
  tryLock('down_trylock', 'semaphore', { heldWhenZero: true }), // returns 0 on success
  unlock('up', 'semaphore'),
  // The 2.4 big kernel lock is deliberately absent: it was released across schedule(), so sleeping
  // under lock_kernel() was legal and modelling it as a spinlock would only produce false reports.
];

// ---------------------------------------------------------------------------------------------
// Atomic contexts other than locks
// ---------------------------------------------------------------------------------------------

function enter(name: string, kind: AtomicKind): CallSemantics {
  return { name, atomicEnter: kind };
}
function exit(name: string, kind: AtomicKind): CallSemantics {
  return { name, atomicExit: kind };
}

const ATOMIC_CONTEXTS: CallSemantics[] = [
  enter('preempt_disable', 'preempt'),
  exit('preempt_enable', 'preempt'),
  exit('preempt_enable_no_resched', 'preempt'),
  exit('sched_preempt_enable_no_resched', 'preempt'), // schedule_preempt_disabled(), do_sched_yield()
  enter('get_cpu', 'preempt'),
  exit('put_cpu', 'preempt'),
  enter('get_cpu_var', 'preempt'),
  exit('put_cpu_var', 'preempt'),
  enter('get_cpu_ptr', 'preempt'),
  exit('put_cpu_ptr', 'preempt'),
  enter('local_irq_disable', 'irq'),
  { name: 'local_irq_enable', atomicExit: 'irq', atomicExitAll: true },
  enter('local_irq_save', 'irq'),
  exit('local_irq_restore', 'irq'),
  enter('local_bh_disable', 'bh'),
  exit('local_bh_enable', 'bh'),
  // 2.4: cli()/sti() and save_flags()/restore_flags() around interrupt-free sections.
  enter('cli', 'irq'),
  { name: 'sti', atomicExit: 'irq', atomicExitAll: true },
  enter('__cli', 'irq'),
  exit('__sti', 'irq'),
  enter('save_and_cli', 'irq'),
  exit('restore_flags', 'irq'),
  exit('__restore_flags', 'irq'),
  enter('rcu_read_lock', 'rcu'),
  exit('rcu_read_unlock', 'rcu'),
  enter('rcu_read_lock_bh', 'rcu'),
  exit('rcu_read_unlock_bh', 'rcu'),
  enter('rcu_read_lock_sched', 'rcu'),
  exit('rcu_read_unlock_sched', 'rcu'),
  // Not atomic by themselves since 4.2: they only make user copies fail instead of sleeping.
  { name: 'pagefault_disable', pagefault: 'disable' },
  { name: 'pagefault_enable', pagefault: 'enable' },
];

// ---------------------------------------------------------------------------------------------
// Mappers and unmappers (kmap series, atomic and local maps)
// ---------------------------------------------------------------------------------------------

function persistent(serie: string, releasedBy: string[], key: MapSemantics['key'] = 'result'): MapSemantics {
  return { kind: 'persistent', serie, blocks: true, key, releasedBy };
}
function atomicMap(releasedBy: string[]): MapSemantics {
  return { kind: 'atomic', blocks: false, key: 'result', releasedBy };
}
/**
 * The architectures whose page tables may live in highmem (`config HIGHPTE` in 6.1: arch/x86/ for
 * X86_32, arch/arm/): only there does mapping a page table kmap it.
 */
const HIGHPTE_ARCHES = ['x86', 'arm'];
/** A page table's mapping: an atomic kmap where HIGHPTE may be on (`HIGHPTE_ARCHES`). */
function pteMap(releasedBy: string[]): MapSemantics {
  return { ...atomicMap(releasedBy), onlyOn: HIGHPTE_ARCHES };
}
function localMap(): MapSemantics {
  return { kind: 'local', blocks: false, key: 'result', releasedBy: ['kunmap_local'] };
}
const NO_MAP: MapSemantics = { kind: 'none', blocks: false, key: 'result', releasedBy: [] };

const PAGE_TABLE_LOCK_OF = (arg: number): LockRef => ({ arg, field: 'page_table_lock' });

const MAPPERS: CallSemantics[] = [
  // 2.4 pte-highmem-5: persistent kmaps drawn from a serie's pool; they block when it is empty.
  {
    name: 'kmap',
    map: persistent('DEFAULT', ['kunmap'], { arg: 0 }),
    atomicAlternative: {
      name: 'kmap_local_page',
      note: 'a CPU-local map that never blocks; released by kunmap_local',
      releaseRename: { from: 'kunmap', to: 'kunmap_local' },
    },
  },
  { name: 'kmap_pagetable', map: persistent('PAGETABLE', ['kunmap', 'pte_kunmap'], { arg: 0 }) },
  { name: 'kmap_pagetable2', map: persistent('PAGETABLE2', ['kunmap', 'pte_kunmap'], { arg: 0 }) },
  {
    name: 'pte_offset',
    map: persistent('PAGETABLE', ['pte_kunmap']),
    atomicAlternative: { name: 'pte_offset_atomic', note: 'an atomic kmap that never blocks; still released by pte_kunmap' },
    extraAlternatives: [
      {
        name: 'pte_offset_under_lock',
        note: 'drops the page table lock while it waits; right only when that is the one lock held',
        appendLockOwner: { field: 'page_table_lock' },
      },
    ],
  },
  {
    name: 'pte_offset2',
    map: persistent('PAGETABLE2', ['pte_kunmap']),
    atomicAlternative: { name: 'pte_offset_atomic2', note: 'an atomic kmap that never blocks; still released by pte_kunmap' },
  },
  { name: 'pte_offset_under_lock', map: persistent('PAGETABLE', ['pte_kunmap']), dropsLock: { lock: PAGE_TABLE_LOCK_OF(2) } },
  { name: 'pte_offset_atomic', map: atomicMap(['pte_kunmap']) },
  { name: 'pte_offset_atomic2', map: atomicMap(['pte_kunmap']) },
  { name: 'pte_offset_atomic_irq', map: atomicMap(['pte_kunmap']) },
  { name: 'pte_offset_lowmem', map: NO_MAP },
  { name: 'pte_offset_nowait', map: { kind: 'nowait', blocks: false, key: 'result', releasedBy: ['pte_kunmap'] } },
  // 2.4 pte_alloc(mm, pmd, addr) maps the new table through pte_offset_under_lock; 6.x pte_alloc(mm, pmd) only allocates.
  {
    name: 'pte_alloc',
    arity: 3,
    map: persistent('PAGETABLE', ['pte_kunmap']),
    sleeps: { why: 'allocates a page table with GFP_KERNEL' },
    dropsLock: { lock: PAGE_TABLE_LOCK_OF(0) },
  },
  { name: 'pte_alloc', arity: 2, sleeps: { why: 'allocates a page table with GFP_KERNEL' } },
  { name: 'pmd_alloc', sleeps: { why: 'allocates a page table with GFP_KERNEL' }, dropsLock: { lock: PAGE_TABLE_LOCK_OF(0) } },

  // 2.6 highpte and today.
  // kmap_atomic also disables page faults: a user copy under it fails fast instead of sleeping
  // (6.1 mm/memory.c copy_huge_page_from_user relies on that).
  { name: 'kmap_atomic', map: atomicMap(['kunmap_atomic']), pagefault: 'disable' },
  { name: 'kmap_atomic_pfn', map: atomicMap(['kunmap_atomic']), pagefault: 'disable' },
  { name: 'kmap_atomic_prot', map: atomicMap(['kunmap_atomic']), pagefault: 'disable' },
  { name: 'pte_offset_map', map: pteMap(['pte_unmap']) },
  { name: 'pte_offset_map_nested', map: pteMap(['pte_unmap_nested']) },
  // pte_offset_map_lock(mm, pmd, addr, &ptl): the lock is named by the 4th argument (`&ptl` -> `ptl`).
  { name: 'pte_offset_map_lock', map: { ...pteMap(['pte_unmap_unlock']), alsoLocks: { arg: 3 } } },
  { name: 'pte_alloc_map', map: pteMap(['pte_unmap']), sleeps: { why: 'allocates a page table with GFP_KERNEL' } },
  {
    name: 'pte_alloc_map_lock',
    map: { ...pteMap(['pte_unmap_unlock']), alsoLocks: { arg: 3 } },
    sleeps: { why: 'allocates a page table with GFP_KERNEL' },
  },
  { name: 'pte_offset_kernel', map: NO_MAP },
  { name: 'kmap_local_page', map: localMap() },
  { name: 'kmap_local_folio', map: localMap() },
  { name: 'kmap_local_pfn', map: localMap() },

  { name: 'kunmap', unmap: { kinds: ['persistent'], keyArg: 0 } },
  { name: 'kunmap_atomic', unmap: { kinds: ['atomic'], keyArg: 0 }, pagefault: 'enable' },
  { name: 'pte_kunmap', unmap: { kinds: ['persistent', 'atomic', 'nowait'], keyArg: 0 } },
  { name: 'pte_unmap', unmap: { kinds: ['atomic'], keyArg: 0 } },
  { name: 'pte_unmap_nested', unmap: { kinds: ['atomic'], keyArg: 0 } },
  { name: 'pte_unmap_unlock', unmap: { kinds: ['atomic'], keyArg: 0, alsoUnlocks: { arg: 1 } } },
  { name: 'kunmap_local', unmap: { kinds: ['local'], keyArg: 0 } },
];

// ---------------------------------------------------------------------------------------------
// Calls that may sleep
// ---------------------------------------------------------------------------------------------

function sleeper(why: string, ...names: string[]): CallSemantics[] {
  return names.map((name) => ({ name, sleeps: { why } }));
}

const SLEEPERS: CallSemantics[] = [
  // Called with IRQs off by design: an architecture's return-to-user loop (do_work_pending()),
  // the preemption of an interrupted kernel. What makes them wrong is a lock or preemption disabled.
  ...['schedule', 'preempt_schedule_irq'].map((name): CallSemantics => ({ name, sleeps: { why: 'schedules', withIrqsOff: true } })),
  ...sleeper('schedules', 'io_schedule'),
  ...sleeper(
    'sleeps until a timeout',
    'schedule_timeout',
    'schedule_timeout_interruptible',
    'schedule_timeout_uninterruptible',
    'schedule_timeout_killable',
    'schedule_timeout_idle',
    'schedule_hrtimeout',
    'schedule_hrtimeout_range',
    'io_schedule_timeout',
    'msleep',
    'msleep_interruptible',
    'ssleep',
    'usleep_range',
    'usleep_range_state',
    'fsleep',
  ),
  ...sleeper('might_sleep() says so', 'might_sleep'),
  ...sleeper('reschedules', 'cond_resched'),
  ...sleeper('sleeps on a wait queue', 'sleep_on', 'interruptible_sleep_on', 'sleep_on_timeout', 'interruptible_sleep_on_timeout'),
  ...sleeper('faults pages in', 'get_user_pages', 'get_user_pages_remote', 'get_user_pages_unlocked', 'pin_user_pages', 'pin_user_pages_remote', 'handle_mm_fault'),
  { name: 'cond_resched_lock', sleeps: { why: 'reschedules' }, dropsLock: { lock: ARG0 } },
  ...sleeper(
    'waits for an event',
    'wait_event',
    'wait_event_interruptible',
    'wait_event_timeout',
    'wait_event_interruptible_timeout',
    'wait_event_killable',
    'wait_event_killable_timeout',
    'wait_event_idle',
    'wait_event_idle_timeout',
    'wait_event_freezable',
    'wait_event_interruptible_exclusive',
    'wait_on_bit',
    'wait_on_bit_io',
  ),
  // wait_event_lock_irq(wq, cond, lock): sleeps with the lock dropped, retakes it before returning.
  { name: 'wait_event_lock_irq', sleeps: { why: 'waits for an event' }, dropsLock: { lock: { arg: 2, object: true } } },
  { name: 'wait_event_interruptible_lock_irq', sleeps: { why: 'waits for an event' }, dropsLock: { lock: { arg: 2, object: true } } },
  { name: 'wait_event_lock_irq_timeout', sleeps: { why: 'waits for an event' }, dropsLock: { lock: { arg: 2, object: true } } },
  { name: 'wait_event_interruptible_lock_irq_timeout', sleeps: { why: 'waits for an event' }, dropsLock: { lock: { arg: 2, object: true } } },
  // ..._cmd(wq, cond, lock, cmd): and runs cmd with the lock dropped (raid1's freeze_array() flushes its writes there).
  { name: 'wait_event_lock_irq_cmd', sleeps: { why: 'waits for an event' }, dropsLock: { lock: { arg: 2, object: true }, runsUnlocked: [3] } },
  { name: 'wait_event_interruptible_lock_irq_cmd', sleeps: { why: 'waits for an event' }, dropsLock: { lock: { arg: 2, object: true }, runsUnlocked: [3] } },
  ...sleeper(
    'waits for a completion',
    'wait_for_completion',
    'wait_for_completion_interruptible',
    'wait_for_completion_timeout',
    'wait_for_completion_interruptible_timeout',
    'wait_for_completion_killable',
    'wait_for_completion_killable_timeout',
    'wait_for_completion_io',
    'wait_for_completion_io_timeout',
  ),
  ...sleeper(
    'waits for an RCU grace period',
    'synchronize_rcu',
    'synchronize_rcu_expedited',
    'synchronize_srcu',
    'synchronize_net',
    'rcu_barrier',
  ),
  ...sleeper(
    'waits for queued work',
    'flush_work',
    'flush_delayed_work',
    'flush_workqueue',
    'flush_scheduled_work',
    'drain_workqueue',
    'destroy_workqueue',
    'cancel_work_sync',
    'cancel_delayed_work_sync',
  ),
  ...sleeper('waits for the thread to exit', 'kthread_stop'),
  ...sleeper('waits for running handlers', 'free_irq', 'disable_irq'),
  // vfree() is absent: it sleeps only outside interrupt context (might_sleep_if(!in_interrupt())).
  ...sleeper('vmalloc allocates with GFP_KERNEL', 'vmalloc', 'vzalloc', 'vmalloc_user', 'vmalloc_node', 'vzalloc_node', 'vmap'),
  ...sleeper('locks a page', 'lock_page', 'folio_lock', 'wait_on_page_locked', 'folio_wait_locked'),
  ...sleeper('waits for writeback', 'wait_on_page_writeback', 'folio_wait_writeback'),
  // The page cache lookup locks (FGP_LOCK) or allocates (FGP_CREAT) only when asked: find_get_page()
  // passes 0 and never sleeps, find_lock_page() passes FGP_LOCK (6.1 include/linux/pagemap.h).
  ...['__filemap_get_folio', 'pagecache_get_page'].map(
    (name): CallSemantics => ({ name, sleepsWithFlags: { arg: 2, flags: ['FGP_LOCK', 'FGP_CREAT'], prefix: 'FGP_', why: 'locks or allocates the page' } }),
  ),
  ...sleeper('locks a buffer', 'lock_buffer', 'wait_on_buffer'),
  // A full receive queue makes netlink_unicast() wait, for the sender's timeout, unless `nonblock`
  // (sock_sndtimeo(ssk, nonblock) is 0, and netlink_attachskb() returns -EAGAIN instead of
  // schedule_timeout()): nlmsg_unicast() passes MSG_DONTWAIT (6.1 net/netlink/af_netlink.c).
  { name: 'netlink_unicast', sleepsUnlessSet: { arg: 3, nonblocking: ['MSG_DONTWAIT'], why: 'waits for room in the receive queue' } },
  // User copies sleep only by faulting; with page faults disabled they fail fast instead.
  ...[
    'copy_from_user',
    'copy_to_user',
    '__copy_from_user',
    '__copy_to_user',
    'get_user',
    'put_user',
    '__get_user',
    '__put_user',
    'clear_user',
    '__clear_user',
    'strncpy_from_user',
    'strnlen_user',
    'might_fault',
  ].map((name): CallSemantics => ({ name, sleeps: { why: 'faults on user memory', byFault: true } })),
];

// ---------------------------------------------------------------------------------------------
// Allocators whose gfp argument decides
// ---------------------------------------------------------------------------------------------

/** `[name, index of the gfp argument]`, checked against the 6.1 headers. */
const GFP_ARGS: [string, number][] = [
  ['kmalloc', 1],
  ['kzalloc', 1],
  ['kmalloc_node', 1],
  ['kzalloc_node', 1],
  ['kcalloc', 2],
  ['kmalloc_array', 2],
  ['krealloc', 2],
  ['kmem_cache_alloc', 1],
  ['kmem_cache_zalloc', 1],
  ['kmem_cache_alloc_node', 1],
  ['kvmalloc', 1],
  ['kvzalloc', 1],
  ['kvcalloc', 2],
  ['kvmalloc_array', 2],
  ['__vmalloc', 1],
  ['kstrdup', 1],
  ['kstrndup', 2],
  ['kmemdup', 2],
  ['kmemdup_nul', 2],
  ['kasprintf', 0],
  ['devm_kzalloc', 2],
  ['devm_kmalloc', 2],
  ['mempool_alloc', 1],
  ['alloc_pages', 0],
  ['alloc_page', 0],
  ['__get_free_pages', 0],
  ['__get_free_page', 0],
  ['get_zeroed_page', 0],
  ['get_free_page', 0], // 2.4
  ['alloc_pages_node', 1],
  ['folio_alloc', 0],
  // The page allocator's own entry points: their bodies reach cond_resched() only when the mask allows reclaim.
  ['__alloc_pages', 0],
  ['__folio_alloc', 0],
  ['alloc_pages_vma', 0],
  ['vma_alloc_folio', 0],
  ['__alloc_pages_node', 1],
  ['__kmalloc', 1],
  ['__kmalloc_node', 1],
  ['kmem_cache_alloc_lru', 2],
  ['slab_alloc_node', 2],
  ['dma_alloc_coherent', 3],
  ['alloc_skb', 1],
  ['__alloc_skb', 1],
  ['skb_clone', 1],
  ['skb_copy', 1],
  ['pskb_expand_head', 3],
  ['idr_alloc', 4],
  ['ida_alloc', 1],
  ['ida_simple_get', 3],
  ['radix_tree_preload', 0],
  ['xa_store', 3],
  // Made to be called in interrupt context with GFP_ATOMIC; what its body reaches through the
  // root hub's control path (rh_call_control()'s might_sleep()) never runs for a device's URB.
  ['usb_submit_urb', 1],
];

const ALLOCATORS: CallSemantics[] = GFP_ARGS.map(([name, gfpArg]) => ({ name, gfpArg }));

/**
 * The gfp vocabulary of 2.4 and 6.x. A mask sleeps when it carries the direct-reclaim bit
 * (__GFP_DIRECT_RECLAIM, 2.4's __GFP_WAIT); `gfpMaySleep` (gfp.ts) evaluates `|`, `&` and `~` over it.
 * GFP_DMA and GFP_DMA32 are zone modifiers without that bit: alone they do not sleep.
 */
const GFP: GfpTable = {
  tests: ['gfpflags_allow_blocking(%)', '%&__GFP_DIRECT_RECLAIM', '%&__GFP_WAIT'],
  // pcpu_alloc(): `bool is_atomic = (gfp & GFP_KERNEL) != GFP_KERNEL;`, then `if (!is_atomic) mutex_lock(...)`.
  atomicTests: ['(%&GFP_KERNEL)!=GFP_KERNEL'],
  sleeping: [
    'GFP_KERNEL',
    'GFP_KERNEL_ACCOUNT',
    'GFP_USER',
    'GFP_NOFS',
    'GFP_NOIO',
    'GFP_HIGHUSER',
    'GFP_HIGHUSER_MOVABLE',
    'GFP_TRANSHUGE',
    'GFP_PGTABLE_KERNEL',
    'GFP_PGTABLE_USER',
    '__GFP_DIRECT_RECLAIM',
    '__GFP_RECLAIM',
    'GFP_TEMPORARY', // 2.6 - 4.14
    'GFP_IOFS', // 2.6
    // 2.4
    '__GFP_WAIT',
    'GFP_BUFFER',
    'GFP_NOHIGHIO',
    'GFP_KSWAPD',
    'SLAB_KERNEL',
    'SLAB_USER',
    'SLAB_NOFS',
    'SLAB_NOIO',
  ],
  nonSleeping: [
    'GFP_ATOMIC',
    'GFP_NOWAIT',
    'GFP_DMA',
    'GFP_DMA32',
    'GFP_TRANSHUGE_LIGHT',
    'SLAB_ATOMIC',
    '__GFP_ATOMIC',
    '__GFP_HIGH',
    '__GFP_KSWAPD_RECLAIM',
    '__GFP_ZERO',
    '__GFP_NOWARN',
    '__GFP_NORETRY',
    '__GFP_RETRY_MAYFAIL',
    '__GFP_NOFAIL',
    '__GFP_COMP',
    '__GFP_ACCOUNT',
    '__GFP_MEMALLOC',
    '__GFP_NOMEMALLOC',
    '__GFP_THISNODE',
    '__GFP_HARDWALL',
    '__GFP_MOVABLE',
    '__GFP_RECLAIMABLE',
    '__GFP_WRITE',
    '__GFP_IO',
    '__GFP_FS',
    '__GFP_DMA',
    '__GFP_DMA32',
    '__GFP_HIGHMEM',
    '__GFP_HIGHIO',
    '__GFP_NOLOCKDEP',
  ],
  atomicMask: 'GFP_ATOMIC',
};

// ---------------------------------------------------------------------------------------------
// Functions the kernel calls back in atomic context
// ---------------------------------------------------------------------------------------------

function registers(name: string, fnArg: number, context: AtomicKind, what: string, extra: Partial<CallSemantics> = {}): CallSemantics {
  return { name, registersCallback: { fnArg, context, what }, ...extra };
}

const IRQ_SETUP_SLEEPS = { sleeps: { why: 'IRQ setup allocates and takes a mutex' } };

const CALLBACK_REGISTRATIONS: CallSemantics[] = [
  registers('timer_setup', 1, 'timer', 'timer callback'),
  registers('timer_setup_on_stack', 1, 'timer', 'timer callback'),
  registers('setup_timer', 1, 'timer', 'timer callback'), // 2.6 - 4.14
  registers('hrtimer_setup', 1, 'hardirq', 'hrtimer callback'), // 6.13+
  registers('request_irq', 1, 'hardirq', 'interrupt handler', IRQ_SETUP_SLEEPS),
  // Only the primary handler runs in hard-IRQ context; the thread function (argument 2) may sleep.
  registers('request_threaded_irq', 1, 'hardirq', 'interrupt handler', IRQ_SETUP_SLEEPS),
  registers('devm_request_irq', 2, 'hardirq', 'interrupt handler', IRQ_SETUP_SLEEPS),
  registers('devm_request_threaded_irq', 2, 'hardirq', 'interrupt handler', IRQ_SETUP_SLEEPS),
  registers('request_percpu_irq', 1, 'hardirq', 'interrupt handler', IRQ_SETUP_SLEEPS),
  registers('tasklet_init', 1, 'tasklet', 'tasklet'),
  registers('tasklet_setup', 1, 'tasklet', 'tasklet'),
  registers('open_softirq', 1, 'softirq', 'softirq action'),
  registers('call_rcu', 1, 'softirq', 'RCU callback'),
  registers('netif_napi_add', 2, 'softirq', 'NAPI poll'),
  registers('netif_napi_add_weight', 2, 'softirq', 'NAPI poll'),
];

/**
 * Fields whose function the kernel calls in atomic context. Source of the net_device_ops rows:
 * the "Context:" lines of Documentation/networking/netdevices.rst (6.1): ndo_start_xmit "Process
 * with BHs disabled or BH (timer)", ndo_tx_timeout and ndo_set_rx_mode "BHs disabled", ndo_get_stats
 * "atomic (can't sleep under rwlock or RCU)" (ndo_get_stats64 is reached through the same
 * dev_get_stats()). `.function` of timer_list and hrtimer rows carry a struct type and must match
 * only when the struct type is known: the field name alone is far too common to mean a timer.
 */
const CALLBACK_FIELDS: CallbackField[] = [
  { field: 'ndo_start_xmit', structType: 'net_device_ops', context: 'bh', what: 'ndo_start_xmit (BHs disabled)' },
  { field: 'ndo_tx_timeout', structType: 'net_device_ops', context: 'bh', what: 'ndo_tx_timeout (BHs disabled)' },
  { field: 'ndo_set_rx_mode', structType: 'net_device_ops', context: 'bh', what: 'ndo_set_rx_mode (BHs disabled)' },
  { field: 'ndo_get_stats64', structType: 'net_device_ops', context: 'rcu', what: 'ndo_get_stats64 (RCU or dev_base_lock)' },
  { field: 'ndo_get_stats', structType: 'net_device_ops', context: 'rcu', what: 'ndo_get_stats (RCU or dev_base_lock)' },
  { field: 'function', structType: 'timer_list', context: 'timer', what: 'timer callback' },
  { field: 'function', structType: 'hrtimer', context: 'hardirq', what: 'hrtimer callback' },
];

// ---------------------------------------------------------------------------------------------
// Annotations that are calls
// ---------------------------------------------------------------------------------------------

const ASSERTIONS: CallSemantics[] = [
  { name: 'lockdep_assert_held', assertsHeld: ARG0 },
  { name: 'lockdep_assert_held_once', assertsHeld: ARG0 },
  { name: 'lockdep_assert_held_write', assertsHeld: ARG0 },
  { name: 'lockdep_assert_held_read', assertsHeld: ARG0 },
  { name: 'assert_spin_locked', assertsHeld: ARG0 },
  { name: 'assert_raw_spin_locked', assertsHeld: ARG0 },
  { name: 'lockdep_assert_irqs_disabled', assertsAtomic: 'irq' },
  { name: 'lockdep_assert_preemption_disabled', assertsAtomic: 'preempt' },
  { name: 'lockdep_assert_in_softirq', assertsAtomic: 'softirq' },
  { name: 'cant_sleep', assertsAtomic: 'preempt' },
];

// ---------------------------------------------------------------------------------------------
// Scope-bound guards (include/linux/cleanup.h and the DEFINE_*GUARD lines of the lock headers)
// ---------------------------------------------------------------------------------------------

function guardLock(name: string, cls: LockClass, irq?: Irq): GuardClass {
  return { name, lock: irq ? { class: cls, irq } : { class: cls } };
}

const GUARD_CLASSES: GuardClass[] = [
  guardLock('spinlock', 'spin'),
  guardLock('spinlock_irq', 'spin', 'irq'),
  guardLock('spinlock_irqsave', 'spin', 'irqsave'),
  guardLock('spinlock_bh', 'spin', 'bh'),
  guardLock('raw_spinlock', 'raw_spin'),
  guardLock('raw_spinlock_irq', 'raw_spin', 'irq'),
  guardLock('raw_spinlock_irqsave', 'raw_spin', 'irqsave'),
  guardLock('raw_spinlock_nested', 'raw_spin'),
  guardLock('read_lock', 'rwlock'),
  guardLock('read_lock_irq', 'rwlock', 'irq'),
  guardLock('read_lock_irqsave', 'rwlock', 'irqsave'),
  guardLock('write_lock', 'rwlock'),
  guardLock('write_lock_irq', 'rwlock', 'irq'),
  guardLock('write_lock_irqsave', 'rwlock', 'irqsave'),
  { name: 'rcu', atomic: 'rcu' },
  { name: 'preempt', atomic: 'preempt' },
  { name: 'preempt_notrace', atomic: 'preempt' },
  { name: 'irq', atomic: 'irq' },
  { name: 'irqsave', atomic: 'irq' },
  { ...guardLock('mutex', 'mutex'), sleeps: { why: 'mutex' } },
  { ...guardLock('rwsem_read', 'rwsem'), sleeps: { why: 'rw semaphore' } },
  { ...guardLock('rwsem_write', 'rwsem'), sleeps: { why: 'rw semaphore' } },
];

/**
 * Lock names that say their class, for locks only a comment names ("Called with mm->mmap_lock
 * held"). A suffix starting with `_` matches any name ending with it (`state_mutex`); any other
 * suffix matches a whole name or a last field (`d_lock` matches `dentry->d_lock`, not `bad_lock`).
 * First match wins. The named locks are well-known kernel locks whose type was checked in 6.1
 * (and 2.4 for pagecache_lock and pagemap_lru_lock).
 */
const LOCK_NAMES: { suffix: string; class: LockClass }[] = [
  // By naming convention.
  { suffix: 'mmap_lock', class: 'rwsem' },
  { suffix: 'mmap_sem', class: 'rwsem' },
  { suffix: 'rwsem', class: 'rwsem' },
  { suffix: '_rwsem', class: 'rwsem' },
  { suffix: '_sem', class: 'rwsem' },
  { suffix: 'mutex', class: 'mutex' },
  { suffix: '_mutex', class: 'mutex' },
  { suffix: '_mtx', class: 'mutex' },
  { suffix: 'mtx', class: 'mutex' },
  { suffix: 'page_table_lock', class: 'spin' },
  { suffix: 'ptl', class: 'spin' },
  { suffix: '_spinlock', class: 'spin' },
  // Well-known locks.
  { suffix: 'invalidate_lock', class: 'rwsem' },
  { suffix: 'mount_lock', class: 'seqlock' },
  { suffix: 'rename_lock', class: 'seqlock' },
  { suffix: 'oom_lock', class: 'mutex' },
  { suffix: 'tasklist_lock', class: 'rwlock' },
  { suffix: 'd_lock', class: 'spin' },
  { suffix: 'i_lock', class: 'spin' },
  { suffix: 'siglock', class: 'spin' },
  { suffix: 'f_lock', class: 'spin' },
  { suffix: 'file_lock', class: 'spin' },
  { suffix: 'list_lock', class: 'spin' },
  { suffix: 'lru_lock', class: 'spin' },
  { suffix: 'private_lock', class: 'spin' },
  { suffix: 'hugetlb_lock', class: 'spin' },
  { suffix: 'inode_hash_lock', class: 'spin' },
  { suffix: 'sb_lock', class: 'spin' },
  { suffix: 'flc_lock', class: 'spin' },
  { suffix: 'blocked_lock_lock', class: 'spin' },
  { suffix: 'swap_lock', class: 'spin' },
  { suffix: 'mmlist_lock', class: 'spin' },
  { suffix: 'pagecache_lock', class: 'spin' },
  { suffix: 'pagemap_lru_lock', class: 'spin' },
];

/**
 * Calls that look like locks to the annotations of their own definitions but are not atomic: an SRCU
 * read-side section may sleep (that is what SRCU is for), yet `srcu_read_lock(ssp)` is declared
 * `__acquires(ssp)` in include/linux/srcu.h. A row without semantics keeps the header's annotation
 * from making it a spinlock.
 */
const NOT_ATOMIC: CallSemantics[] = ['srcu_read_lock', 'srcu_read_unlock', 'srcu_read_lock_nmisafe', 'srcu_read_unlock_nmisafe', 'srcu_down_read', 'srcu_up_read'].map((name) => ({ name }));

/**
 * include/linux/refcount.h: references counted on the `refcount_t` an argument points to. Only
 * refcount_t, which counts an object's users: an `atomic_t` also counts work in flight, where the
 * submitter's increment is handed to the I/O and its own decrement may well be the last.
 * kref_get() and kref_put() are left to their bodies in kref.h, which count on `kref->refcount`.
 */
const reference = (name: string, arg: number, does: 'get' | 'put' | 'putTest'): CallSemantics => ({ name, reference: { arg, does } });
const REFERENCES: CallSemantics[] = [
  ...['refcount_inc', '__refcount_inc'].map((name) => reference(name, 0, 'get')),
  ...['refcount_add', '__refcount_add'].map((name) => reference(name, 1, 'get')),
  ...['refcount_dec', '__refcount_dec'].map((name) => reference(name, 0, 'put')),
  ...['refcount_dec_and_test', '__refcount_dec_and_test'].map((name) => reference(name, 0, 'putTest')),
  ...['refcount_sub_and_test', '__refcount_sub_and_test'].map((name) => reference(name, 1, 'putTest')),
];

/**
 * Functions whose bodies look as if they could sleep but do not, in ways kpath cannot see: their
 * rows stand for the bodies. On the whole 6.1 tree the first two were the last steps of 11,000 of
 * 17,000 reports (every kfree() and page free under a lock, through the sanitizer hooks).
 */
const NEVER_SLEEPS: CallSemantics[] = [
  // KMSAN's hook clears __GFP_DIRECT_RECLAIM from the flags before the stack depot allocates
  // ("Don't sleep"), a masking kpath does not track; KMSAN is a debugging build anyway.
  { name: 'kmsan_save_stack_with_flags', neverSleeps: true },
  // Does not return; the console flushing on its way down is no sleep under the caller's lock.
  { name: 'panic', neverSleeps: true, neverReturns: true },
  // The oops path (die() -> make_task_dead()): it panics in an interrupt, and otherwise resets the
  // preempt count itself before do_exit() (the task is dying with whatever it held). An
  // architecture's die() from an interrupt handler made every sleep of do_exit() a report.
  { name: 'make_task_dead', neverSleeps: true, neverReturns: true },
  // CONFIG_DEBUG_PAGEALLOC's unmapping of freed pages: it maps the direct map with 4K pages, so
  // x86's change_page_attr() never splits a large page (and never allocates) on this path. Once
  // generic code resolved to x86's definition, 8,942 of 12,655 whole-tree reports went through it.
  { name: '__kernel_map_pages', neverSleeps: true },
  // Start their mapping iterator with SG_MITER_ATOMIC, so sg_miter_next() takes kmap_atomic(),
  // not kmap(): a flag kpath does not carry through the iterator's structure. SCSI drivers copy
  // under their host lock with these.
  { name: 'sg_copy_buffer', neverSleeps: true },
  { name: 'sg_zero_buffer', neverSleeps: true },
  // The same flag, set by the driver's sg_miter_start() in its request path and read by
  // sg_miter_next() in its interrupt handler: another function, often another callback. Every one
  // of the 17 whole-tree reports through it (MMC hosts, musb, dummy_hcd, TCMU) started the
  // iterator with SG_MITER_ATOMIC; a driver that forgets the flag is missed.
  { name: 'sg_miter_next', neverSleeps: true },
  // Waits only while an earlier switch to atomic mode is still in flight, which callers ensure
  // is not the case ("this function can be called from any context", lib/percpu-refcount.c):
  // percpu_ref_kill() under the queue lock (blk-cgroup), the writeback lock (backing-dev), the
  // md device's lock. percpu_ref_switch_to_atomic_sync() still waits, in its own body.
  { name: '__percpu_ref_switch_mode', neverSleeps: true },
  // Waits for the transmission only when the client asked to block (`cl->tx_block`), which a
  // client sending from atomic context does not: the 7 whole-tree reports through it (qcom glink,
  // smd, smp2p, bcm-sba-raid, tegra bpmp) were all of clients leaving it false.
  { name: 'mbox_send_message', neverSleeps: true },
  // The oops path's console unblanking: bust_spinlocks(0) calls console_unblank() before it lowers
  // oops_in_progress, and with an oops in progress console_unblank() only tries the console lock
  // (a global kpath does not follow). Architectures' die() call it under their die_lock.
  { name: 'bust_spinlocks', neverSleeps: true },
  // ACPI's register access maps a register it has not seen (ioremap, which allocates), but the
  // registers read in interrupts and under ACPICA's raw hardware lock are mapped once at boot
  // (acpi_os_map_generic_address() for the FADT's, apei_map_generic_address() for APEI's): the
  // lookup finds them. 7 whole-tree reports came through this fallback (PCC, RTC, C3, GHES).
  { name: 'acpi_os_read_memory', neverSleeps: true },
  { name: 'acpi_os_write_memory', neverSleeps: true },
];

/**
 * Calls that do not return (`__noreturn` in the kernel's headers): what a path holds after one is
 * no leak, and a sleep after one does not happen. reiserfs's flush_journal_list() returns after
 * reiserfs_panic() with its flush mutex held, a return no task reaches.
 */
const NEVER_RETURNS: CallSemantics[] = ['BUG', 'do_exit', 'kthread_exit', 'kthread_complete_and_exit', '__module_put_and_kthread_exit', 'do_group_exit', '__reiserfs_panic', 'usercopy_abort', '__stack_chk_fail'].map((name) => ({ name, neverReturns: true }));

/**
 * include/linux/preempt.h: `in_interrupt()` counts hard IRQs, softirqs (timers and tasklets run as
 * softirqs) and bottom halves disabled; `in_task()` is none of the first three. `irqs_disabled()`
 * holds where interrupts are off, in a hard-IRQ handler too, and under a lock taken with
 * `spin_lock_irqsave()` (a `_bh` take is a `bh` section: state.ts's `inContextOf`).
 */
const SOFTIRQS: AtomicKind[] = ['softirq', 'timer', 'tasklet'];
const CONTEXT_TESTS: KernelApi['contextTests'] = [
  { test: 'in_interrupt()', is: true, in: ['hardirq', ...SOFTIRQS, 'bh'] },
  { test: 'in_irq()', is: true, in: ['hardirq'] },
  { test: 'in_hardirq()', is: true, in: ['hardirq'] },
  { test: 'in_softirq()', is: true, in: [...SOFTIRQS, 'bh'] },
  { test: 'in_serving_softirq()', is: true, in: SOFTIRQS },
  { test: 'in_task()', is: false, in: ['hardirq', ...SOFTIRQS] },
  { test: 'irqs_disabled()', is: true, in: ['irq', 'hardirq'] },
  // Not 'preempt' nor a plain spinlock: a kernel without CONFIG_PREEMPT_COUNT does not count them,
  // which is why the kernel tells drivers not to ask (i915's `not_atomic` has a FIXME saying so).
  { test: 'in_atomic()', is: true, in: ['hardirq', ...SOFTIRQS, 'bh'] },
];

export const DEFAULT_API: KernelApi = {
  calls: [
    ...NOT_ATOMIC,
    ...NEVER_SLEEPS,
    ...NEVER_RETURNS,
    ...LOCKS,
    ...ATOMIC_CONTEXTS,
    ...MAPPERS,
    ...SLEEPERS,
    ...ALLOCATORS,
    ...CALLBACK_REGISTRATIONS,
    ...ASSERTIONS,
    ...REFERENCES,
  ],
  gfp: GFP,
  serieOrder: ['PAGETABLE2', 'PAGETABLE', 'DEFAULT'],
  guards: { curried: ['guard'], scoped: ['scoped_guard'], classes: GUARD_CLASSES },
  callbackFields: CALLBACK_FIELDS,
  calledByBusCore: [
    'acpi_driver', 'amba_driver', 'auxiliary_driver', 'bcma_driver', 'ccw_driver', 'device_driver', 'eisa_driver', 'fsl_mc_driver',
    'gameport_driver', 'hid_driver', 'hv_driver', 'i2c_driver', 'ishtp_cl_driver', 'mdio_driver', 'mei_cl_driver', 'memstick_driver',
    'mmc_driver', 'parisc_driver', 'pci_driver', 'pcie_port_service_driver', 'pcmcia_driver', 'platform_driver', 'pnp_driver',
    'rpmsg_driver', 'scmi_driver', 'sdio_driver', 'sdw_driver', 'serio_driver', 'spi_driver', 'ssb_driver', 'tee_client_driver',
    'usb_device_driver', 'usb_driver', 'vio_driver', 'virtio_driver', 'xenbus_driver', 'zorro_driver',
  ],
  lockNames: LOCK_NAMES,
  warnings: ['WARN_ON', 'WARN_ON_ONCE', 'WARN', 'WARN_ONCE'],
  // Kernel naming: unlock_page_lruvec_irq(lruvec), folio_lruvec_relock_irq(folio, lruvec), z3fold_page_unlock(zhdr).
  unknownReleaserWords: ['unlock', 'relock'],
  genericLockFields: ['lock', 'mutex', 'sem', 'rwsem', 'spinlock', 'rwlock', 'seqlock', 'mtx', 'lck', 'slock', 'list_lock', 'lru_lock', 'wait_lock'],
  sleepableTests: ['preemptible()', '->nonatomic'],
  afterBoot: { after_bootmem: true },
  contextTests: CONTEXT_TESTS,
  errorPointerTests: ['IS_ERR', 'IS_ERR_OR_NULL'],
  // include/uapi/asm-generic/errno.h
  errnoAliases: { EWOULDBLOCK: 'EAGAIN', EDEADLOCK: 'EDEADLK' },
  errorPointerMakers: ['ERR_PTR', 'ERR_CAST'],
  separateCode: {
    architectures: '(?:^|/)arch/([^/]+)/',
    // <asm/io.h> of the architecture: MIPS's `#define ioremap(offset, size)` is no call of UML's ioremap().
    archHeaders: '(?:^|/)arch/([^/]+)/include/asm/[^/]+\\.h$',
    // CONFIG_INDIRECT_IOMEM, selected by UML only: its ioremap() takes a mutex, MIPS's is a macro.
    builtOnlyFor: { um: ['(?:^|/)lib/logic_iomem\\.c$'] },
    userSpace: ['(?:^|/)tools/', '(?:^|/)arch/um/os-Linux/', '(?:^|/)arch/um/.*_user\\.c$'],
    // drivers/ufs/, fs/ext4/, net/ipv4/, arch/x86/; the other top-level folders are one each (mm/).
    // include/ is one too: a header's helper calling through a field has no subsystem to look in.
    subsystems: '(?:^|/)((?:arch|drivers|fs|net|sound)/[^/]+/|(?:block|certs|crypto|include|init|io_uring|ipc|kernel|lib|mm|samples|security|virt)/)',
  },
};
