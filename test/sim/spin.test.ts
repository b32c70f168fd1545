/**
 * Cross-check with an independent model checker: each scenario is exported as Promela (one process
 * per task, written from the program steps, not from kpath's counter system), verified by Spin
 * (`spin -a`, `gcc -DSAFETY`, `./pan`), and Spin's verdict must agree with kpath's:
 *   deadlock or lockup   <-> invalid end state (assertions ignored, `pan -A`)
 *   sleep-in-atomic      <-> assertion violated (end states ignored, `pan -E`)
 *   safe                 <-> no error at all (`pan`)
 * Spin and gcc are required: CI installs them (`.ci/run`); without them this test fails.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../server/src/engine/finding';
import { renderPromela, simulateFinding, type SimulationOptions, type Verdict } from '../../server/src/sim/index';
import * as P from './paths';

const lockTwice = P.finding('lock-imbalance', [P.lock('a.c', 3, 'big_lock'), P.lock('a.c', 4, 'big_lock')]);
const dropUnderOther = P.finding('sleep-in-atomic', [
  P.lock('c.c', 2, 'dst->page_table_lock'),
  P.lock('c.c', 3, 'mm->page_table_lock'),
  P.ev('lock-drop', 'c.c', 4, { lock: 'mm->page_table_lock', callee: 'pte_alloc' }),
]);
const globalLockKmap = P.finding('sleep-in-atomic', [P.lock('b.c', 3, 'pagetable_lock'), P.blockingKmap('b.c', 4, 'PAGETABLE')]);

const forkPath = [
  P.lock('fork.c', 26, 'mm->page_table_lock'),
  P.kmap('memory.c', 35, 'PAGETABLE', 'pte_alloc'),
  P.blockingKmap('memory.c', 43, 'PAGETABLE2', 'pte_offset2'),
];
const leak = P.finding('kmap-leak', [P.kmap('leak.c', 8, 'DEFAULT', 'kmap')]);

const MODELS: [string, Finding, SimulationOptions, Verdict][] = [
  ['fork: pte_alloc drops the lock, pte_offset2 does not', P.finding('sleep-in-atomic', forkPath), { tasks: 3, pool: 2, cpus: 3 }, 'safe'],
  ['fork path replayed without the lock drop', P.finding('kmap-serie-order', forkPath), { tasks: 2, pool: 1, cpus: 2, counterpart: false }, 'sleep-in-atomic'],
  ['kmap leak, 3 tasks, pool 2', leak, { tasks: 3, pool: 2 }, 'deadlock'],
  ['kmap leak, 2 tasks, pool 2', leak, { tasks: 2, pool: 2 }, 'safe'],
  ['mremap, 2 tasks, pool 2, 2.4', P.mremap, { tasks: 2, pool: 2, cpus: 2 }, 'deadlock'],
  ['mremap, 1 task, pool 2', P.mremap, { tasks: 1, pool: 2 }, 'safe'],
  ['mremap, 3 tasks, pool 3, preemptible', P.mremap, { tasks: 3, pool: 3, cpus: 2, preempt: true }, 'deadlock'],
  ['mremap, 6 tasks, pool 5, 2 CPUs, 2.4', P.mremap, { tasks: 6, pool: 5, cpus: 2 }, 'safe'],
  ['mremap, 3 tasks, pool 3, 2 CPUs, 2.4', P.mremap, { tasks: 3, pool: 3, cpus: 2 }, 'safe'],
  ['mremap, 4 tasks, pool 3, 2 CPUs, 2.4', P.mremap, { tasks: 4, pool: 3, cpus: 2 }, 'deadlock'],
  ['pte_offset2 under dst->page_table_lock', P.pteOffsetUnderLock, { tasks: 2, pool: 1, cpus: 2 }, 'sleep-in-atomic'],
  ['pte_offset2 under a lock, preemptible', P.pteOffsetUnderLock, { tasks: 2, pool: 1, cpus: 2, preempt: true }, 'sleep-in-atomic'],
  ['pte_offset2 under a lock, one CPU', P.pteOffsetUnderLock, { tasks: 3, pool: 1, cpus: 1 }, 'safe'],
  ['pte_offset_atomic2 under a lock', P.pteOffsetAtomicUnderLock, { tasks: 3, pool: 1, cpus: 3 }, 'safe'],
  ['pte_offset_atomic2 under a lock, preemptible', P.pteOffsetAtomicUnderLock, { tasks: 3, pool: 1, cpus: 2, preempt: true }, 'safe'],
  ['DEFAULT then PAGETABLE against the mirror', P.wrongOrder, { tasks: 2, pool: 1 }, 'deadlock'],
  ['opposite orders, 4 tasks, pool 2, 2 CPUs, 2.4', P.wrongOrder, { tasks: 4, pool: 2, cpus: 2 }, 'safe'],
  ['opposite orders, 4 tasks, pool 2, preemptible', P.wrongOrder, { tasks: 4, pool: 2, cpus: 1, preempt: true }, 'deadlock'],
  ['PAGETABLE2 then PAGETABLE in every task', P.rightOrder, { tasks: 3, pool: 1, cpus: 2, counterpart: false }, 'safe'],
  ['spin_lock twice, 2 CPUs', lockTwice, { tasks: 2, cpus: 2 }, 'lockup'],
  ['msleep under a spinlock', P.msleepUnderLock, { tasks: 1 }, 'sleep-in-atomic'],
  ['pte_alloc drops one lock of two', dropUnderOther, { tasks: 1 }, 'sleep-in-atomic'],
  ['pte_offset under a global lock', globalLockKmap, { tasks: 3, pool: 1, cpus: 3 }, 'safe'],
];

let dir = '';

function requireTool(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error)
    throw new Error(`'${cmd}' is not installed: the simulator's cross-check needs Spin and gcc (Debian: apt-get install spin gcc libc6-dev; .ci/run installs them)`);
}

const run = promisify(execFile);

/** Runs Spin on the model; returns which kind of error it reports ('none' when it finds none). */
async function spinVerdict(name: string, promela: string, panFlags: string[]): Promise<{ kind: 'none' | 'end-state' | 'assertion' | 'other'; out: string }> {
  // Async on purpose: synchronous children would block vitest's worker for the whole compile.
  const sub = join(dir, name.replace(/[^A-Za-z0-9]+/g, '-'));
  mkdirSync(sub, { recursive: true });
  writeFileSync(join(sub, 'model.pml'), promela);
  await run('spin', ['-a', 'model.pml'], { cwd: sub });
  await run('gcc', ['-DSAFETY', '-O1', '-w', '-o', 'pan', 'pan.c'], { cwd: sub });
  // pan exits non-zero when it finds an error: read its output either way.
  const r = await run('./pan', panFlags, { cwd: sub }).catch((e: { stdout?: string; stderr?: string }) => ({ stdout: e.stdout ?? '', stderr: e.stderr ?? '' }));
  const out = r.stdout + r.stderr;
  const errors = /errors: (\d+)/.exec(out);
  if (!errors) return { kind: 'other', out };
  if (errors[1] === '0') return { kind: 'none', out };
  if (/pan:\d+: invalid end state/.test(out)) return { kind: 'end-state', out };
  if (/pan:\d+: assertion violated/.test(out)) return { kind: 'assertion', out };
  return { kind: 'other', out };
}

describe('Spin agrees with kpath', () => {
  beforeAll(() => {
    requireTool('spin', ['-V']);
    requireTool('gcc', ['--version']);
    dir = mkdtempSync(join(tmpdir(), 'kpath-spin-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exports at least ten models, failing and safe', () => {
    expect(MODELS.length).toBeGreaterThanOrEqual(10);
    expect(MODELS.filter((m) => m[3] === 'safe').length).toBeGreaterThanOrEqual(4);
    expect(MODELS.filter((m) => m[3] !== 'safe').length).toBeGreaterThanOrEqual(4);
  });

  it.each(MODELS)('%s', async (name, finding, options, expected) => {
    const trace = simulateFinding(finding, options);
    expect(trace.verdict).toBe(expected);
    const promela = renderPromela(trace);
    const [flags, kind] = expected === 'safe' ? [[], 'none'] : expected === 'sleep-in-atomic' ? [['-E'], 'assertion'] : [['-A'], 'end-state'];
    const spin = await spinVerdict(name, promela, flags);
    expect(spin.kind, spin.out).toBe(kind);
  });
});
