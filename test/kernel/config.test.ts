import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, resolveConfig } from '../../server/src/engine/kernel/config';
import { DEFAULT_API, indexApi } from '../../server/src/engine/kernel/index';

const ORIGIN = 'ws/.kpath.json';

/** Resolves `json` (an object, stringified) and returns the index and the problem messages. */
function resolve(json: unknown) {
  const { config, problems } = resolveConfig(JSON.stringify(json, null, 2), ORIGIN);
  expect(problems.every((p) => p.file === ORIGIN)).toBe(true);
  return { config, api: indexApi(config.api), messages: problems.map((p) => p.message) };
}

describe('no file, empty file, broken file', () => {
  test('no file: the defaults, no problems', () => {
    expect(resolveConfig(undefined, ORIGIN)).toEqual({ config: DEFAULT_CONFIG, problems: [] });
  });
  test('an empty object: the defaults', () => {
    const { config, messages } = resolve({});
    expect(messages).toEqual([]);
    expect(config.api.calls).toEqual(DEFAULT_API.calls);
    expect(config.severity['sleep-in-atomic']).toBe('warning');
    expect(config.ignore).toEqual([]);
  });
  test('invalid JSON: one problem with line and column, and the defaults', () => {
    const { config, problems } = resolveConfig('{\n  "rules": {\n    "kmap-leak": "off",\n  }\n}', ORIGIN);
    expect(problems).toEqual([{ file: ORIGIN, message: `kpath.json: invalid JSON at line 4, column 3: expected a double-quoted key, found '}'` }]);
    expect(config).toBe(DEFAULT_CONFIG);
  });
  test('invalid JSON: end of file', () => {
    expect(resolveConfig('{"sleepers": [', ORIGIN).problems.map((p) => p.message)).toEqual([
      'kpath.json: invalid JSON at line 1, column 15: expected a value, found end of file',
    ]);
  });
  test('a byte-order mark is not an error', () => {
    const { config, problems } = resolveConfig('\uFEFF{"rules": {"kmap-leak": "off"}}', ORIGIN);
    expect(problems).toEqual([]);
    expect(config.severity['kmap-leak']).toBe('off');
  });
  test('an empty file is invalid JSON', () => {
    expect(resolveConfig('', ORIGIN).problems.map((p) => p.message)).toEqual(['kpath.json: invalid JSON at line 1, column 1: expected a value, found end of file']);
  });
  test('not an object', () => {
    expect(resolveConfig('["msleep"]', ORIGIN).problems.map((p) => p.message)).toEqual([
      'kpath.json: expected an object at the top level, found an array',
    ]);
  });
  test('duplicate keys: reported, the last one wins', () => {
    const { config, problems } = resolveConfig('{"rules": {"kmap-leak": "off", "kmap-leak": "error"}}', ORIGIN);
    expect(problems.map((p) => p.message)).toEqual(['kpath.json: rules.kmap-leak: given twice; the last one is used']);
    expect(config.severity['kmap-leak']).toBe('error');
  });
});

describe('rules and ignore', () => {
  test('severities', () => {
    const { config, messages } = resolve({ rules: { 'kmap-leak': 'off', 'sleep-in-atomic': 'error' } });
    expect(messages).toEqual([]);
    expect(config.severity).toEqual({
      'sleep-in-atomic': 'error',
      'kmap-serie-reentry': 'warning',
      'kmap-serie-order': 'warning',
      'kmap-leak': 'off',
      'kunmap-order': 'warning',
      'kunmap-mismatch': 'warning',
      'lock-imbalance': 'warning',
    });
  });
  test('unknown rule ids and bad severities are dropped, the rest kept', () => {
    const { config, messages } = resolve({ rules: { 'kmap-leek': 'off', 'lock-imbalance': 'fatal', 'kunmap-order': 3, 'kmap-leak': 'hint' } });
    expect(messages).toEqual([
      'kpath.json: rules.kmap-leek: unknown rule id (known: sleep-in-atomic, kmap-serie-reentry, kmap-serie-order, kmap-leak, kunmap-order, kunmap-mismatch, lock-imbalance)',
      'kpath.json: rules.lock-imbalance: unknown severity "fatal" (known: error, warning, info, hint, off)',
      'kpath.json: rules.kunmap-order: expected a severity, found the number 3 (known: error, warning, info, hint, off)',
    ]);
    expect(config.severity['lock-imbalance']).toBe('warning');
    expect(config.severity['kmap-leak']).toBe('hint');
  });
  test('ignore globs', () => {
    const { config, messages } = resolve({ ignore: ['drivers/staging/**', '*.mod.c', 7] });
    expect(messages).toEqual(['kpath.json: ignore[2]: expected a non-empty string, found the number 7']);
    expect(config.ignore).toEqual(['drivers/staging/**', '*.mod.c']);
  });
  test('includes: the defaults, and each key given', () => {
    expect(resolve({}).config.includes).toEqual({ follow: true, arch: 'x86', paths: [] });
    const { config, messages } = resolve({ includes: { follow: false, arch: 'arm64', paths: ['../extra/include', 'gen'] } });
    expect(messages).toEqual([]);
    expect(config.includes).toEqual({ follow: false, arch: 'arm64', paths: ['../extra/include', 'gen'] });
  });
  test('includes: bad values are reported by key and replaced by the defaults', () => {
    const { config, messages } = resolve({ includes: { follow: 'yes', arch: '../x86', paths: ['ok', ''], depth: 3 } });
    expect(messages).toEqual([
      'kpath.json: includes.depth: unknown key (known: follow, arch, paths)',
      'kpath.json: includes.follow: expected true or false, found the string "yes"',
      'kpath.json: includes.arch: "../x86" is not a directory name under arch/ (like "x86" or "arm64")',
      'kpath.json: includes.paths[1]: expected a non-empty string, found the string ""',
    ]);
    expect(config.includes).toEqual({ follow: true, arch: 'x86', paths: ['ok'] });
    expect(resolve({ includes: false }).messages).toEqual(['kpath.json: includes: expected an object, found the boolean false']);
    expect(resolve({ includes: false }).config.includes).toEqual({ follow: true, arch: 'x86', paths: [] });
  });
  test('unknown top-level keys are reported and the rest is used', () => {
    const { config, messages } = resolve({ sleeper: ['x'], rules: { 'kmap-leak': 'off' } });
    expect(messages).toEqual([
      'kpath.json: sleeper: unknown key (known: $schema, rules, ignore, includes, sleepers, neverSleeps, neverReturns, locks, atomic, mappers, unmappers, allocators, gfp, serieOrder, warnings, sleepableTests, afterBoot, callbacks, callbackFields, guards, forget)',
    ]);
    expect(config.severity['kmap-leak']).toBe('off');
  });
});

describe('call tables', () => {
  test('sleepers: short and full forms, new rows and added facts', () => {
    const { api, messages } = resolve({ sleepers: ['my_wait_for_hw', { name: 'hw_poll', why: 'polls the hardware' }, 'kunmap'] });
    expect(messages).toEqual([]);
    expect(api.call('my_wait_for_hw')).toEqual({ name: 'my_wait_for_hw', sleeps: { why: 'declared in .kpath.json' } });
    expect(api.call('hw_poll')?.sleeps).toEqual({ why: 'polls the hardware' });
    // A default row keeps its other facts.
    expect(api.call('kunmap')).toEqual({ name: 'kunmap', unmap: { kinds: ['persistent'], keyArg: 0 }, sleeps: { why: 'declared in .kpath.json' } });
  });
  test('neverSleeps overrides a default sleeper and a gfp allocator', () => {
    const { api } = resolve({ neverSleeps: ['msleep', 'kmalloc', 'mutex_lock'] });
    expect(api.call('msleep')).toEqual({ name: 'msleep', neverSleeps: true });
    expect(api.call('kmalloc')).toEqual({ name: 'kmalloc', neverSleeps: true });
    expect(api.call('mutex_lock')).toEqual({ name: 'mutex_lock', acquire: { lock: { arg: 0 }, class: 'mutex' }, neverSleeps: true });
  });
  test('neverReturns adds the fact to a new row and keeps the facts of a default one', () => {
    const { api, messages } = resolve({ neverReturns: ['my_fatal', 'msleep', 'not a name'] });
    expect(messages).toEqual(['kpath.json: neverReturns[2]: "not a name" is not a C identifier']);
    expect(api.call('my_fatal')).toEqual({ name: 'my_fatal', neverReturns: true });
    expect(api.call('msleep')).toEqual({ name: 'msleep', sleeps: { why: 'sleeps until a timeout' }, neverReturns: true });
  });
  test('bad sleeper entries are dropped one by one', () => {
    const { api, messages } = resolve({ sleepers: ['ok_one', 'not a name', { why: 'x' }, { name: 'b', why: '', extra: 1 }] });
    expect(messages).toEqual([
      'kpath.json: sleepers[1]: "not a name" is not a C identifier',
      'kpath.json: sleepers[2]: missing "name"',
      'kpath.json: sleepers[3].extra: unknown key (known: name, why)',
      'kpath.json: sleepers[3].why: expected a non-empty string, found the string ""',
    ]);
    expect(api.call('ok_one')?.sleeps).toBeDefined();
    expect(api.call('b')).toBeUndefined();
  });
  test('lock wrappers', () => {
    const { api, messages } = resolve({
      locks: [
        { name: 'my_lock', does: 'acquire' },
        { name: 'my_unlock', does: 'release' },
        { name: 'dev_lock_irqsave', does: 'acquire', lock: { arg: 0, field: 'lock' }, irq: 'irqsave' },
        { name: 'my_trylock', does: 'try', lock: 1, class: 'raw_spin' },
        { name: 'my_mutex_lock_intr', does: 'try', class: 'mutex', heldWhenZero: true, sleeps: 'mutex' },
        { name: 'my_cond_resched', does: 'drop', lock: 0, sleeps: 'reschedules' },
        { name: 'spin_lock', does: 'acquire', lock: 1 },
        { name: 'my_pmd_lock', does: 'acquire', lock: 'result' },
        { name: 'my_wait_locked', does: 'drop', lock: { arg: 2, object: true }, sleeps: 'waits for an event' },
        { name: 'my_down_read', does: 'acquire', class: 'rwsem', shared: true, sleeps: 'rw semaphore' },
        { name: 'my_wait_locked_cmd', does: 'drop', lock: { arg: 2, object: true }, runsUnlocked: [3], sleeps: 'waits for an event' },
      ],
    });
    expect(messages).toEqual([]);
    expect(api.call('my_wait_locked_cmd')?.dropsLock).toEqual({ lock: { arg: 2, object: true }, runsUnlocked: [3] });
    expect(api.call('my_down_read')?.acquire).toEqual({ lock: { arg: 0 }, class: 'rwsem', shared: true });
    expect(api.call('my_wait_locked')?.dropsLock).toEqual({ lock: { arg: 2, object: true } });
    expect(api.call('my_pmd_lock')?.acquire).toEqual({ lock: { arg: -1, result: true }, class: 'spin' });
    expect(api.call('my_lock')).toEqual({ name: 'my_lock', acquire: { lock: { arg: 0 }, class: 'spin' } });
    expect(api.call('my_unlock')).toEqual({ name: 'my_unlock', release: { lock: { arg: 0 }, class: 'spin' } });
    expect(api.call('dev_lock_irqsave')?.acquire).toEqual({ lock: { arg: 0, field: 'lock' }, class: 'spin', irq: 'irqsave' });
    expect(api.call('my_trylock')?.acquire).toEqual({ lock: { arg: 1 }, class: 'raw_spin', conditional: true });
    expect(api.call('my_mutex_lock_intr')).toEqual({
      name: 'my_mutex_lock_intr',
      acquire: { lock: { arg: 0 }, class: 'mutex', conditional: true, heldWhenZero: true },
      sleeps: { why: 'mutex' },
    });
    expect(api.call('my_cond_resched')).toEqual({ name: 'my_cond_resched', dropsLock: { lock: { arg: 0 } }, sleeps: { why: 'reschedules' } });
    expect(api.call('spin_lock')?.acquire).toEqual({ lock: { arg: 1 }, class: 'spin' });
  });
  test('bad lock wrappers', () => {
    const { api, messages } = resolve({
      locks: [
        { name: 'a', does: 'grab' },
        { name: 'b', does: 'acquire', class: 'spinn' },
        { name: 'c', does: 'acquire', lock: -1 },
        { name: 'd', does: 'acquire', lock: { field: 'x' } },
        { name: 'e' },
        'f',
        { name: 'g', does: 'drop', lock: { arg: 2, object: false } },
        { name: 'h', does: 'drop', lock: { arg: 2, object: true, field: 'lock' } },
        { name: 'i', does: 'acquire', runsUnlocked: [3] },
        { name: 'j', does: 'drop', runsUnlocked: [-1] },
      ],
    });
    expect(messages).toEqual([
      'kpath.json: locks[0].does: unknown lock operation "grab" (known: acquire, release, try, drop)',
      'kpath.json: locks[1].class: unknown lock class "spinn" (known: spin, raw_spin, rwlock, bit_spin, mutex, rwsem, seqlock, semaphore)',
      'kpath.json: locks[2].lock: expected an argument index (0 for the first argument), found the number -1',
      'kpath.json: locks[3].lock: missing "arg"',
      'kpath.json: locks[4]: missing "does"',
      'kpath.json: locks[5]: expected an object, found the string "f"',
      'kpath.json: locks[6].lock: "object" is true alone: the argument is the lock itself, with no "field"',
      'kpath.json: locks[7].lock: "object" is true alone: the argument is the lock itself, with no "field"',
      'kpath.json: locks[8].runsUnlocked: only a "drop" runs arguments with its lock dropped',
      'kpath.json: locks[9].runsUnlocked[0]: expected an argument index (0 for the first argument), found the number -1',
    ]);
    for (const n of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']) expect(api.call(n)).toBeUndefined();
  });
  test('kmap wrappers with their serie, unknown series, unmappers', () => {
    const { api, messages } = resolve({
      serieOrder: ['PAGETABLE2', 'PAGETABLE', 'DEFAULT', 'DRIVER'],
      mappers: [
        { name: 'my_kmap_pt', serie: 'PAGETABLE', releasedBy: ['my_kunmap_pt'] },
        { name: 'drv_map', serie: 'DRIVER', key: 0, releasedBy: ['drv_unmap'] },
        { name: 'my_atomic_map', kind: 'atomic', releasedBy: ['kunmap_atomic'] },
        { name: 'bad_serie', serie: 'PAGETABLE3' },
        { name: 'no_serie' },
        { name: 'atomic_with_serie', kind: 'atomic', serie: 'DEFAULT' },
      ],
      unmappers: ['my_kunmap_pt', { name: 'drv_unmap', kinds: ['persistent'], keyArg: 0 }, { name: 'x', kinds: ['bogus'] }],
    });
    expect(messages).toEqual([
      'kpath.json: mappers[3].serie: unknown serie "PAGETABLE3" (add it to serieOrder; known: PAGETABLE2, PAGETABLE, DEFAULT, DRIVER)',
      'kpath.json: mappers[4]: a persistent mapper needs "serie"',
      'kpath.json: mappers[5].serie: only a persistent mapper has a serie (this one is atomic)',
      'kpath.json: unmappers[2].kinds[0]: unknown map kind "bogus" (known: persistent, atomic, local, nowait, none)',
      'kpath.json: unmappers[2].kinds: no valid map kind',
    ]);
    expect(api.call('my_kmap_pt')?.map).toEqual({ kind: 'persistent', serie: 'PAGETABLE', blocks: true, key: 'result', releasedBy: ['my_kunmap_pt'] });
    expect(api.call('drv_map')?.map).toEqual({ kind: 'persistent', serie: 'DRIVER', blocks: true, key: { arg: 0 }, releasedBy: ['drv_unmap'] });
    expect(api.call('my_atomic_map')?.map).toEqual({ kind: 'atomic', blocks: false, key: 'result', releasedBy: ['kunmap_atomic'] });
    expect(api.call('my_kunmap_pt')?.unmap).toEqual({ kinds: ['persistent', 'atomic', 'local', 'nowait'], keyArg: 0 });
    expect(api.call('drv_unmap')?.unmap).toEqual({ kinds: ['persistent'], keyArg: 0 });
    expect(api.serieRank('DRIVER')).toBe(3);
    expect(api.call('bad_serie')).toBeUndefined();
  });
  test('serie order replaces the default; duplicates are reported', () => {
    const { api, messages } = resolve({ serieOrder: ['DEFAULT', 'PAGETABLE', 'DEFAULT'] });
    expect(messages).toEqual(['kpath.json: serieOrder[2]: "DEFAULT" is listed twice']);
    expect(api.serieRank('DEFAULT')).toBe(0);
    expect(api.serieRank('PAGETABLE2')).toBe(2);
  });
  test('afterBoot adds tests to the defaults or changes one; an answer is true or false', () => {
    const { api, messages } = resolve({ afterBoot: { 'system_booted()': true, early_boot_irqs_disabled: false, after_bootmem: false, bad: 1 } });
    expect(messages).toEqual(['kpath.json: afterBoot.bad: 1 is not true or false (what the test answers once the kernel has booted)']);
    expect(api.afterBoot('system_booted()')).toBe(true);
    expect(api.afterBoot('early_boot_irqs_disabled')).toBe(false);
    expect(api.afterBoot('after_bootmem')).toBe(false);
    expect(api.afterBoot('bad')).toBeUndefined();
    expect(resolve({}).api.afterBoot('after_bootmem')).toBe(true);
  });
  test('sleepableTests adds to the defaults; only a call without arguments or a member fits', () => {
    const { api, messages } = resolve({ sleepableTests: ['->can_sleep', 'my_ctx_sleepable()', 'in_task', '->nonatomic'] });
    expect(messages).toEqual(['kpath.json: sleepableTests[2]: "in_task" is neither a call without arguments ("preemptible()") nor a member ("->nonatomic")']);
    expect(api.onlyWhereSleeping('dev->can_sleep')).toBe(true);
    expect(api.onlyWhereSleeping('my_ctx_sleepable()')).toBe(true);
    expect(api.onlyWhereSleeping('preemptible()')).toBe(true);
    expect(api.onlyWhereSleeping('substream->pcm->nonatomic')).toBe(true);
    expect(api.onlyWhereSleeping('link.nonatomic')).toBe(true);
    expect(api.onlyWhereSleeping('nonatomic')).toBe(false);
    expect(api.onlyWhereSleeping('in_task')).toBe(false);
  });
  test('warnings replaces the list of warning macros whose branch is left out; only the marked macros fit', () => {
    const { api, messages } = resolve({ warnings: ['WARN_ON', 'BUG_ON', 'WARN_ON'] });
    expect(messages).toEqual([
      'kpath.json: warnings[1]: "BUG_ON" is not a warning macro kpath marks (known: WARN_ON, WARN_ON_ONCE, WARN, WARN_ONCE)',
      'kpath.json: warnings[2]: "WARN_ON" is listed twice',
    ]);
    expect(api.exploresWarning('WARN_ON')).toBe(false);
    expect(api.exploresWarning('WARN_ON_ONCE')).toBe(true);
    expect(resolve({}).api.exploresWarning('WARN_ONCE')).toBe(false);
  });
  test('allocators and gfp flags', () => {
    const { api, messages } = resolve({
      allocators: { my_alloc: 1, 'bad name': 0, other: 'x' },
      gfp: { sleeping: ['MY_GFP_SLEEPY'], nonSleeping: ['GFP_NOIO'], tests: ['my_may_block( % )', 'no_mask()'], atomicTests: ['my_atomic(%)', '%%'] },
    });
    expect(messages).toEqual([
      'kpath.json: allocators.bad name: "bad name" is not a C identifier',
      'kpath.json: allocators.other: expected an argument index (0 for the first argument), found the string "x"',
      'kpath.json: gfp.tests[1]: "no_mask()" has no single \'%\' where the mask goes, as in "gfpflags_allow_blocking(%)"',
      'kpath.json: gfp.atomicTests[1]: "%%" has no single \'%\' where the mask goes, as in "gfpflags_allow_blocking(%)"',
    ]);
    expect(api.gfpAtomicTested('my_atomic(gfp)')).toBe('gfp');
    expect(api.gfpAtomicTested('(gfp&GFP_KERNEL)!=GFP_KERNEL')).toBe('gfp');
    expect(api.gfpAtomicTested('gfpflags_allow_blocking(gfp)')).toBeUndefined();
    expect(api.gfpTested('my_may_block(ctx->gfp)')).toBe('ctx->gfp');
    expect(api.gfpTested('gfpflags_allow_blocking(mask)')).toBe('mask');
    expect(api.gfpTested('mask&__GFP_DIRECT_RECLAIM')).toBe('mask');
    expect(api.gfpTested('mask&__GFP_ZERO')).toBeUndefined();
    expect(api.call('my_alloc')).toEqual({ name: 'my_alloc', gfpArg: 1 });
    expect(api.gfpMaySleep('MY_GFP_SLEEPY')).toBe(true);
    expect(api.gfpMaySleep('GFP_NOIO')).toBe(false);
    expect(api.gfpMaySleep('GFP_KERNEL')).toBe(true);
  });
  test('atomic contexts, callbacks, callback fields, guards', () => {
    const { api, messages } = resolve({
      atomic: [{ name: 'my_irq_off', enters: 'irq' }, { name: 'my_irq_on', exits: 'irq' }, { name: 'nothing' }],
      callbacks: [{ name: 'my_timer_init', fnArg: 1, context: 'timer' }, { name: 'bad', fnArg: 0, context: 'process' }],
      callbackFields: [{ field: 'ndo_start_xmit', structType: 'net_device_ops', context: 'softirq', what: 'xmit' }, { field: 'my_cb', context: 'hardirq' }],
      guards: { curried: ['my_guard'], classes: [{ name: 'my_lock', class: 'spin', irq: 'irq' }, { name: 'my_rcu', atomic: 'rcu' }, { name: 'empty' }] },
    });
    expect(messages).toEqual([
      'kpath.json: atomic[2]: give "enters" or "exits"',
      'kpath.json: callbacks[1].context: unknown atomic context "process" (known: preempt, irq, bh, rcu, kmap_atomic, hardirq, softirq, timer, tasklet)',
      'kpath.json: guards.classes[2]: give "class" (a lock) or "atomic" (an atomic context)',
    ]);
    expect(api.call('my_irq_off')).toEqual({ name: 'my_irq_off', atomicEnter: 'irq' });
    expect(api.call('my_irq_on')).toEqual({ name: 'my_irq_on', atomicExit: 'irq' });
    expect(api.call('my_timer_init')?.registersCallback).toEqual({ fnArg: 1, context: 'timer', what: 'callback' });
    expect(api.callbackField('ndo_start_xmit', 'net_device_ops')).toEqual({ field: 'ndo_start_xmit', structType: 'net_device_ops', context: 'softirq', what: 'xmit' });
    expect(api.callbackField('my_cb', 'anything')?.context).toBe('hardirq');
    expect(api.isCurriedGuard('my_guard')).toBe(true);
    expect(api.isCurriedGuard('guard')).toBe(true);
    expect(api.guardClass('my_lock')).toEqual({ name: 'my_lock', lock: { class: 'spin', irq: 'irq' } });
    expect(api.guardClass('my_rcu')).toEqual({ name: 'my_rcu', atomic: 'rcu' });
  });
  test('forget removes a default row; naming it again defines it afresh', () => {
    const { api, messages } = resolve({ forget: ['pte_alloc', 'kmap'], sleepers: ['kmap'] });
    expect(messages).toEqual([]);
    expect(api.call('pte_alloc', 3)).toBeUndefined();
    expect(api.call('pte_alloc', 2)).toBeUndefined();
    expect(api.call('kmap')).toEqual({ name: 'kmap', sleeps: { why: 'declared in .kpath.json' } });
  });
  test('a row given for a name with arity variants applies to each variant', () => {
    const { api } = resolve({ neverSleeps: ['pte_alloc'] });
    expect(api.call('pte_alloc', 3)?.neverSleeps).toBe(true);
    expect(api.call('pte_alloc', 3)?.map?.serie).toBe('PAGETABLE');
    expect(api.call('pte_alloc', 2)).toEqual({ name: 'pte_alloc', arity: 2, neverSleeps: true });
  });
  test('the defaults are not modified by a resolution', () => {
    const before = JSON.stringify(DEFAULT_API);
    resolve({ neverSleeps: ['kmap'], locks: [{ name: 'spin_lock', does: 'release' }], gfp: { nonSleeping: ['GFP_KERNEL'] } });
    expect(JSON.stringify(DEFAULT_API)).toBe(before);
  });
});
