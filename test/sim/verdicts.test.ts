/**
 * Verdicts of known scenarios, built from hand-written finding paths (test/sim/paths.ts). Every
 * simulation goes through `check()`, the one place that calls the simulator.
 */
import { describe, expect, it } from 'vitest';
import { simulateFinding, type SimulationOptions, type Trace } from '../../server/src/sim/index';
import type { Finding } from '../../server/src/engine/finding';
import * as P from './paths';

function check(f: Finding, options: SimulationOptions = {}): Trace {
  return simulateFinding(f, options);
}

describe('mremap: two PAGETABLE kmaps in a row (kmap-serie-reentry)', () => {
  it('deadlocks with as many tasks as slots: both hold one slot and wait for a second', () => {
    const t = check(P.mremap, { tasks: 2, pool: 2, cpus: 2 });
    expect(t.verdict).toBe('deadlock');
    expect(t.steps.map((s) => [s.task, s.cpu, s.event, `${s.file}:${s.line}`])).toEqual([
      [0, 0, 'scheduled on CPU0', 'mremap.c:10'],
      [0, 0, 'kmap PAGETABLE (pte_offset) (1/2 in use)', 'mremap.c:10'],
      [1, 1, 'scheduled on CPU1', 'mremap.c:10'],
      [1, 1, 'kmap PAGETABLE (pte_offset) (2/2 in use)', 'mremap.c:10'],
      [0, 0, 'kmap PAGETABLE (pte_alloc): PAGETABLE pool empty (2/2 in use), sleeps on its queue', 'mremap.c:12'],
      [1, 1, 'kmap PAGETABLE (pte_alloc): PAGETABLE pool empty (2/2 in use), sleeps on its queue', 'mremap.c:12'],
    ]);
    expect(t.summary).toEqual([
      { task: 0, program: 'flagged', status: 'blocked', holds: ['a PAGETABLE slot (mremap.c:10)'], waitsFor: 'a PAGETABLE slot (mremap.c:12)', at: { file: 'mremap.c', line: 12, label: 'kmap PAGETABLE (pte_alloc)' } },
      { task: 1, program: 'flagged', status: 'blocked', holds: ['a PAGETABLE slot (mremap.c:10)'], waitsFor: 'a PAGETABLE slot (mremap.c:12)', at: { file: 'mremap.c', line: 12, label: 'kmap PAGETABLE (pte_alloc)' } },
    ]);
  });

  it.each([
    [3, 3],
    [4, 4],
    [5, 3],
  ])('deadlocks with %i tasks and a pool of %i on a preemptible kernel', (tasks, pool) => {
    expect(check(P.mremap, { tasks, pool, preempt: true }).verdict).toBe('deadlock');
  });

  it('is safe with one task', () => {
    const t = check(P.mremap, { tasks: 1, pool: 2 });
    expect(t.verdict).toBe('safe');
    expect(t.steps).toEqual([]);
  });

  it('deadlocks a single task when the pool has one slot (it waits for its own slot)', () => {
    expect(check(P.mremap, { tasks: 1, pool: 1 }).verdict).toBe('deadlock');
  });

  it("is safe on 2.4 with few CPUs and a big pool: only tasks on a CPU hold slots (Hugh's NR_CPUS+1)", () => {
    expect(check(P.mremap, { tasks: 6, pool: 5, cpus: 2 }).verdict).toBe('safe');
    expect(check(P.mremap, { tasks: 1025, pool: 1024, cpus: 2 }).verdict).toBe('safe');
  });

  it("deadlocks with pte-highmem's real numbers on a preemptible kernel (1025 tasks, 1024 slots)", () => {
    const t = check(P.mremap, { tasks: 1025, pool: 1024, cpus: 2, preempt: true });
    expect(t.verdict).toBe('deadlock');
    expect(t.steps.length).toBe(1024);
    expect(t.steps[1023].state.pools).toEqual({ PAGETABLE: 1024 });
    expect(t.summary.filter((s) => s.status === 'blocked').length).toBe(1025);
  });
});

describe('pte_offset under a spinlock (sleep-in-atomic)', () => {
  it('schedules while atomic once the pool is empty', () => {
    const t = check(P.pteOffsetUnderLock, { tasks: 2, pool: 1, cpus: 2 });
    expect(t.verdict).toBe('sleep-in-atomic');
    const last = t.steps[t.steps.length - 1];
    expect([last.task, last.event, last.file, last.line, last.state.task]).toEqual([
      1,
      'BUG: scheduling while atomic: kmap PAGETABLE2 (pte_offset2): PAGETABLE2 pool empty (1/1 in use), holding dst->page_table_lock',
      'memory.c',
      31,
      'failed',
    ]);
  });

  it('fails on a preemptible kernel too', () => {
    expect(check(P.pteOffsetUnderLock, { tasks: 2, pool: 1, cpus: 2, preempt: true }).verdict).toBe('sleep-in-atomic');
  });

  it('cannot fail on one CPU: the lock holder keeps the CPU until it unmaps', () => {
    expect(check(P.pteOffsetUnderLock, { tasks: 3, pool: 1, cpus: 1 }).verdict).toBe('safe');
  });

  it('an atomic kmap takes a per-CPU slot; sleeping before kunmap_atomic schedules while atomic', () => {
    const f = P.finding('sleep-in-atomic', [P.kmapAtomic('hm.c', 5, 'kmap_atomic'), P.sleep('hm.c', 6, 'copy_from_user')]);
    const t = check(f, { tasks: 1, cpus: 2 });
    expect(t.verdict).toBe('sleep-in-atomic');
    expect(t.steps.map((s) => [s.event, s.state.atomicKmaps])).toEqual([
      ['scheduled on CPU0', { CPU0: 0, CPU1: 0 }],
      ['kmap_atomic (kmap_atomic)', { CPU0: 1, CPU1: 0 }],
      ['BUG: scheduling while atomic: sleeps (copy_from_user), holding an atomic kmap', { CPU0: 1, CPU1: 0 }],
    ]);
  });

  it('is safe with pte_offset_atomic2 instead', () => {
    for (const preempt of [false, true]) expect(check(P.pteOffsetAtomicUnderLock, { tasks: 3, pool: 1, cpus: 3, preempt }).verdict).toBe('safe');
  });

  it('msleep under a spinlock fails with one task', () => {
    const t = check(P.msleepUnderLock, { tasks: 1 });
    expect(t.verdict).toBe('sleep-in-atomic');
    expect(t.steps.map((s) => s.event)).toEqual(['scheduled on CPU0', 'takes dev_lock (spin_lock)', 'BUG: scheduling while atomic: sleeps (msleep), holding dev_lock']);
  });
});

describe("fork's copy_page_range: pte_alloc then pte_offset2 under dst->page_table_lock", () => {
  const path = [
    P.lock('fork.c', 26, 'mm->page_table_lock'),
    P.ev('call', 'fork.c', 27, { callee: 'copy_page_range' }),
    P.kmap('memory.c', 35, 'PAGETABLE', 'pte_alloc'),
    P.blockingKmap('memory.c', 43, 'PAGETABLE2', 'pte_offset2'),
  ];
  it('an earlier kmap the engine found safe under the lock is modelled as dropping the lock around it', () => {
    const t = check(P.finding('sleep-in-atomic', path), { tasks: 2, pool: 1, cpus: 2 });
    expect(t.programs[0].steps.map((s) => `${s.op} ${s.lock ?? s.serie ?? ''} ${s.file}:${s.line}`)).toEqual([
      'lock mm->page_table_lock fork.c:26',
      'unlock mm->page_table_lock memory.c:35',
      'kmap PAGETABLE memory.c:35',
      'lock mm->page_table_lock memory.c:35',
      'kmap PAGETABLE2 memory.c:43',
      'kunmap PAGETABLE2 memory.c:43',
      'unlock mm->page_table_lock memory.c:43',
      'kunmap PAGETABLE memory.c:43',
    ]);
  });
  it('is safe while both pools have the same size: the PAGETABLE pool admits no more tasks than PAGETABLE2 has slots', () => {
    for (const [tasks, pool, cpus] of [[2, 1, 2], [3, 2, 3], [5, 2, 4]]) expect(check(P.finding('sleep-in-atomic', path), { tasks, pool, cpus }).verdict).toBe('safe');
  });
  it('with no machine given, tries pools up to the number of kmaps of the path and shows the last one tried', () => {
    const t = check(P.finding('sleep-in-atomic', path));
    expect([t.verdict, t.pool, t.tasks, t.cpus]).toEqual(['safe', 2, 3, 3]);
  });
});

describe('serie order (kmap-serie-order)', () => {
  it('PAGETABLE2 then PAGETABLE in every task is safe', () => {
    for (const preempt of [false, true])
      for (const tasks of [2, 3, 4]) expect(check(P.rightOrder, { tasks, pool: 1, cpus: 2, preempt, counterpart: false }).verdict).toBe('safe');
  });

  it('opposite orders in two tasks deadlock, against the mirrored path when no counterpart was found', () => {
    const t = check(P.wrongOrder, { tasks: 2, pool: 1 });
    expect(t.verdict).toBe('deadlock');
    expect(t.counterpart).toEqual({ source: 'mirrored', outer: 'PAGETABLE', inner: 'DEFAULT', file: 'filemap.c', line: 52 });
    expect(t.summary.map((s) => [s.task, s.program, s.holds, s.waitsFor])).toEqual([
      [0, 'flagged', ['a DEFAULT slot (filemap.c:50)'], 'a PAGETABLE slot (filemap.c:52)'],
      [1, 'counterpart', ['a PAGETABLE slot (filemap.c:50)'], 'a DEFAULT slot (filemap.c:52)'],
    ]);
  });

  it("uses the engine's nesting for the counterpart when there is one", () => {
    const nesting = { outer: 'PAGETABLE', inner: 'DEFAULT', path: [P.kmap('memory.c', 70, 'PAGETABLE', 'pte_offset'), P.kmap('memory.c', 75, 'DEFAULT', 'kmap')] };
    const t = simulateFinding(P.wrongOrder, { tasks: 2, pool: 1 }, [nesting]);
    expect(t.verdict).toBe('deadlock');
    expect(t.counterpart).toEqual({ source: 'engine', outer: 'PAGETABLE', inner: 'DEFAULT', file: 'memory.c', line: 75 });
    expect(t.programs[1].steps.map((s) => `${s.label} ${s.file}:${s.line}`)).toEqual([
      'kmap PAGETABLE (pte_offset) memory.c:70',
      'kmap DEFAULT (kmap) memory.c:75',
      'kunmap DEFAULT (end of path) memory.c:75',
      'kunmap PAGETABLE (end of path) memory.c:75',
    ]);
  });

  it('the opposite orders are safe with one task of each when each pool has two slots', () => {
    expect(check(P.wrongOrder, { tasks: 2, pool: 2 }).verdict).toBe('safe');
    // Two of each need both pools full at once: on 2.4 with two CPUs only the tasks on a CPU are half-way.
    expect(check(P.wrongOrder, { tasks: 4, pool: 2, cpus: 2 }).verdict).toBe('safe');
    expect(check(P.wrongOrder, { tasks: 4, pool: 2, cpus: 4 }).verdict).toBe('deadlock');
    expect(check(P.wrongOrder, { tasks: 4, pool: 2, cpus: 1, preempt: true }).verdict).toBe('deadlock');
  });
});

describe('spinlocks', () => {
  const twice = P.finding('lock-imbalance', [P.lock('a.c', 3, 'big_lock'), P.lock('a.c', 4, 'big_lock')]);
  it('a lock taken twice locks up every CPU when all of them spin', () => {
    const t = check(twice, { tasks: 2, cpus: 2 });
    expect(t.verdict).toBe('lockup');
    expect(t.summary.map((s) => s.status)).toEqual(['spinning', 'spinning']);
  });
  it('is a deadlock (not a lockup) while a CPU is left idle', () => {
    expect(check(twice, { tasks: 1, cpus: 2 }).verdict).toBe('deadlock');
  });
  it('a shared lock serialises the tasks: pte_offset under a global lock never finds the pool empty', () => {
    const global = P.finding('sleep-in-atomic', [P.lock('b.c', 3, 'pagetable_lock'), P.blockingKmap('b.c', 4, 'PAGETABLE')]);
    expect(check(global, { tasks: 3, pool: 1, cpus: 3 }).verdict).toBe('safe');
    expect(check(global, { tasks: 3, pool: 1, cpus: 3, locks: 'per-task' }).verdict).toBe('sleep-in-atomic');
  });
  it('a lock drop lets the callee sleep, which is fine when it was the only lock held', () => {
    const drop = P.finding('sleep-in-atomic', [P.lock('c.c', 3, 'mm->page_table_lock'), P.ev('lock-drop', 'c.c', 4, { lock: 'mm->page_table_lock', callee: 'pte_alloc' })]);
    expect(check(drop, { tasks: 2 }).verdict).toBe('safe');
    const other = P.finding('sleep-in-atomic', [P.lock('c.c', 2, 'dst->page_table_lock'), ...drop.path]);
    const t = check(other, { tasks: 1 });
    expect(t.verdict).toBe('sleep-in-atomic');
    expect(t.steps[t.steps.length - 1].event).toBe('BUG: scheduling while atomic: may sleep with mm->page_table_lock dropped (pte_alloc), holding dst->page_table_lock');
  });
});

describe('counter abstraction and reduction agree with the plain exploration', () => {
  const scenarios: [string, Finding][] = [
    ['mremap', P.mremap],
    ['pte_offset under lock', P.pteOffsetUnderLock],
    ['pte_offset_atomic under lock', P.pteOffsetAtomicUnderLock],
    ['wrong order', P.wrongOrder],
    ['msleep under lock', P.msleepUnderLock],
    ['lock twice', P.finding('lock-imbalance', [P.lock('a.c', 3, 'big_lock'), P.lock('a.c', 4, 'big_lock')])],
  ];
  const sizes: [number, number, number][] = [];
  for (const tasks of [1, 2, 3, 4]) for (const cpus of [1, 2, 3]) for (const pool of [1, 2, 3]) sizes.push([tasks, cpus, pool]);
  for (const [name, f] of scenarios)
    for (const preempt of [false, true])
      it(`${name}, ${preempt ? 'preemptible' : '2.4'}: same verdict for every size; same counterexample length without reduction`, () => {
        for (const [tasks, cpus, pool] of sizes) {
          const o = { tasks, cpus, pool, preempt };
          const plain = check(f, { ...o, symmetry: false, reduce: false });
          const counted = check(f, { ...o, symmetry: true, reduce: false });
          const reduced = check(f, { ...o, symmetry: true, reduce: true });
          const plainReduced = check(f, { ...o, symmetry: false, reduce: true });
          const label = JSON.stringify(o);
          expect(counted.verdict, label).toBe(plain.verdict);
          expect(reduced.verdict, label).toBe(plain.verdict);
          expect(plainReduced.verdict, label).toBe(plain.verdict);
          expect(counted.steps.length, label).toBe(plain.steps.length);
          expect(counted.stats.states, label).toBeLessThanOrEqual(plain.stats.states);
        }
      });
});

describe('--min-tasks', () => {
  it('mremap with a pool of 2 on 2.4 fails from 2 tasks', () => {
    const t = check(P.mremap, { pool: 2, minTasks: true });
    expect(t.minTasks).toEqual({ bound: 8, smallest: 2, tried: [{ tasks: 1, verdict: 'safe' }, { tasks: 2, verdict: 'deadlock' }] });
    expect(t.tasks).toBe(2);
    expect(t.verdict).toBe('deadlock');
  });
  it('mremap with a pool of 3 on 2.4 and 2 CPUs needs 4 tasks (only tasks on a CPU are half-way)', () => {
    const t = check(P.mremap, { pool: 3, cpus: 2, minTasks: true });
    expect(t.minTasks?.smallest).toBe(4);
    expect(t.minTasks?.tried).toEqual([
      { tasks: 1, verdict: 'safe' },
      { tasks: 2, verdict: 'safe' },
      { tasks: 3, verdict: 'safe' },
      { tasks: 4, verdict: 'deadlock' },
    ]);
  });
  it('mremap on a preemptible kernel fails with as many tasks as slots', () => {
    expect(check(P.mremap, { pool: 5, preempt: true, minTasks: true }).minTasks?.smallest).toBe(5);
    expect(check(P.mremap, { pool: 16, preempt: true, minTasks: true }).minTasks).toEqual({
      bound: 34,
      smallest: 16,
      tried: [1, 2, 4, 8, 12, 14, 15, 16].map((tasks) => ({ tasks, verdict: tasks < 16 ? 'safe' : 'deadlock' })),
    });
  });
  it('says so when no number of tasks up to the bound fails', () => {
    const t = check(P.rightOrder, { pool: 1, minTasks: true, counterpart: false, minTasksBound: 6 });
    expect(t.verdict).toBe('safe');
    expect(t.minTasks).toEqual({
      bound: 6,
      smallest: undefined,
      tried: [1, 2, 4, 6].map((tasks) => ({ tasks, verdict: 'safe' })),
    });
  });
});

describe('kmap leaks (kmap-leak)', () => {
  const leak = P.finding('kmap-leak', [P.kmap('leak.c', 8, 'DEFAULT', 'kmap'), P.ev('return', 'leak.c', 11, {})]);
  it('a task finishes with its slot still pinned; the pool runs dry for the task after the last slot', () => {
    const t = check(leak, { pool: 2, minTasks: true });
    expect(t.minTasks?.smallest).toBe(3);
    expect(t.verdict).toBe('deadlock');
    expect(t.programs[0].steps.map((s) => s.label)).toEqual(['kmap DEFAULT (kmap)']);
    expect(t.summary.map((s) => [s.status, s.holds])).toEqual([
      ['done', ['a DEFAULT slot (leak.c:8)']],
      ['done', ['a DEFAULT slot (leak.c:8)']],
      ['blocked', []],
    ]);
  });
});

describe('budget and parameters', () => {
  it('the time budget covers a whole --min-tasks search', () => {
    const t = check(P.pteOffsetAtomicUnderLock, { pool: 1, cpus: 6, minTasks: true, minTasksBound: 64, symmetry: false, reduce: false, maxMs: 50 });
    expect(t.verdict).toBe('bounded');
    expect(t.minTasks?.smallest).toBeUndefined();
    expect(t.minTasks?.tried[t.minTasks.tried.length - 1].verdict).toBe('bounded');
  });

  it('runs out of states: bounded, with the statistics of how far it got', () => {
    const t = check(P.pteOffsetAtomicUnderLock, { tasks: 8, pool: 8, cpus: 8, symmetry: false, reduce: false, maxStates: 500 });
    expect(t.verdict).toBe('bounded');
    expect(t.steps).toEqual([]);
    expect(t.stats.states).toBeGreaterThan(500);
    expect(t.stats.depth).toBeGreaterThan(0);
  });
  it('runs out of time: bounded', () => {
    expect(check(P.mremap, { tasks: 40, pool: 39, cpus: 40, reduce: false, maxMs: 1 }).verdict).toBe('bounded');
  });
  it.each([
    [{ tasks: 0 }, '--tasks must be an integer from 1 to 65535, got 0'],
    [{ cpus: 5000 }, '--cpus must be an integer from 1 to 4096, got 5000'],
    [{ pool: 70000 }, '--pool must be an integer from 1 to 65535, got 70000'],
    [{ tasks: 100, symmetry: false }, '--tasks must be an integer from 1 to 64, got 100'],
    [{ tasks: 2.5 }, '--tasks must be an integer from 1 to 65535, got 2.5'],
  ])('rejects %j', (o, message) => {
    expect(() => check(P.mremap, o as SimulationOptions)).toThrow(message);
  });
  it('picks small defaults per rule', () => {
    expect([check(P.mremap).tasks, check(P.mremap).pool, check(P.mremap).cpus]).toEqual([2, 2, 2]);
    expect([check(P.wrongOrder).tasks, check(P.wrongOrder).pool]).toEqual([2, 1]);
    expect([check(P.pteOffsetUnderLock).tasks, check(P.pteOffsetUnderLock).pool]).toEqual([2, 1]);
  });
});
