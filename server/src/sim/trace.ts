/**
 * The trace: plain data that every view (json, text, svg, html) renders. It is built by replaying
 * the explorer's transitions on concrete tasks: a transition of a class moves the lowest-numbered
 * task of that class standing at its place (tasks of a class are interchangeable), and CPUs are
 * numbered as tasks take them, so a counter-abstracted counterexample reads like a concrete one.
 */
import type { Finding, RuleId } from '../engine/finding';
import type { Exploration, Verdict } from './explore';
import { ASLEEP, lockIsShared, OFF, ON, WAIT, type Model } from './model';
import type { Step, Workload } from './program';

/** What a task is doing, as a lane of the timeline shows it. */
export type TaskStatus = 'ready' | 'running' | 'spinning' | 'blocked' | 'sleeping' | 'done' | 'failed';

export interface TraceStep {
  step: number;
  task: number;
  /** The CPU the task ran on; null when it was woken by another. */
  cpu: number | null;
  event: string;
  file: string;
  line: number;
  state: {
    /** The acting task's status after the step. */
    task: TaskStatus;
    /** Slots in use per serie. */
    pools: Record<string, number>;
    /** Lock -> holding task (a per-task lock instance is named `lock[Tn]`). */
    locks: Record<string, number>;
    /**
     * Per-CPU atomic kmap slots in use ("CPU0" -> count), when some program maps atomically. A slot
     * is never shared: its holder cannot leave the CPU without the sleep-in-atomic verdict.
     */
    atomicKmaps?: Record<string, number>;
  };
}

/** A step of a program as the trace records it (enough to rebuild the model, e.g. as Promela). */
export interface ProgramStep {
  op: Step['op'];
  label: string;
  file: string;
  line: number;
  serie?: string;
  lock?: string;
  /** For lock steps: whether tasks share this lock (else each task has its own instance). */
  shared?: boolean;
  /** The task may not sleep when about to execute this step. */
  atomic: boolean;
}

export interface TaskSummary {
  task: number;
  program: string;
  status: TaskStatus;
  holds: string[];
  waitsFor?: string;
  /** Where the task stands: the step it would execute next (or failed at). */
  at?: { file: string; line: number; label: string };
}

export interface Trace {
  verdict: Verdict;
  rule: RuleId;
  tasks: number;
  cpus: number;
  pool: number;
  preempt: boolean;
  series: string[];
  programs: { name: string; tasks: number[]; steps: ProgramStep[] }[];
  counterpart?: Workload['counterpart'];
  steps: TraceStep[];
  /** Status changes per task: [i, status] means the status holds from step index i (0-based, the step that caused it) on. */
  lanes: { task: number; program: string; changes: [number, TaskStatus][] }[];
  summary: TaskSummary[];
  stats: { states: number; ms: number; transitions: number; depth: number; symmetry: boolean; reduction: boolean };
  /** Set by a --min-tasks search. */
  minTasks?: { bound: number; smallest?: number; tried: { tasks: number; verdict: Verdict }[] };
  finding: Finding;
}

interface TaskState {
  pc: number;
  status: number; // OFF/ON/WAIT/ASLEEP, or -1 done, -2 failed
  cpu: number | null;
}

const DONE = -1;
const FAILED = -2;

export function buildTrace(model: Model, workload: Workload, ex: Exploration, finding: Finding, reduction: boolean): Trace {
  const opts = model.options;
  const tasks: TaskState[] = model.programOfTask.map(() => ({ pc: 0, status: OFF, cpu: null }));
  const classOfTask: number[] = [];
  model.classes.forEach((c, ci) => c.tasks.forEach((t) => (classOfTask[t] = ci)));
  const programOf = (t: number) => model.classes[classOfTask[t]].program;
  const pools: Record<string, number> = Object.fromEntries(model.series.map((s) => [s, 0]));
  const locks: Record<string, number> = {};
  const atomicKmaps: Record<string, number> | undefined = workload.programs.some((p) => p.steps.some((s) => s.op === 'kmap-atomic'))
    ? Object.fromEntries(Array.from({ length: opts.cpus }, (_, c) => [`CPU${c}`, 0]))
    : undefined;
  const cpuHolder: (number | null)[] = Array.from({ length: opts.cpus }, () => null);
  const lockKey = (lock: string, t: number) => (lockIsShared(lock, opts.locks) ? lock : `${lock}[T${t}]`);

  const statusOf = (t: number): TaskStatus => {
    const s = tasks[t];
    if (s.status === DONE) return 'done';
    if (s.status === FAILED) return 'failed';
    if (s.status === WAIT) return 'blocked';
    if (s.status === ASLEEP) return 'sleeping';
    if (s.status === OFF) {
      // Preemptible model: a task waiting for a slot is one whose kmap cannot go on.
      const next = programOf(t).steps[s.pc];
      if (next?.op === 'kmap' && pools[next.serie!] >= opts.pool) return 'blocked';
      return shown.includes(t) ? 'running' : 'ready';
    }
    const step = programOf(t).steps[s.pc];
    if (step?.op === 'lock' && locks[lockKey(step.lock!, t)] !== undefined) return 'spinning';
    return 'running';
  };
  // Preemptible model: the unpinned task last seen running on each CPU (shown as running until
  // another task takes that CPU: it was preempted).
  const shown: (number | null)[] = cpuHolder.map(() => null);
  const pickCpu = (t: number): number => {
    let c = shown.findIndex((x, i) => x === t && cpuHolder[i] === null);
    if (c < 0) c = cpuHolder.findIndex((x, i) => x === null && shown[i] === null);
    if (c < 0) c = cpuHolder.indexOf(null);
    return c < 0 ? 0 : c;
  };
  const forget = (t: number) => shown.forEach((x, i) => x === t && (shown[i] = null));
  const takeCpu = (t: number) => {
    if (tasks[t].cpu !== null) return;
    const c = pickCpu(t);
    forget(t);
    tasks[t].cpu = c;
    if (cpuHolder[c] === null) cpuHolder[c] = t;
    shown[c] = null;
  };
  const leaveCpu = (t: number) => {
    const c = tasks[t].cpu;
    if (c !== null && cpuHolder[c] === t) cpuHolder[c] = null;
    tasks[t].cpu = null;
  };

  const lanes = model.programOfTask.map((p, t) => ({ task: t, program: programOf(t).name, changes: [[0, 'ready']] as [number, TaskStatus][] }));
  const lastStatus: TaskStatus[] = lanes.map(() => 'ready');
  const steps: TraceStep[] = [];

  for (const tid of ex.path) {
    const tr = model.transitions[tid];
    const cls = model.classes[tr.cls];
    // The task this transition moves: the lowest-numbered one of its class at the source place.
    const t = cls.tasks.find((x) => tasks[x].status >= 0 && cls.base + tasks[x].pc * 4 + tasks[x].status === tr.from);
    if (t === undefined) throw new Error(`trace replay: no task of class ${tr.cls} at place ${tr.from}`);
    const st = tasks[t];
    const step = cls.program.steps[tr.pc];
    let event = '';
    let cpu: number | null = st.cpu;
    switch (tr.kind) {
      case 'dispatch':
        takeCpu(t);
        st.status = ON;
        cpu = st.cpu;
        event = `scheduled on CPU${cpu}`;
        break;
      case 'pin':
        takeCpu(t);
        st.status = ON;
        cpu = st.cpu;
        event = `spin_lock(${step.lock}): preemption off on CPU${cpu}`;
        break;
      case 'wake':
        event = st.status === WAIT ? `woken: a ${step.serie} slot is free` : 'wakes up';
        st.status = OFF;
        cpu = null;
        break;
      case 'block':
        if (cpu === null) cpu = cpuHolder.indexOf(null) < 0 ? 0 : cpuHolder.indexOf(null);
        event = `${step.label}: ${step.serie} pool empty (${pools[step.serie!]}/${opts.pool} in use), sleeps on its queue`;
        leaveCpu(t);
        st.status = WAIT;
        break;
      case 'fail': {
        const held = programOf(t).heldBefore[tr.pc].filter((h) => h.kind !== 'kmap').map((h) => (h.kind === 'kmap-atomic' ? 'an atomic kmap' : h.name));
        const why = step.op === 'kmap' ? `${step.label}: ${step.serie} pool empty (${pools[step.serie!]}/${opts.pool} in use)` : step.label;
        event = `BUG: scheduling while atomic: ${why}, holding ${held.join(', ')}`;
        st.status = FAILED;
        break;
      }
      case 'step': {
        if (cpu === null) {
          cpu = pickCpu(t);
          forget(t);
          shown[cpu] = t;
        }
        event = step.label;
        if (step.op === 'kmap') {
          pools[step.serie!]++;
          event += ` (${pools[step.serie!]}/${opts.pool} in use)`;
        } else if (step.op === 'kunmap' && step.serie !== undefined && pools[step.serie] !== undefined) {
          pools[step.serie]--;
          event += ` (${pools[step.serie]}/${opts.pool} in use)`;
        } else if (step.op === 'lock') locks[lockKey(step.lock!, t)] = t;
        else if (step.op === 'unlock') delete locks[lockKey(step.lock!, t)];
        else if (step.op === 'kmap-atomic' && atomicKmaps) atomicKmaps[`CPU${cpu}`] = (atomicKmaps[`CPU${cpu}`] ?? 0) + 1;
        else if (step.op === 'kunmap-atomic' && atomicKmaps && atomicKmaps[`CPU${cpu}`]) atomicKmaps[`CPU${cpu}`]--;
        const toStatus = tr.to === cls.done ? DONE : (tr.to - cls.base) % 4;
        st.pc = tr.pc + 1;
        if (toStatus === ON) takeCpu(t);
        else leaveCpu(t);
        if (toStatus !== OFF) forget(t);
        st.status = toStatus;
        if (toStatus === ASLEEP) event += ', scheduled out';
        if (toStatus === DONE) event += '; task finished';
        break;
      }
    }
    steps.push({
      step: steps.length + 1,
      task: t,
      cpu,
      event,
      file: step.file,
      line: step.line,
      state: { task: statusOf(t), pools: { ...pools }, locks: { ...locks }, ...(atomicKmaps ? { atomicKmaps: { ...atomicKmaps } } : {}) },
    });
    for (let x = 0; x < tasks.length; x++) {
      const s = statusOf(x);
      if (s !== lastStatus[x]) {
        lastStatus[x] = s;
        lanes[x].changes.push([steps.length - 1, s]);
      }
    }
  }

  const summary: TaskSummary[] = tasks.map((s, t) => {
    const program = programOf(t);
    const status = statusOf(t);
    const holds = program.heldBefore[Math.min(s.pc, program.steps.length)].map((h) => {
      const at = program.steps[h.pc];
      const what = h.kind === 'kmap' ? `a ${h.name} slot` : h.kind === 'kmap-atomic' ? 'an atomic kmap' : h.kind === 'lock' ? h.name : `${h.name} context`;
      return `${what} (${at.file}:${at.line})`;
    });
    const next = program.steps[s.pc];
    let waitsFor: string | undefined;
    if (status === 'blocked' && next) waitsFor = `a ${next.serie} slot (${next.file}:${next.line})`;
    else if (status === 'spinning' && next) waitsFor = `${next.lock}, held by T${locks[lockKey(next.lock!, t)]} (${next.file}:${next.line})`;
    else if (status === 'failed' && next) waitsFor = `${next.op === 'kmap' ? `a ${next.serie} slot` : 'to wake up'}, scheduled out while atomic (${next.file}:${next.line})`;
    else if (status === 'ready' && next && ex.verdict !== 'safe') waitsFor = `a CPU (${next.file}:${next.line})`;
    const at = next ? { file: next.file, line: next.line, label: next.label } : undefined;
    return { task: t, program: program.name, status, holds, waitsFor, at };
  });

  return {
    verdict: ex.verdict,
    rule: finding.rule,
    tasks: opts.tasks,
    cpus: opts.cpus,
    pool: opts.pool,
    preempt: opts.preempt,
    series: model.series,
    programs: workload.programs.map((p, i) => ({
      name: p.name,
      tasks: model.programOfTask.flatMap((q, t) => (q === i ? [t] : [])),
      steps: p.steps.map((s, k) => ({
        op: s.op,
        label: s.label,
        file: s.file,
        line: s.line,
        ...(s.serie !== undefined && (s.op === 'kmap' || s.op === 'kunmap') ? { serie: s.serie } : {}),
        ...(s.lock !== undefined ? { lock: s.lock, shared: lockIsShared(s.lock, opts.locks) } : {}),
        atomic: p.atomicBefore[k],
      })),
    })),
    counterpart: workload.counterpart,
    steps,
    lanes,
    summary,
    stats: { states: ex.states, ms: ex.ms, transitions: ex.transitionsFired, depth: ex.depth, symmetry: opts.symmetry, reduction },
    finding,
  };
}
