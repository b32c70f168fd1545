/**
 * The simulator's library entry: a finding (and the engine's serie nestings) in, a trace out.
 * Chooses the defaults for the finding's rule, checks the parameters, and runs the exploration once
 * or, for --min-tasks, as a search over the number of tasks.
 */
import type { Finding, RuleId } from '../engine/finding';
import { explore, type Exploration } from './explore';
import { buildModel, type ModelOptions } from './model';
import { workloadFor, type SerieNesting, type Workload } from './program';
import { buildTrace, type Trace } from './trace';

export interface SimulationOptions {
  tasks?: number;
  cpus?: number;
  /** Slots per serie. */
  pool?: number;
  preempt?: boolean;
  /** Search the smallest number of tasks that fails (up to `minTasksBound`). */
  minTasks?: boolean;
  minTasksBound?: number;
  /** Counter abstraction over identical tasks (default true). */
  symmetry?: boolean;
  /** Partial-order reduction (default true). */
  reduce?: boolean;
  maxStates?: number;
  maxMs?: number;
  locks?: ModelOptions['locks'];
  /** For kmap-serie-order: run the opposite-order path in every other task (default true). */
  counterpart?: boolean;
}

export const LIMITS = {
  tasks: { min: 1, max: 65535 },
  cpus: { min: 1, max: 4096 },
  pool: { min: 1, max: 65535 },
  /** Without the counter abstraction every task has its own places. */
  tasksWithoutSymmetry: 64,
};

export const DEFAULT_BUDGET = { maxStates: 2_000_000, maxMs: 20_000 };

export class SimulationError extends Error {}

/**
 * Small defaults that show the failure when there is one: a pool of one slot for what needs an empty
 * pool to go wrong, two for a serie taken twice (one task alone must then get through).
 */
export function defaultsFor(rule: RuleId, given: SimulationOptions): { tasks: number; cpus: number; pool: number } {
  const pool = given.pool ?? (rule === 'kmap-serie-reentry' || rule === 'kmap-leak' ? 2 : 1);
  const tasks = given.tasks ?? (rule === 'kmap-serie-reentry' ? Math.max(pool, 2) : rule === 'kmap-serie-order' ? 2 * pool : pool + 1);
  const cpus = given.cpus ?? 2;
  return { tasks, cpus, pool };
}

function checkRange(name: 'tasks' | 'cpus' | 'pool', value: number, max: number = LIMITS[name].max): void {
  const min = LIMITS[name].min;
  if (!Number.isInteger(value) || value < min || value > max)
    throw new SimulationError(`--${name} must be an integer from ${min} to ${max}, got ${value}`);
}

export function modelOptions(finding: Finding, options: SimulationOptions): ModelOptions {
  const d = defaultsFor(finding.rule, options);
  const symmetry = options.symmetry ?? true;
  checkRange('pool', d.pool);
  checkRange('cpus', d.cpus);
  checkRange('tasks', d.tasks, symmetry ? LIMITS.tasks.max : LIMITS.tasksWithoutSymmetry);
  return { ...d, preempt: options.preempt ?? false, symmetry, locks: options.locks ?? 'auto' };
}

function runOnce(finding: Finding, workload: Workload, mo: ModelOptions, options: SimulationOptions): { ex: Exploration; trace: () => Trace } {
  const model = buildModel(workload.programs, mo);
  const reduce = options.reduce ?? true;
  const ex = explore(model, {
    reduce,
    maxStates: options.maxStates ?? DEFAULT_BUDGET.maxStates,
    maxMs: options.maxMs ?? DEFAULT_BUDGET.maxMs,
  });
  return { ex, trace: () => buildTrace(model, workload, ex, finding, reduce) };
}

const fails = (ex: Exploration) => ex.verdict !== 'safe' && ex.verdict !== 'bounded';

/** Replays `finding` on the machine described by `options`. Throws SimulationError on bad parameters. */
export function simulateFinding(finding: Finding, options: SimulationOptions = {}, nestings: SerieNesting[] = []): Trace {
  if (!finding.path || finding.path.length === 0) throw new SimulationError('the finding has no path to replay');
  const workload = workloadFor(finding, nestings, options.counterpart ?? true);
  if (workload.programs[0].steps.length === 0) throw new SimulationError('the finding\'s path has no step the simulator can replay');
  const mo = modelOptions(finding, options);
  if (options.minTasks) return searchMinTasks(finding, workload, mo, options);
  if (finding.rule === 'sleep-in-atomic' && options.tasks === undefined && options.cpus === undefined && options.pool === undefined)
    return smallestFailingMachine(finding, workload, mo, options);
  return runOnce(finding, workload, mo, options).trace();
}

/**
 * A blocking kmap under a spinlock fails only once its pool is empty while more tasks than slots
 * are atomic, and a path may pin slots before (pte_alloc before pte_offset2): with no machine given,
 * grow pool, tasks and CPUs together until the failure shows, so the default replay shows it.
 */
function smallestFailingMachine(finding: Finding, workload: Workload, mo: ModelOptions, options: SimulationOptions): Trace {
  const slots = workload.programs[0].steps.filter((s) => s.op === 'kmap').length;
  let last: ReturnType<typeof runOnce> | undefined;
  for (let pool = 1; pool <= Math.max(1, slots); pool++) {
    last = runOnce(finding, workload, { ...mo, pool, tasks: pool + 1, cpus: pool + 1 }, options);
    if (fails(last.ex) || last.ex.verdict === 'bounded') break;
  }
  return last!.trace();
}

/**
 * The smallest number of tasks that fails. More tasks can only add behaviours (an extra task can
 * wait until the others are stuck), so failing is monotone in the number of tasks: double until a
 * failure, then bisect.
 */
function searchMinTasks(finding: Finding, workload: Workload, mo: ModelOptions, options: SimulationOptions): Trace {
  const cap = mo.symmetry ? LIMITS.tasks.max : LIMITS.tasksWithoutSymmetry;
  const bound = Math.min(options.minTasksBound ?? Math.max(2 * mo.pool + 2, 8), cap);
  checkRange('tasks', bound, cap);
  const tried: { tasks: number; verdict: Exploration['verdict'] }[] = [];
  const runs = new Map<number, ReturnType<typeof runOnce>>();
  // The time budget is for the whole search, so that it never hangs either.
  const deadline = Date.now() + (options.maxMs ?? DEFAULT_BUDGET.maxMs);
  const run = (n: number) => {
    let r = runs.get(n);
    if (!r) {
      r = runOnce(finding, workload, { ...mo, tasks: n }, { ...options, maxMs: Math.max(1, deadline - Date.now()) });
      runs.set(n, r);
      tried.push({ tasks: n, verdict: r.ex.verdict });
    }
    return r;
  };
  let lo = 0; // largest known safe
  let hi = -1; // smallest known failing
  for (let n = 1; ; n = Math.min(n * 2, bound)) {
    const r = run(n);
    if (r.ex.verdict === 'bounded') return withSearch(r.trace(), bound, undefined, tried);
    if (fails(r.ex)) {
      hi = n;
      break;
    }
    lo = n;
    if (n === bound) break;
  }
  if (hi < 0) return withSearch(run(bound).trace(), bound, undefined, tried);
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const r = run(mid);
    if (r.ex.verdict === 'bounded') return withSearch(r.trace(), bound, undefined, tried);
    if (fails(r.ex)) hi = mid;
    else lo = mid;
  }
  return withSearch(run(hi).trace(), bound, hi, tried);
}

function withSearch(trace: Trace, bound: number, smallest: number | undefined, tried: { tasks: number; verdict: Exploration['verdict'] }[]): Trace {
  return { ...trace, minTasks: { bound, smallest, tried: [...tried].sort((a, b) => a.tasks - b.tasks) } };
}
