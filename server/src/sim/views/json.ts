/**
 * The trace as JSON: the documented keys first (verdict, tasks, cpus, pool, preempt, steps, stats,
 * finding), then the rest of the trace (series, programs, counterpart, lanes, summary, minTasks).
 */
import type { Trace } from '../trace';

export function renderJson(trace: Trace): string {
  const { verdict, tasks, cpus, pool, preempt, steps, stats, finding, ...rest } = trace;
  return JSON.stringify({ verdict, tasks, cpus, pool, preempt, steps, stats, finding, ...rest }, null, 2) + '\n';
}
