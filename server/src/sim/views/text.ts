/**
 * The trace as text in the style of lockdep's "possible unsafe locking scenario": a headline naming
 * the property violated, one column per task (a single column with task names when there are more
 * than four), each step with file:line, and a closing summary of who holds and who waits for what.
 */
import type { Trace, TraceStep } from '../trace';

const RULE = '======================================================';
const THIN = '------------------------------------------------------';
const COLUMN = 44;
const MAX_COLUMNS = 4;

export function headline(trace: Trace): string {
  switch (trace.verdict) {
    case 'deadlock':
      return trace.summary.some((t) => t.status === 'blocked')
        ? 'WARNING: possible kmap pool deadlock: every task that has not finished waits for a slot nobody will free'
        : 'WARNING: possible deadlock: no task can run and not all have finished';
    case 'lockup':
      return 'WARNING: possible lockup: every CPU spins on a lock whose holder cannot run';
    case 'sleep-in-atomic':
      return 'BUG: scheduling while atomic: a task sleeps holding a spinlock or an atomic kmap';
    case 'safe':
      return 'kpath simulate: safe: no interleaving deadlocks, locks up or sleeps in atomic context';
    case 'bounded':
      return `kpath simulate: no verdict: the exploration budget ran out after ${trace.stats.states} states`;
  }
}

export function machine(trace: Trace): string {
  const series = trace.series.length > 0 ? ` (${trace.series.join(', ')})` : '';
  const preempt = trace.preempt ? 'preemptible kernel (preemption outside atomic sections)' : 'no preemption (2.4)';
  return `${trace.tasks} task${trace.tasks === 1 ? '' : 's'}, ${trace.cpus} CPU${trace.cpus === 1 ? '' : 's'}, ${trace.pool} slot${trace.pool === 1 ? '' : 's'} per serie${series}, ${preempt}`;
}

function where(s: { file: string; line: number }): string {
  return `${s.file}:${s.line}`;
}

function cell(s: TraceStep): string {
  return `${s.event}  ${where(s)}`;
}

function fit(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width - 2) + '… ' : text.padEnd(width);
}

function programs(trace: Trace): string[] {
  const out: string[] = [];
  for (const p of trace.programs) {
    if (p.tasks.length === 0) continue;
    const who = p.tasks.length === trace.tasks ? 'Every task runs' : `${taskList(p.tasks)} run${p.tasks.length === 1 ? 's' : ''}`;
    out.push(`${who} the ${p.name} path:`);
    for (const s of p.steps) out.push(`    ${fit(s.label, COLUMN)}${where(s)}`);
  }
  const c = trace.counterpart;
  if (c)
    out.push(
      c.source === 'engine'
        ? `The counterpart path takes ${c.outer} then ${c.inner}, as found by the engine at ${c.file}:${c.line}.`
        : `No path taking ${c.outer} then ${c.inner} was found in the files analysed: the counterpart is the flagged path mirrored.`,
    );
  return out;
}

function taskList(tasks: number[]): string {
  if (tasks.length <= 6) return tasks.map((t) => `T${t}`).join(', ');
  return `T${tasks[0]}, T${tasks[1]}, ..., T${tasks[tasks.length - 1]} (${tasks.length} tasks)`;
}

function scenario(trace: Trace): string[] {
  const out: string[] = [];
  const num = (n: number) => String(n).padStart(5) + '   ';
  if (trace.tasks <= MAX_COLUMNS) {
    out.push(' '.repeat(8) + Array.from({ length: trace.tasks }, (_, t) => fit(`T${t}`, COLUMN)).join('').trimEnd());
    out.push(' '.repeat(8) + Array.from({ length: trace.tasks }, () => fit('----', COLUMN)).join('').trimEnd());
    for (const s of trace.steps) out.push((num(s.step) + ' '.repeat(COLUMN * s.task) + cell(s)).trimEnd());
  } else for (const s of trace.steps) out.push(`${num(s.step)}T${s.task}${s.cpu !== null ? `/CPU${s.cpu}` : ''}: ${cell(s)}`);
  return out;
}

function closing(trace: Trace): string[] {
  const out: string[] = [];
  const relevant = trace.summary.filter((t) => t.status !== 'done');
  const shown = relevant.length > 12 ? [...relevant.slice(0, 8), ...relevant.slice(-2)] : relevant;
  for (const t of shown) {
    out.push(` T${t.task} (${t.status})`);
    out.push(`    holds: ${t.holds.length > 0 ? t.holds.join(', ') : 'nothing'}`);
    if (t.waitsFor) out.push(`    waits for: ${t.waitsFor}`);
    if (t === shown[7] && shown.length < relevant.length) out.push(` ... ${relevant.length - shown.length} more tasks in the same state as their neighbours ...`);
  }
  const done = trace.summary.length - relevant.length;
  if (done > 0) out.push(` ${done} task${done === 1 ? '' : 's'} finished.`);
  return out;
}

function statsLine(trace: Trace): string {
  const how = [trace.stats.symmetry ? 'counter abstraction' : 'one place per task', trace.stats.reduction ? 'stubborn-set reduction' : 'all interleavings'].join(', ');
  return `explored ${trace.stats.states} states (${trace.stats.transitions} transitions, depth ${trace.stats.depth}) in ${trace.stats.ms} ms; ${how}`;
}

function minTasks(trace: Trace): string[] {
  const m = trace.minTasks;
  if (!m) return [];
  const tried = m.tried.map((r) => `${r.tasks}: ${r.verdict}`).join(', ');
  if (m.smallest !== undefined) return [`Smallest number of tasks that fails: ${m.smallest} (tried ${tried}).`];
  if (m.tried.some((r) => r.verdict === 'bounded')) return [`No smallest number of tasks found: the budget ran out (tried ${tried}).`];
  return [`No number of tasks up to ${m.bound} fails (tried ${tried}).`];
}

export function renderText(trace: Trace): string {
  const f = trace.finding;
  const lines: string[] = [RULE, headline(trace), `kpath simulate: ${f.rule} at ${f.file}:${f.line} (${f.function}): ${f.message}`, THIN];
  lines.push(machine(trace), ...programs(trace), '');
  lines.push(...minTasks(trace));
  if (trace.steps.length > 0) {
    lines.push(' Possible unsafe scenario:', '', ...scenario(trace), '');
    const tag = { deadlock: '*** DEADLOCK ***', lockup: '*** LOCKUP ***', 'sleep-in-atomic': '*** SCHEDULING WHILE ATOMIC ***' }[
      trace.verdict as 'deadlock' | 'lockup' | 'sleep-in-atomic'
    ];
    if (tag) lines.push(` ${tag}`, '');
    lines.push(...closing(trace), '');
  }
  lines.push(statsLine(trace));
  return lines.join('\n') + '\n';
}
