/**
 * Reads the simulator's JSON trace (issue 3: `{verdict, tasks, cpus, pool, preempt, steps: [{step, task,
 * cpu, event, file, line, state}], stats: {states, ms}}`) defensively: the view must render whatever a
 * server of another version sends, showing what it understands. Free of the vscode API.
 */

export interface TraceStep {
  /** Position in `steps`; the webview and the extension speak about steps by this index. */
  index: number;
  task: string;
  cpu: string;
  event: string;
  file?: string;
  /** 1-based, as the simulator reports it. */
  line?: number;
  state?: string;
}

/** A --min-tasks search: the smallest failing number of tasks, if one up to `bound` fails. */
export interface MinTasksSearch {
  bound: number;
  smallest?: number;
  tried: { tasks: number; verdict: string }[];
}

/** For an ordering violation: where the path taking the series the other way round came from. */
export interface Counterpart {
  source: 'engine' | 'mirrored';
  outer: string;
  inner: string;
  file: string;
  line: number;
}

export interface TraceSummary {
  tasks?: number;
  cpus?: number;
  pool?: number;
  preempt?: boolean;
  states?: number;
  ms?: number;
  minTasks?: MinTasksSearch;
  counterpart?: Counterpart;
  steps: TraceStep[];
}

export function readTrace(trace: unknown): TraceSummary {
  const t = isObject(trace) ? trace : {};
  const stats = isObject(t.stats) ? t.stats : {};
  const steps = Array.isArray(t.steps) ? t.steps : [];
  const pool = numberOrUndefined(t.pool);
  return {
    tasks: numberOrUndefined(t.tasks),
    cpus: numberOrUndefined(t.cpus),
    pool,
    preempt: typeof t.preempt === 'boolean' ? t.preempt : undefined,
    states: numberOrUndefined(stats.states),
    ms: numberOrUndefined(stats.ms),
    ...optional('minTasks', readMinTasks(t.minTasks)),
    ...optional('counterpart', readCounterpart(t.counterpart)),
    steps: steps.map((raw, index): TraceStep => {
      const s = isObject(raw) ? raw : {};
      const line = numberOrUndefined(s.line);
      return {
        index,
        task: label(s.task),
        cpu: label(s.cpu),
        event: label(s.event) || label(s.message),
        file: typeof s.file === 'string' && s.file !== '' ? s.file : undefined,
        line: line !== undefined && line >= 1 ? line : undefined,
        state: s.state === undefined ? undefined : describeState(s.state, pool),
      };
    }),
  };
}

/**
 * One line for a step's state. The simulator's shape (`{task, pools, locks}`) reads as
 * "running · PAGETABLE 2/2 · mm->page_table_lock: T0"; other keys fall back to `key: value`.
 */
function readMinTasks(value: unknown): MinTasksSearch | undefined {
  if (!isObject(value) || typeof value.bound !== 'number') return undefined;
  const tried = Array.isArray(value.tried) ? value.tried.filter(isObject) : [];
  return {
    bound: value.bound,
    ...optional('smallest', numberOrUndefined(value.smallest)),
    tried: tried.map((t) => ({ tasks: Number(t.tasks), verdict: label(t.verdict) })),
  };
}

function readCounterpart(value: unknown): Counterpart | undefined {
  if (!isObject(value) || (value.source !== 'engine' && value.source !== 'mirrored')) return undefined;
  return { source: value.source, outer: label(value.outer), inner: label(value.inner), file: label(value.file), line: Number(value.line) };
}

/** `{ key: value }` when value is defined, else `{}`: absent fields stay absent (exact test equality). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function describeState(state: unknown, pool: number | undefined): string {
  if (typeof state === 'string') return state;
  if (!isObject(state)) return label(state);
  const parts: string[] = [];
  for (const [key, value] of Object.entries(state)) {
    if (key === 'task' && typeof value === 'string') parts.push(value);
    else if (key === 'pools' && isObject(value)) {
      for (const [serie, used] of Object.entries(value)) parts.push(`${serie} ${label(used)}${pool !== undefined ? `/${pool}` : ''}`);
    } else if (key === 'locks' && isObject(value)) {
      for (const [lock, holder] of Object.entries(value)) parts.push(`${lock}: T${label(holder)}`);
    } else parts.push(`${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return parts.join(' · ');
}

function label(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
