/**
 * schemas/kpath.schema.json (what VS Code checks as you type) and resolveConfig (what kpath
 * enforces) must agree: a file is valid for the schema exactly when the validator reports no
 * problem. The one deliberate difference is listed at the end.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { resolveConfig } from '../../server/src/engine/kernel/config';
import { validates } from './schemaWalker';

const schema = JSON.parse(readFileSync(join(__dirname, '../../schemas/kpath.schema.json'), 'utf8')) as Record<string, unknown>;

const GOOD: unknown[] = [
  {},
  { $schema: './schemas/kpath.schema.json' },
  { rules: { 'kmap-leak': 'off', 'sleep-in-atomic': 'error', 'lock-imbalance': 'hint' } },
  { ignore: ['drivers/staging/**', '*.mod.c'] },
  { includes: {} },
  { includes: { follow: false, arch: 'arm64', paths: ['../out/include', 'x'] } },
  { sleepers: ['my_wait_for_hw', { name: 'hw_poll', why: 'polls the hardware' }, { name: 'x' }] },
  { neverSleeps: ['msleep'] },
  { neverReturns: ['my_fatal', 'panic'] },
  {
    locks: [
      { name: 'my_lock', does: 'acquire' },
      { name: 'my_unlock', does: 'release', lock: 1, class: 'raw_spin' },
      { name: 'dev_lock', does: 'try', lock: { arg: 0, field: 'lock' }, irq: 'irqsave', heldWhenZero: true },
      { name: 'drop_it', does: 'drop', lock: { arg: 2 }, sleeps: 'waits' },
      { name: 'ptl_of', does: 'acquire', lock: 'result' },
      { name: 'my_read_lock', does: 'acquire', class: 'rwsem', shared: true },
    ],
  },
  { atomic: [{ name: 'a', enters: 'irq' }, { name: 'b', exits: 'irq' }, { name: 'c', enters: 'rcu', exits: 'preempt' }] },
  {
    mappers: [
      { name: 'm1', serie: 'PAGETABLE' },
      { name: 'm2', kind: 'persistent', serie: 'DEFAULT', blocks: false, key: 0, releasedBy: ['u'], alsoLocks: 3, sleeps: 'x' },
      { name: 'm3', kind: 'atomic', key: 'result' },
      { name: 'm4', kind: 'none' },
    ],
  },
  { serieOrder: ['A', 'B'], mappers: [{ name: 'm', serie: 'B' }] },
  { warnings: [] },
  { warnings: ['WARN_ON', 'WARN_ONCE'] },
  { sleepableTests: ['->can_sleep', 'my_ctx_sleepable()'] },
  { afterBoot: { 'system_booted()': true, after_bootmem: false } },
  { unmappers: ['u1', { name: 'u2', kinds: ['local'], keyArg: 1, alsoUnlocks: { arg: 1 } }] },
  { allocators: { my_alloc: 1, other_alloc: 0 } },
  { gfp: { sleeping: ['MY_GFP'], nonSleeping: ['GFP_NOIO'] } },
  { callbacks: [{ name: 'my_timer_init', fnArg: 1, context: 'timer', what: 'my timer' }] },
  { callbackFields: [{ field: 'cb', context: 'hardirq' }, { field: 'f', structType: 'ops', context: 'bh', what: 'w' }] },
  { guards: { curried: ['g'], scoped: ['sg'], classes: [{ name: 'l', class: 'spin', irq: 'irq' }, { name: 'r', atomic: 'rcu', sleeps: 'x' }] } },
  { forget: ['pte_alloc'] },
];

const BAD: unknown[] = [
  [],
  'x',
  { unknown: 1 },
  { rules: { 'kmap-leek': 'off' } },
  { rules: { 'kmap-leak': 'fatal' } },
  { rules: [] },
  { ignore: [''] },
  { ignore: 'mm/*' },
  { includes: true },
  { includes: { follow: 'no' } },
  { includes: { arch: '' } },
  { includes: { arch: 'arch/x86' } },
  { includes: { arch: '..' } },
  { includes: { paths: 'include' } },
  { includes: { paths: [''] } },
  { includes: { depth: 2 } },
  { sleepers: ['not a name'] },
  { sleepers: [{ why: 'x' }] },
  { sleepers: [{ name: 'a', extra: 1 }] },
  { sleepers: [{ name: 'a', why: '' }] },
  { neverSleeps: [1] },
  { neverReturns: ['not a name'] },
  { neverReturns: 'my_fatal' },
  { locks: [{ name: 'a' }] },
  { locks: [{ name: 'a', does: 'grab' }] },
  { locks: [{ name: 'a', does: 'acquire', class: 'spinn' }] },
  { locks: [{ name: 'a', does: 'acquire', lock: -1 }] },
  { locks: [{ name: 'a', does: 'acquire', lock: 1.5 }] },
  { locks: [{ name: 'a', does: 'acquire', lock: { field: 'x' } }] },
  { locks: [{ name: 'a', does: 'acquire', lock: { arg: 0, field: 'x y' } }] },
  { locks: [{ name: 'a', does: 'acquire', irq: 'nmi' }] },
  { locks: [{ name: 'a', does: 'acquire', lock: 'results' }] },
  { locks: [{ name: 'a', does: 'acquire', heldWhenZero: 'yes' }] },
  { locks: [{ name: 'a', does: 'acquire', shared: 1 }] },
  { atomic: [{ name: 'a' }] },
  { atomic: [{ name: 'a', enters: 'process' }] },
  { mappers: [{ name: 'm' }] },
  { mappers: [{ name: 'm', kind: 'atomic', serie: 'DEFAULT' }] },
  { mappers: [{ name: 'm', serie: 'DEFAULT', key: 'address' }] },
  { mappers: [{ name: 'm', serie: 'DEFAULT', releasedBy: 'kunmap' }] },
  { mappers: [{ name: 'm', kind: 'forever' }] },
  { unmappers: [{ name: 'u', kinds: [] }] },
  { unmappers: [{ name: 'u', kinds: ['bogus'] }] },
  { unmappers: [{ name: 'u', keyArg: 'x' }] },
  { allocators: { 'bad name': 1 } },
  { allocators: { a: -1 } },
  { allocators: ['kmalloc'] },
  { gfp: { sleeping: ['GFP X'] } },
  { gfp: { maybe: [] } },
  { serieOrder: ['A', 'A'] },
  { serieOrder: [''] },
  { warnings: ['BUG_ON'] },
  { warnings: ['WARN_ON', 'WARN_ON'] },
  { warnings: 'WARN_ON' },
  { sleepableTests: ['in_task'] },
  { sleepableTests: ['->'] },
  { sleepableTests: ['f(x)'] },
  { callbacks: [{ name: 'a', fnArg: 1 }] },
  { callbacks: [{ name: 'a', fnArg: 1, context: 'process' }] },
  { callbackFields: [{ context: 'bh' }] },
  { guards: { classes: [{ name: 'g' }] } },
  { guards: { classes: [{ name: 'g', atomic: 'rcu', irq: 'irq' }] } },
  { guards: { other: [] } },
  { forget: ['a b'] },
];

function problemsOf(value: unknown): string[] {
  return resolveConfig(JSON.stringify(value), '.kpath.json').problems.map((p) => p.message);
}

describe('schema and validator agree', () => {
  test.each(GOOD.map((v) => [JSON.stringify(v), v]))('good: %s', (_, value) => {
    expect(validates(schema, value)).toBe(true);
    expect(problemsOf(value)).toEqual([]);
  });
  test.each(BAD.map((v) => [JSON.stringify(v), v]))('bad: %s', (_, value) => {
    expect(validates(schema, value)).toBe(false);
    expect(problemsOf(value).length).toBeGreaterThan(0);
  });
  test('the one difference: a serie missing from serieOrder is a cross-field check only the validator makes', () => {
    const value = { mappers: [{ name: 'm', serie: 'PAGETABLE3' }] };
    expect(validates(schema, value)).toBe(true);
    expect(problemsOf(value)).toEqual([
      'kpath.json: mappers[0].serie: unknown serie "PAGETABLE3" (add it to serieOrder; known: PAGETABLE2, PAGETABLE, DEFAULT)',
    ]);
  });
});
