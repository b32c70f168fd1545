import { describe, expect, test } from 'vitest';
import { DEFAULT_API, indexApi } from '../../server/src/engine/kernel/index';

const api = indexApi(DEFAULT_API);

describe('locks', () => {
  test('spin_lock_irqsave takes its first argument, irqsave', () => {
    expect(api.call('spin_lock_irqsave')).toEqual({ name: 'spin_lock_irqsave', acquire: { lock: { arg: 0 }, class: 'spin', irq: 'irqsave' } });
    expect(api.call('spin_unlock_irqrestore')).toEqual({ name: 'spin_unlock_irqrestore', release: { lock: { arg: 0 }, class: 'spin', restores: 'irq' } });
    // the plain unlock restores nothing; the _bh one turns bottom halves back on
    expect(api.call('spin_unlock')?.release).toEqual({ lock: { arg: 0 }, class: 'spin' });
    expect(api.call('spin_unlock_bh')?.release).toEqual({ lock: { arg: 0 }, class: 'spin', restores: 'bh' });
  });
  test('spin_trylock is held only when it returns true', () => {
    expect(api.call('spin_trylock')?.acquire).toEqual({ lock: { arg: 0 }, class: 'spin', conditional: true });
    expect(api.call('raw_spin_trylock_irqsave')?.acquire).toEqual({ lock: { arg: 0 }, class: 'raw_spin', conditional: true, irq: 'irqsave' });
  });
  test('read/write locks and raw spinlocks have their own class', () => {
    expect(api.call('read_lock_bh')?.acquire).toEqual({ lock: { arg: 0 }, class: 'rwlock', irq: 'bh' });
    expect(api.call('write_unlock_irq')?.release).toEqual({ lock: { arg: 0 }, class: 'rwlock', restores: 'irq' });
    expect(api.call('raw_spin_lock')?.acquire?.class).toBe('raw_spin');
  });
  test('bit_spin_lock is named by the word, argument 1', () => {
    expect(api.call('bit_spin_lock')?.acquire).toEqual({ lock: { arg: 1 }, class: 'bit_spin' });
    expect(api.call('bit_spin_unlock')?.release).toEqual({ lock: { arg: 1 }, class: 'bit_spin' });
  });
  test('pmd_lock takes the lock it returns; pmd_trans_huge_lock only when it returns non-NULL', () => {
    expect(api.call('pmd_lock')?.acquire).toEqual({ lock: { arg: -1, result: true }, class: 'spin' });
    expect(api.call('pmd_trans_huge_lock')?.acquire).toEqual({ lock: { arg: -1, result: true }, class: 'spin', conditional: true });
  });
  test('the branch a firing warning takes is left out, unless the tables drop the macro from `warnings`', () => {
    expect(DEFAULT_API.warnings).toEqual(['WARN_ON', 'WARN_ON_ONCE', 'WARN', 'WARN_ONCE']);
    expect(api.exploresWarning('WARN_ON_ONCE')).toBe(false);
    expect(indexApi({ ...DEFAULT_API, warnings: ['WARN'] }).exploresWarning('WARN_ON_ONCE')).toBe(true);
  });
  test('atomic_dec_and_lock takes its second argument on success', () => {
    expect(api.call('atomic_dec_and_lock')?.acquire).toEqual({ lock: { arg: 1 }, class: 'spin', conditional: true });
  });
  test('sleeping locks sleep; trylocks do not', () => {
    expect(api.call('mutex_lock')).toEqual({ name: 'mutex_lock', acquire: { lock: { arg: 0 }, class: 'mutex' }, sleeps: { why: 'mutex' } });
    expect(api.call('mutex_trylock')).toEqual({ name: 'mutex_trylock', acquire: { lock: { arg: 0 }, class: 'mutex', conditional: true } });
    expect(api.call('down_write')?.sleeps).toEqual({ why: 'rw semaphore' });
    expect(api.call('down_read_trylock')?.sleeps).toBeUndefined();
  });
  test('lock calls returning 0 on success are conditional with heldWhenZero', () => {
    expect(api.call('mutex_lock_interruptible')?.acquire).toEqual({ lock: { arg: 0 }, class: 'mutex', conditional: true, heldWhenZero: true });
    expect(api.call('down_trylock')?.acquire).toEqual({ lock: { arg: 0 }, class: 'semaphore', conditional: true, heldWhenZero: true });
    expect(api.call('down_read_killable')?.acquire).toEqual({ lock: { arg: 0 }, class: 'rwsem', conditional: true, heldWhenZero: true, shared: true });
    expect(api.call('down_trylock')?.sleeps).toBeUndefined();
  });
  test('mmap_read_lock sleeps but is not balance-tracked (callees drop it through an out-parameter)', () => {
    expect(api.call('mmap_read_lock')).toEqual({ name: 'mmap_read_lock', sleeps: { why: 'mmap_lock' } });
    expect(api.call('mmap_read_unlock')).toBeUndefined();
  });
  test('the big kernel lock is not a spinlock here', () => {
    expect(api.call('lock_kernel')).toBeUndefined();
  });
});

describe('atomic contexts', () => {
  test.each([
    ['preempt_disable', 'preempt'],
    ['local_irq_save', 'irq'],
    ['local_bh_disable', 'bh'],
    ['rcu_read_lock', 'rcu'],
    ['rcu_read_lock_bh', 'rcu'],
  ])('%s enters %s', (name, kind) => {
    expect(api.call(name)?.atomicEnter).toBe(kind);
  });
  test('the exits match', () => {
    expect(api.call('local_irq_restore')?.atomicExit).toBe('irq');
    expect(api.call('rcu_read_unlock_sched')?.atomicExit).toBe('rcu');
  });
  test('pagefault_disable is not atomic by itself', () => {
    expect(api.call('pagefault_disable')).toEqual({ name: 'pagefault_disable', pagefault: 'disable' });
    expect(api.call('copy_from_user')?.sleeps).toEqual({ why: 'faults on user memory', byFault: true });
  });
});

describe('mappers', () => {
  test('kmap: persistent DEFAULT, blocks, keyed by its page, released by kunmap, fixed by kmap_local_page', () => {
    expect(api.call('kmap')).toEqual({
      name: 'kmap',
      map: { kind: 'persistent', serie: 'DEFAULT', blocks: true, key: { arg: 0 }, releasedBy: ['kunmap'] },
      atomicAlternative: {
        name: 'kmap_local_page',
        note: 'a CPU-local map that never blocks; released by kunmap_local',
        releaseRename: { from: 'kunmap', to: 'kunmap_local' },
      },
    });
  });
  test('pte_offset: PAGETABLE, keyed by its result; two fixes', () => {
    expect(api.call('pte_offset')?.map).toEqual({ kind: 'persistent', serie: 'PAGETABLE', blocks: true, key: 'result', releasedBy: ['pte_kunmap'] });
    expect(api.alternatives('pte_offset')).toEqual([
      { name: 'pte_offset_atomic', note: 'an atomic kmap that never blocks; still released by pte_kunmap' },
      {
        name: 'pte_offset_under_lock',
        note: 'drops the page table lock while it waits; right only when that is the one lock held',
        appendLockOwner: { field: 'page_table_lock' },
      },
    ]);
    expect(api.alternatives('pte_offset2').map((a) => a.name)).toEqual(['pte_offset_atomic2']);
    expect(api.alternatives('pte_offset_atomic')).toEqual([]);
  });
  test('pte_offset2 is the PAGETABLE2 serie', () => {
    expect(api.call('pte_offset2')?.map?.serie).toBe('PAGETABLE2');
    expect(api.call('kmap_pagetable2')?.map?.serie).toBe('PAGETABLE2');
  });
  test('pte_offset_under_lock drops mm->page_table_lock (argument 2)', () => {
    expect(api.call('pte_offset_under_lock')?.dropsLock).toEqual({ lock: { arg: 2, field: 'page_table_lock' } });
    expect(api.call('pte_offset_under_lock')?.map?.blocks).toBe(true);
  });
  test('atomic pte maps never block', () => {
    for (const name of ['pte_offset_atomic', 'pte_offset_atomic2', 'pte_offset_atomic_irq']) {
      expect(api.call(name)?.map).toEqual({ kind: 'atomic', blocks: false, key: 'result', releasedBy: ['pte_kunmap'] });
    }
    expect(api.call('pte_offset_nowait')?.map?.kind).toBe('nowait');
    expect(api.call('pte_offset_lowmem')?.map?.kind).toBe('none');
    expect(api.call('kmap_atomic')?.map).toEqual({ kind: 'atomic', blocks: false, key: 'result', releasedBy: ['kunmap_atomic'] });
    expect(api.call('kmap_atomic')?.pagefault).toBe('disable');
    expect(api.call('kunmap_atomic')?.pagefault).toBe('enable');
    expect(api.call('kmap_local_page')?.pagefault).toBeUndefined();
  });
  test('pte_alloc means different things with 3 arguments (2.4) and 2 (6.x)', () => {
    expect(api.call('pte_alloc', 3)).toEqual({
      name: 'pte_alloc',
      arity: 3,
      map: { kind: 'persistent', serie: 'PAGETABLE', blocks: true, key: 'result', releasedBy: ['pte_kunmap'] },
      sleeps: { why: 'allocates a page table with GFP_KERNEL' },
      dropsLock: { lock: { arg: 0, field: 'page_table_lock' } },
    });
    expect(api.call('pte_alloc', 2)).toEqual({ name: 'pte_alloc', arity: 2, sleeps: { why: 'allocates a page table with GFP_KERNEL' } });
    expect(api.call('pte_alloc', 5)).toBeUndefined();
    expect(api.call('pmd_alloc', 3)?.dropsLock).toEqual({ lock: { arg: 0, field: 'page_table_lock' } });
  });
  test('pte_offset_map_lock maps (where HIGHPTE may be on: x86, arm) and takes the lock named by &ptl, argument 3', () => {
    expect(api.call('pte_offset_map_lock')?.map).toEqual({
      kind: 'atomic',
      blocks: false,
      key: 'result',
      releasedBy: ['pte_unmap_unlock'],
      alsoLocks: { arg: 3 },
      onlyOn: ['x86', 'arm'],
    });
    expect(api.call('pte_unmap_unlock')?.unmap).toEqual({ kinds: ['atomic'], keyArg: 0, alsoUnlocks: { arg: 1 } });
    expect(api.call('pte_alloc_map_lock')?.sleeps).toEqual({ why: 'allocates a page table with GFP_KERNEL' });
  });
  test('local maps and their unmapper', () => {
    expect(api.call('kmap_local_page')?.map).toEqual({ kind: 'local', blocks: false, key: 'result', releasedBy: ['kunmap_local'] });
    expect(api.call('kunmap_local')?.unmap).toEqual({ kinds: ['local'], keyArg: 0 });
    expect(api.call('pte_kunmap')?.unmap).toEqual({ kinds: ['persistent', 'atomic', 'nowait'], keyArg: 0 });
  });
  test('pte_offset_kernel maps nothing', () => {
    expect(api.call('pte_offset_kernel')?.map?.kind).toBe('none');
  });
});

describe('sleepers and allocators', () => {
  test.each([
    ['msleep', 'sleeps until a timeout'],
    ['wait_for_completion_timeout', 'waits for a completion'],
    ['synchronize_rcu', 'waits for an RCU grace period'],
    ['cancel_work_sync', 'waits for queued work'],
    ['disable_irq', 'waits for running handlers'],
    ['might_sleep', 'might_sleep() says so'],
  ])('%s may sleep (%s)', (name, why) => {
    expect(api.call(name)?.sleeps).toEqual({ why });
  });
  test('disable_irq_nosync and del_timer_sync do not sleep', () => {
    expect(api.call('disable_irq_nosync')).toBeUndefined();
    expect(api.call('del_timer_sync')).toBeUndefined();
  });
  test('cond_resched_lock drops its lock argument', () => {
    expect(api.call('cond_resched_lock')).toEqual({ name: 'cond_resched_lock', sleeps: { why: 'reschedules' }, dropsLock: { lock: { arg: 0 } } });
  });
  test.each([
    ['kmalloc', 1],
    ['kcalloc', 2],
    ['krealloc', 2],
    ['alloc_pages', 0],
    ['alloc_pages_node', 1],
    ['dma_alloc_coherent', 3],
    ['idr_alloc', 4],
    ['kmem_cache_alloc', 1],
    ['devm_kzalloc', 2],
  ])('%s takes its gfp mask as argument %i', (name, arg) => {
    expect(api.call(name)?.gfpArg).toBe(arg);
  });
});

describe('callbacks, assertions, guards, series', () => {
  test('registrations', () => {
    expect(api.call('timer_setup')?.registersCallback).toEqual({ fnArg: 1, context: 'timer', what: 'timer callback' });
    expect(api.call('devm_request_irq')?.registersCallback).toEqual({ fnArg: 2, context: 'hardirq', what: 'interrupt handler' });
    expect(api.call('request_irq')?.sleeps).toEqual({ why: 'IRQ setup allocates and takes a mutex' });
    expect(api.call('request_threaded_irq')?.registersCallback?.fnArg).toBe(1);
  });
  test('callback fields match their struct type when the row has one', () => {
    expect(api.callbackField('ndo_start_xmit', 'net_device_ops')?.context).toBe('bh');
    expect(api.callbackField('function', 'hrtimer')?.context).toBe('hardirq');
    expect(api.callbackField('function', undefined)).toBeUndefined();
    expect(api.callbackField('function', 'work_struct')).toBeUndefined();
  });
  test('lockdep_assert_held asserts its argument is held', () => {
    expect(api.call('lockdep_assert_held')).toEqual({ name: 'lockdep_assert_held', assertsHeld: { arg: 0 } });
    expect(api.call('lockdep_assert_irqs_disabled')?.assertsAtomic).toBe('irq');
  });
  test('guards', () => {
    expect(api.isCurriedGuard('guard')).toBe(true);
    expect(api.isScopedGuard('scoped_guard')).toBe(true);
    expect(api.isScopedGuard('guard')).toBe(false);
    expect(api.guardClass('spinlock_irqsave')).toEqual({ name: 'spinlock_irqsave', lock: { class: 'spin', irq: 'irqsave' } });
    expect(api.guardClass('rcu')).toEqual({ name: 'rcu', atomic: 'rcu' });
    expect(api.guardClass('mutex')).toEqual({ name: 'mutex', lock: { class: 'mutex' }, sleeps: { why: 'mutex' } });
    expect(api.guardClass('nosuch')).toBeUndefined();
  });
  test('serie ranks follow PAGETABLE2, PAGETABLE, DEFAULT; unknown series rank last', () => {
    expect(['PAGETABLE2', 'PAGETABLE', 'DEFAULT', 'MINE'].map((s) => api.serieRank(s))).toEqual([0, 1, 2, 3]);
  });
  test('lock classes from names', () => {
    expect(api.lockClassByName('mm->mmap_lock')).toBe('rwsem');
    expect(api.lockClassByName('dev->mutex')).toBe('mutex');
    expect(api.lockClassByName('dst->page_table_lock')).toBe('spin');
    expect(api.lockClassByName('zone->lock')).toBeUndefined();
    expect(api.lockClassByName('dev->state_mutex')).toBe('mutex');
    expect(api.lockClassByName('dentry->d_lock')).toBe('spin');
    expect(api.lockClassByName('d_lock')).toBe('spin');
    expect(api.lockClassByName('bad_lock')).toBeUndefined();
    expect(api.lockClassByName('tasklist_lock')).toBe('rwlock');
    expect(api.lockClassByName('mapping->i_mmap_rwsem')).toBe('rwsem');
  });
  test('unknown calls are undefined', () => {
    expect(api.call('printk')).toBeUndefined();
  });
});

describe('the table itself', () => {
  test('no two rows share a name and an arity', () => {
    const seen = new Set<string>();
    const dups: string[] = [];
    for (const row of DEFAULT_API.calls) {
      const key = `${row.name}/${row.arity ?? '*'}`;
      if (seen.has(key)) dups.push(key);
      seen.add(key);
    }
    expect(dups).toEqual([]);
  });
  test('no gfp flag is both sleeping and not', () => {
    expect(DEFAULT_API.gfp.sleeping.filter((f) => DEFAULT_API.gfp.nonSleeping.includes(f))).toEqual([]);
  });
  test('sleeping acquires say why they sleep; spinning acquires never sleep', () => {
    const sleepingClasses = ['mutex', 'rwsem', 'semaphore'];
    const wrong = DEFAULT_API.calls.filter((r) => {
      const a = r.acquire;
      if (!a) return false;
      if (sleepingClasses.includes(a.class)) return !a.conditional && !r.sleeps;
      return r.sleeps !== undefined;
    });
    expect(wrong.map((r) => r.name)).toEqual([]);
  });
  test('every persistent map names a serie of the order, every releaser is an unmapper', () => {
    const problems: string[] = [];
    for (const row of DEFAULT_API.calls) {
      if (row.map?.kind === 'persistent' && !DEFAULT_API.serieOrder.includes(row.map.serie ?? '')) problems.push(`${row.name}: serie`);
      for (const r of row.map?.releasedBy ?? []) if (!api.call(r)?.unmap) problems.push(`${row.name}: ${r}`);
      for (const alt of api.alternatives(row.name)) if (!api.call(alt.name)) problems.push(`${row.name}: ${alt.name}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('rows of the 2.4 era', () => {
  test('cli/sti and save_flags/restore_flags sections are irq-atomic', () => {
    expect(api.call('cli')?.atomicEnter).toBe('irq');
    expect(api.call('sti')?.atomicExit).toBe('irq');
    expect(api.call('restore_flags')?.atomicExit).toBe('irq');
  });
  test('sleep_on and get_free_page', () => {
    expect(api.call('interruptible_sleep_on')?.sleeps).toEqual({ why: 'sleeps on a wait queue' });
    expect(api.call('get_free_page')?.gfpArg).toBe(0);
  });
  test('no nested variants for rwlocks (the kernel has none)', () => {
    expect(api.call('spin_lock_nested')?.acquire).toEqual({ lock: { arg: 0 }, class: 'spin' });
    expect(api.call('read_lock_nested')).toBeUndefined();
  });
});
