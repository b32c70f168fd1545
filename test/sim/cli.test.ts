/**
 * `kpath simulate` end to end: the engine checks the C fixtures in test/sim/fixtures/, runSimulate
 * picks the finding at the line and prints the simulation. Every run goes through `simulate()`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSimulate } from '../../server/src/sim/index';

const FIXTURES = join(__dirname, 'fixtures');

async function simulate(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runSimulate(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    readFile: (p) => readFileSync(join(FIXTURES, p), 'utf8'),
  });
  return { code, stdout, stderr };
}

describe('kpath simulate on C fixtures', () => {
  it("replays mremap's double PAGETABLE kmap into a deadlock (text)", async () => {
    const r = await simulate('mremap.c:14');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[1]).toBe('WARNING: possible kmap pool deadlock: every task that has not finished waits for a slot nobody will free');
    expect(lines[4]).toBe('2 tasks, 2 CPUs, 2 slots per serie (PAGETABLE), no preemption (2.4)');
    expect(lines).toContain(' *** DEADLOCK ***');
    expect(lines).toContain('    waits for: a PAGETABLE slot (mremap.c:14)');
  });

  it('json: the documented keys and the steps with file:line', async () => {
    const r = await simulate('mremap.c:14', '--format', 'json', '--tasks', '3', '--pool', '3', '--preempt');
    expect(r.code).toBe(1);
    const t = JSON.parse(r.stdout);
    expect(Object.keys(t).slice(0, 8)).toEqual(['verdict', 'tasks', 'cpus', 'pool', 'preempt', 'steps', 'stats', 'finding']);
    expect([t.verdict, t.tasks, t.cpus, t.pool, t.preempt]).toEqual(['deadlock', 3, 2, 3, true]);
    expect(t.steps.map((s: { task: number; line: number; event: string }) => [s.task, s.line, s.event])).toEqual([
      [0, 13, 'kmap PAGETABLE (pte_offset) (1/3 in use)'],
      [1, 13, 'kmap PAGETABLE (pte_offset) (2/3 in use)'],
      [2, 13, 'kmap PAGETABLE (pte_offset) (3/3 in use)'],
    ]);
    expect(Object.keys(t.steps[0])).toEqual(['step', 'task', 'cpu', 'event', 'file', 'line', 'state']);
    expect([t.finding.rule, t.finding.line, t.finding.function]).toEqual(['kmap-serie-reentry', 14, 'move_page']);
    expect(typeof t.stats.states).toBe('number');
    expect(typeof t.stats.ms).toBe('number');
  });

  it("pte_offset2 under the caller's dst->page_table_lock schedules while atomic", async () => {
    const t = JSON.parse((await simulate('mremap.c:25', '-f', 'json')).stdout);
    expect(t.verdict).toBe('sleep-in-atomic');
    const last = t.steps[t.steps.length - 1];
    expect([last.file, last.line, last.event]).toEqual([
      'mremap.c',
      25,
      'BUG: scheduling while atomic: kmap PAGETABLE2 (pte_offset2): PAGETABLE2 pool empty (1/1 in use), holding dst->page_table_lock',
    ]);
    expect(t.programs[0].steps[0]).toEqual({ op: 'lock', label: 'takes dst->page_table_lock (spin_lock)', file: 'mremap.c', line: 32, lock: 'dst->page_table_lock', shared: false, atomic: false });
  });

  it('takes the opposite-order path from the other files given', async () => {
    const t = JSON.parse((await simulate('mremap.c:43', 'nopage.c', '--format=json')).stdout);
    expect(t.verdict).toBe('deadlock');
    expect(t.counterpart).toEqual({ source: 'engine', outer: 'PAGETABLE', inner: 'DEFAULT', file: 'nopage.c', line: 14 });
    const alone = JSON.parse((await simulate('mremap.c:43', '--format=json')).stdout);
    expect(alone.counterpart.source).toBe('mirrored');
  });

  it('--min-tasks finds the smallest failing number of tasks', async () => {
    const r = await simulate('mremap.c:14', '--pool', '3', '--min-tasks');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Smallest number of tasks that fails: 4 (tried 1: safe, 2: safe, 3: safe, 4: deadlock).');
  });

  it('exit 0 when the replay is safe', async () => {
    const r = await simulate('mremap.c:14', '--tasks', '1');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[1]).toBe('kpath simulate: safe: no interleaving deadlocks, locks up or sleeps in atomic context');
  });

  it('svg, html and promela', async () => {
    const svg = (await simulate('mremap.c:14', '--format', 'svg')).stdout;
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const html = (await simulate('mremap.c:14', '--format', 'html')).stdout;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/);
    const pml = (await simulate('mremap.c:14', '--format', 'promela')).stdout;
    expect(pml).toContain('short pool_0 = 2;   /* free PAGETABLE slots */');
    expect(pml).toContain('proctype flagged() {');
  });

  it('no finding at the line: an error listing the findings of the file', async () => {
    const r = await simulate('mremap.c:3');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').slice(0, 2)).toEqual(['kpath simulate: no finding at mremap.c:3.', 'Findings in mremap.c:']);
    expect(r.stderr).toMatch(/\n {2}mremap\.c:14:\d+: kmap-serie-reentry: /);
    expect(r.stderr).toMatch(/\n {2}mremap\.c:25:\d+: sleep-in-atomic: /);
    expect(r.stderr).toMatch(/\n {2}mremap\.c:43:\d+: kmap-serie-order: /);
  });

  it('a finding of another rule at the line', async () => {
    const r = await simulate('mremap.c:14', '--rule', 'sleep-in-atomic');
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('kpath simulate: no sleep-in-atomic finding at mremap.c:14.');
  });

  it.each([
    [['mremap.c:14', '--tasks', '0'], 'kpath simulate: --tasks must be an integer from 1 to 65535, got 0'],
    [['mremap.c:14', '--pool', '70000'], 'kpath simulate: --pool must be an integer from 1 to 65535, got 70000'],
    [['mremap.c:14', '--cpus', 'two'], "kpath simulate: --cpus needs a whole number, got 'two'"],
    [['mremap.c:14', '--format', 'dot'], "kpath simulate: --format must be one of text, json, svg, html, promela, got 'dot'"],
    [['mremap.c:14', '--rule', 'nope'], "kpath simulate: unknown rule 'nope' (rules: sleep-in-atomic, kmap-serie-reentry, kmap-serie-order, kmap-leak, kunmap-order, kunmap-mismatch, lock-imbalance)"],
    [['mremap.c'], "kpath simulate: 'mremap.c' is not FILE:LINE"],
    [[], 'kpath simulate: missing FILE:LINE'],
    [['mremap.c:14', '--min-tasks', '--tasks', '3'], 'kpath simulate: --min-tasks searches the number of tasks: drop --tasks'],
    [['mremap.c:14', '--bogus'], "kpath simulate: unknown option '--bogus'"],
  ])('usage error %j', async (argv, message) => {
    const r = await simulate(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(message);
  });

  it('an unreadable file', async () => {
    const r = await simulate('missing.c:3');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^kpath simulate: cannot read missing\.c: ENOENT/);
  });

  it('--help', async () => {
    const r = await simulate('--help');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Usage: kpath simulate FILE:LINE [options] [OTHER FILES...]');
  });
});
