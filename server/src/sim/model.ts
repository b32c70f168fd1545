/**
 * The machine model as a counter system (a Petri net with zero tests): places count tasks standing
 * at a (program, pc, status), free kmap slots per serie, free shared locks and CPUs not pinned;
 * transitions move one task and change the resources. Tasks running the same program form one
 * class, and a class's places count how many of its tasks are at each pc: that is the counter
 * abstraction (symmetry reduction). Without it, every task is a class of one.
 *
 * Statuses:
 *  - off:    runnable, holds no CPU;
 *  - on:     holds a CPU (2.4: from dispatch until it blocks, sleeps or finishes; preemptible kernel:
 *            while atomic, and from spin_lock's preempt_disable until the lock is taken: spinning);
 *  - wait:   blocked in a kmap on an empty pool, off the CPU, on the serie's queue;
 *  - asleep: scheduled out by a call that sleeps.
 * In the preemptible model a task that is not atomic can run whenever some CPU is not pinned by an
 * atomic task (the scheduler may preempt whoever runs there), so only atomic tasks hold CPUs, and a
 * task blocked in a kmap is simply one whose kmap is not enabled (it holds no CPU either way): no
 * block/wake transitions, which keeps kunmaps independent of everything for the reduction.
 *
 * A task that would schedule out while atomic moves to the error place: that is the
 * "scheduling while atomic" the kernel prints, and the exploration stops there.
 */
import { seriesOf, type TaskProgram } from './program';

export const OFF = 0;
export const ON = 1;
export const WAIT = 2;
export const ASLEEP = 3;
export const STATUSES = 4;

export interface ModelOptions {
  tasks: number;
  cpus: number;
  /** Slots per serie (LAST_PKMAP). */
  pool: number;
  /** Modern preemptible kernel; false: 2.4, a task runs until it blocks, sleeps or finishes. */
  preempt: boolean;
  /** Counter abstraction over identical tasks. */
  symmetry: boolean;
  /**
   * Which locks tasks share. 'auto': a lock reached through a pointer (`mm->page_table_lock`) is
   * one per task (each task works on its own object), a plain name (`pagemap_lru_lock`) is global.
   */
  locks: 'auto' | 'shared' | 'per-task';
}

export type TransitionKind = 'dispatch' | 'pin' | 'step' | 'block' | 'wake' | 'fail';

export interface Transition {
  id: number;
  cls: number;
  kind: TransitionKind;
  /** The pc the task is at (for 'wake' from asleep: the pc it resumes at). */
  pc: number;
  from: number;
  to: number;
  /** Enabled when marking[p] >= w for every (p, w) pair (flattened), and marking[p] == 0 for every p in zero. */
  lower: number[];
  zero: number[];
  /** Marking changes, flattened (place, delta) pairs; includes moving the task token. */
  delta: number[];
}

export interface TaskClass {
  program: TaskProgram;
  /** Concrete task ids of this class, in order. */
  tasks: number[];
  /** Place of (pc 0, off); place(pc, status) = base + pc * STATUSES + status; done = base + steps * STATUSES. */
  base: number;
  done: number;
}

export interface Model {
  options: ModelOptions;
  classes: TaskClass[];
  /** program index of each concrete task. */
  programOfTask: number[];
  series: string[];
  poolPlace: Map<string, number>;
  lockPlace: Map<string, number>;
  cpuPlace: number;
  errPlace: number;
  places: number;
  initial: Int32Array;
  transitions: Transition[];
}

export function lockIsShared(lock: string, mode: ModelOptions['locks']): boolean {
  if (mode !== 'auto') return mode === 'shared';
  return !/->|\./.test(lock);
}

export function placeOf(c: TaskClass, pc: number, status: number): number {
  return pc >= c.program.steps.length ? c.done : c.base + pc * STATUSES + status;
}

/** Tasks alternate between the programs: task i runs programs[i % programs.length]. */
export function buildModel(programs: TaskProgram[], options: ModelOptions): Model {
  const programOfTask = Array.from({ length: options.tasks }, (_, i) => i % programs.length);
  const classes: TaskClass[] = [];
  let places = 0;
  const groups = options.symmetry
    ? programs.map((_, p) => programOfTask.flatMap((q, t) => (q === p ? [t] : [])))
    : programOfTask.map((_, t) => [t]);
  for (const tasks of groups) {
    if (tasks.length === 0) continue;
    const program = programs[programOfTask[tasks[0]]];
    const base = places;
    places += program.steps.length * STATUSES + 1;
    classes.push({ program, tasks, base, done: base + program.steps.length * STATUSES });
  }
  const series = seriesOf(programs);
  const poolPlace = new Map<string, number>();
  for (const s of series) poolPlace.set(s, places++);
  const lockPlace = new Map<string, number>();
  for (const p of programs)
    for (const s of p.steps)
      if (s.op === 'lock' && lockIsShared(s.lock!, options.locks) && !lockPlace.has(s.lock!)) lockPlace.set(s.lock!, places++);
  const cpuPlace = places++;
  const errPlace = places++;

  const initial = new Int32Array(places);
  for (const c of classes) initial[placeOf(c, 0, OFF)] += c.tasks.length;
  for (const p of poolPlace.values()) initial[p] = options.pool;
  for (const p of lockPlace.values()) initial[p] = 1;
  initial[cpuPlace] = options.cpus;

  const model: Model = { options, classes, programOfTask, series, poolPlace, lockPlace, cpuPlace, errPlace, places, initial, transitions: [] };
  classes.forEach((c, ci) => addClassTransitions(model, c, ci));
  return model;
}

/** Builds the transitions of one class; see the header for what each status means. */
function addClassTransitions(m: Model, c: TaskClass, ci: number): void {
  const { steps, atomicBefore } = c.program;
  const preempt = m.options.preempt;
  const cpu = m.cpuPlace;
  const add = (kind: TransitionKind, pc: number, from: number, to: number, lower: number[], zero: number[], delta: number[]) => {
    const d = new Map<number, number>();
    const bump = (p: number, v: number) => d.set(p, (d.get(p) ?? 0) + v);
    bump(from, -1);
    bump(to, 1);
    for (let i = 0; i < delta.length; i += 2) bump(delta[i], delta[i + 1]);
    const flat: number[] = [];
    for (const [p, v] of d) if (v !== 0) flat.push(p, v);
    m.transitions.push({ id: m.transitions.length, cls: ci, kind, pc, from, to, lower: [from, 1, ...lower], zero, delta: flat });
  };
  const at = (pc: number, st: number) => placeOf(c, pc, st);

  for (let k = 0; k < steps.length; k++) {
    const s = steps[k];
    const atomic = atomicBefore[k];
    const atomicAfter = atomicBefore[k + 1];
    const last = k + 1 === steps.length;
    const pool = s.serie !== undefined ? m.poolPlace.get(s.serie) : undefined;
    const sharedLock = s.lock !== undefined ? m.lockPlace.get(s.lock) : undefined;
    // Resource guard and effect of executing the step itself.
    const need: number[] = [];
    const eff: number[] = [];
    if (s.op === 'kmap' && pool !== undefined) need.push(pool, 1), eff.push(pool, -1);
    if (s.op === 'kunmap' && pool !== undefined) eff.push(pool, 1);
    if (s.op === 'lock' && sharedLock !== undefined) need.push(sharedLock, 1), eff.push(sharedLock, -1);
    if (s.op === 'unlock' && sharedLock !== undefined) eff.push(sharedLock, 1);

    if (!preempt) {
      // 2.4: dispatched onto an idle CPU, runs until it blocks, sleeps or finishes.
      add('dispatch', k, at(k, OFF), at(k, ON), [cpu, 1], [], [cpu, -1]);
      const leave = last ? [cpu, 1] : [];
      if (s.op === 'kmap' && pool !== undefined) {
        add('step', k, at(k, ON), at(k + 1, ON), need, [], [...eff, ...leave]);
        if (atomic) add('fail', k, at(k, ON), m.errPlace, [], [pool], []);
        else {
          add('block', k, at(k, ON), at(k, WAIT), [], [pool], [cpu, 1]);
          add('wake', k, at(k, WAIT), at(k, OFF), [pool, 1], [], []);
        }
      } else if (s.op === 'sleep') {
        if (atomic) add('fail', k, at(k, ON), m.errPlace, [], [], []);
        else if (last) add('step', k, at(k, ON), c.done, [], [], [cpu, 1]);
        else {
          add('step', k, at(k, ON), at(k + 1, ASLEEP), [], [], [cpu, 1]);
          add('wake', k + 1, at(k + 1, ASLEEP), at(k + 1, OFF), [], [], []);
        }
      } else add('step', k, at(k, ON), at(k + 1, ON), need, [], [...eff, ...leave]);
      continue;
    }

    // Preemptible: only atomic (or spinning) tasks hold a CPU; the others need one not pinned.
    if (atomic) {
      const leave = !atomicAfter ? [cpu, 1] : [];
      const after = atomicAfter ? ON : OFF;
      if (s.op === 'kmap' && pool !== undefined) {
        add('step', k, at(k, ON), at(k + 1, after), need, [], [...eff, ...leave]);
        add('fail', k, at(k, ON), m.errPlace, [], [pool], []);
      } else if (s.op === 'sleep') add('fail', k, at(k, ON), m.errPlace, [], [], []);
      else add('step', k, at(k, ON), at(k + 1, after), need, [], [...eff, ...leave]);
      continue;
    }
    if (s.op === 'lock' && sharedLock !== undefined) {
      // spin_lock: preempt_disable pins the CPU, then the task spins until the lock is free.
      add('pin', k, at(k, OFF), at(k, ON), [cpu, 1], [], [cpu, -1]);
      add('step', k, at(k, ON), at(k + 1, ON), need, [], eff);
    } else if (atomicAfter) {
      add('step', k, at(k, OFF), at(k + 1, ON), [cpu, 1, ...need], [], [cpu, -1, ...eff]);
    } else if (s.op === 'sleep' && !last) {
      add('step', k, at(k, OFF), at(k + 1, ASLEEP), [cpu, 1], [], []);
      add('wake', k + 1, at(k + 1, ASLEEP), at(k + 1, OFF), [], [], []);
    } else add('step', k, at(k, OFF), at(k + 1, OFF), [cpu, 1, ...need], [], eff);
  }
}

/** Whether transition t is enabled in marking m. */
export function enabled(t: Transition, m: Int32Array): boolean {
  const lo = t.lower;
  for (let i = 0; i < lo.length; i += 2) if (m[lo[i]] < lo[i + 1]) return false;
  const z = t.zero;
  for (let i = 0; i < z.length; i++) if (m[z[i]] !== 0) return false;
  return true;
}

export function fire(t: Transition, m: Int32Array): void {
  const d = t.delta;
  for (let i = 0; i < d.length; i += 2) m[d[i]] += d[i + 1];
}

/** Tasks that finished, over all classes. */
export function doneCount(model: Model, m: Int32Array): number {
  let n = 0;
  for (const c of model.classes) n += m[c.done];
  return n;
}

/** A stuck task on a CPU that spins: its next step is a shared lock nobody can release to it. */
export function spinningOnCpu(model: Model, m: Int32Array): number {
  let n = 0;
  for (const c of model.classes)
    c.program.steps.forEach((s, k) => {
      const lock = s.op === 'lock' ? model.lockPlace.get(s.lock!) : undefined;
      if (lock !== undefined && m[lock] === 0) n += m[placeOf(c, k, ON)];
    });
  return n;
}
