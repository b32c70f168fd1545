/**
 * Task programs: what one simulated task does, made from a finding's path. A path is a list of
 * events (lock taken, kmap pinned, call that sleeps, ...); a program is the straight-line list of
 * steps the simulator executes, each with the source position it came from. After the path's last
 * event the task releases what it still holds, in reverse order, so that it can finish.
 *
 * Because a program is straight-line, what a task holds (locks, kmap slots, atomic sections) is a
 * function of its program counter alone: `heldBefore(pc)` is computed once here and the explorer
 * never tracks it per state.
 */
import type { Finding, PathEvent } from '../engine/finding';

export type StepOp =
  | 'lock' // take a spinning lock (spins while another task holds it)
  | 'unlock'
  | 'atomic-enter' // preempt_disable, local_irq_disable, rcu_read_lock, ...
  | 'atomic-exit'
  | 'kmap' // pin a slot of a serie's pool; blocks (schedules out) while the pool is empty
  | 'kunmap'
  | 'kmap-atomic' // a per-CPU atomic slot: never blocks, atomic until unmapped
  | 'kunmap-atomic'
  | 'sleep' // always schedules out (msleep, GFP_KERNEL allocation, the sleeping half of a lock drop)
  | 'note'; // a path event with no effect on the machine (kmap_local, an unmatched release)

export interface Step {
  op: StepOp;
  lock?: string;
  serie?: string;
  atomic?: string;
  file: string;
  line: number;
  column: number;
  function: string;
  /** What the step does, for traces: "kmap PAGETABLE (pte_offset)". */
  label: string;
  /** Where the step comes from: the path itself, the closing releases, or the inside of a lock drop. */
  origin: 'path' | 'release' | 'lock-drop';
}

/** Something a task holds at a point of its program. */
export interface Held {
  kind: 'lock' | 'atomic' | 'kmap' | 'kmap-atomic';
  /** Lock name, atomic kind or serie. */
  name: string;
  /** The step that took it. */
  pc: number;
}

export interface TaskProgram {
  /** Which path this is: 'flagged', 'counterpart', ... (tasks running the same name are identical). */
  name: string;
  steps: Step[];
  /** heldBefore[pc]: what the task holds when about to execute step pc (length steps.length + 1). */
  heldBefore: Held[][];
  /** atomicBefore[pc]: the task may not sleep there (holds a spinlock, an atomic section or an atomic kmap). */
  atomicBefore: boolean[];
}

function describe(e: PathEvent): string {
  const via = e.callee ? ` (${e.callee})` : '';
  switch (e.kind) {
    case 'lock':
    case 'entry':
      return e.lock ? `takes ${e.lock}${e.kind === 'entry' ? ' (held on entry)' : via}` : `enters ${e.atomic ?? 'atomic'}${via}`;
    case 'unlock':
      return `releases ${e.lock ?? '?'}${via}`;
    case 'atomic-enter':
      return `enters ${e.atomic ?? 'atomic'} context${via}`;
    case 'atomic-exit':
      return `leaves ${e.atomic ?? 'atomic'} context${via}`;
    default:
      return e.message;
  }
}

function step(e: PathEvent, op: StepOp, extra: Partial<Step>, label: string, origin: Step['origin'] = 'path'): Step {
  return { op, file: e.file, line: e.line, column: e.column, function: e.function, label, origin, ...extra };
}

/** Turns the events of a path into steps (without the closing releases). */
function stepsOfPath(path: PathEvent[]): Step[] {
  const out: Step[] = [];
  for (let i = 0; i < path.length; i++) {
    const e = path[i];
    const via = e.callee ? ` (${e.callee})` : '';
    switch (e.kind) {
      case 'entry':
      case 'lock':
        if (e.lock) out.push(step(e, 'lock', { lock: e.lock }, describe(e)));
        else if (e.atomic) out.push(step(e, 'atomic-enter', { atomic: e.atomic }, describe(e)));
        break;
      case 'unlock':
        if (e.lock) out.push(step(e, 'unlock', { lock: e.lock }, describe(e)));
        break;
      case 'lock-drop':
        if (e.lock) {
          // The callee drops the lock, does work that may sleep, and retakes it.
          out.push(step(e, 'unlock', { lock: e.lock }, `drops ${e.lock}${via}`, 'lock-drop'));
          out.push(step(e, 'sleep', {}, `may sleep with ${e.lock} dropped${via}`, 'lock-drop'));
          out.push(step(e, 'lock', { lock: e.lock }, `retakes ${e.lock}${via}`, 'lock-drop'));
        }
        break;
      case 'atomic-enter':
        out.push(step(e, 'atomic-enter', { atomic: e.atomic ?? 'preempt' }, describe(e)));
        break;
      case 'atomic-exit':
        out.push(step(e, 'atomic-exit', { atomic: e.atomic ?? 'preempt' }, describe(e)));
        break;
      case 'kmap': {
        const next = path[i + 1];
        // A blocking kmap is often reported twice at one call: as the kmap and as the 'sleep' that may block.
        if (next && next.kind === 'sleep' && next.blocksOnSerie && next.line === e.line && next.file === e.file) continue;
        const kind = e.mapKind ?? 'persistent';
        if (kind === 'persistent' && e.serie) out.push(step(e, 'kmap', { serie: e.serie }, `kmap ${e.serie}${via}`));
        // pte_offset_nowait is modelled as its worst case for sleeping: an atomic map.
        else if (kind === 'atomic' || kind === 'nowait') out.push(step(e, 'kmap-atomic', { atomic: 'kmap_atomic' }, `kmap_atomic${via}`));
        else out.push(step(e, 'note', {}, `${kind} map${via}`));
        break;
      }
      case 'kunmap': {
        const kind = e.mapKind ?? (e.serie ? 'persistent' : undefined);
        if (kind === 'persistent' && e.serie) out.push(step(e, 'kunmap', { serie: e.serie }, `kunmap ${e.serie}${via}`));
        else if (kind === 'atomic' || kind === 'nowait') out.push(step(e, 'kunmap-atomic', { atomic: 'kmap_atomic' }, `kunmap_atomic${via}`));
        else if (kind === 'local') out.push(step(e, 'note', {}, `local unmap${via}`));
        else out.push(step(e, 'kunmap', { serie: e.serie }, `unmap${via}`)); // resolved against what is held below
        break;
      }
      case 'sleep':
        if (e.blocksOnSerie) out.push(step(e, 'kmap', { serie: e.blocksOnSerie }, `kmap ${e.blocksOnSerie}${via}`));
        else out.push(step(e, 'sleep', {}, `sleeps${via}`));
        break;
      default:
        break; // call, branch, return: notes for readers, nothing for the machine
    }
  }
  return out;
}

function releaseOf(h: Held, at: Step): Step {
  const where = { file: at.file, line: at.line, column: at.column, function: at.function, origin: 'release' as const };
  switch (h.kind) {
    case 'lock':
      return { ...where, op: 'unlock', lock: h.name, label: `releases ${h.name} (end of path)` };
    case 'atomic':
      return { ...where, op: 'atomic-exit', atomic: h.name, label: `leaves ${h.name} context (end of path)` };
    case 'kmap':
      return { ...where, op: 'kunmap', serie: h.name, label: `kunmap ${h.name} (end of path)` };
    case 'kmap-atomic':
      return { ...where, op: 'kunmap-atomic', atomic: 'kmap_atomic', label: 'kunmap_atomic (end of path)' };
  }
}

/** Index of the most recent held entry matching; -1 if none. */
function lastHeld(held: Held[], match: (h: Held) => boolean): number {
  for (let i = held.length - 1; i >= 0; i--) if (match(held[i])) return i;
  return -1;
}

/**
 * Applies a step to what is held; returns the step, turned into a note when it releases something
 * not held (a path that starts after the acquisition).
 */
function apply(held: Held[], s: Step, pc: number): Step {
  const take = (kind: Held['kind'], name: string) => held.push({ kind, name, pc });
  const drop = (match: (h: Held) => boolean): boolean => {
    const i = lastHeld(held, match);
    if (i < 0) return false;
    held.splice(i, 1);
    return true;
  };
  switch (s.op) {
    case 'lock':
      take('lock', s.lock!);
      return s;
    case 'atomic-enter':
      take('atomic', s.atomic!);
      return s;
    case 'kmap':
      take('kmap', s.serie!);
      return s;
    case 'kmap-atomic':
      take('kmap-atomic', 'kmap_atomic');
      return s;
    case 'unlock':
      return drop((h) => h.kind === 'lock' && h.name === s.lock) ? s : { ...s, op: 'note', label: `${s.label} (not held on this path)` };
    case 'atomic-exit':
      return drop((h) => h.kind === 'atomic' && h.name === s.atomic) ? s : { ...s, op: 'note', label: `${s.label} (not entered on this path)` };
    case 'kunmap-atomic':
      return drop((h) => h.kind === 'kmap-atomic') ? s : { ...s, op: 'note', label: `${s.label} (not mapped on this path)` };
    case 'kunmap': {
      // A release naming no serie (pte_kunmap) releases the most recent mapping of any kind.
      const i = lastHeld(held, (h) => (s.serie ? h.kind === 'kmap' && h.name === s.serie : h.kind === 'kmap' || h.kind === 'kmap-atomic'));
      if (i < 0) return { ...s, op: 'note', label: `${s.label} (not mapped on this path)` };
      const h = held.splice(i, 1)[0];
      return h.kind === 'kmap' ? { ...s, serie: h.name } : { ...s, op: 'kunmap-atomic', atomic: 'kmap_atomic' };
    }
    default:
      return s;
  }
}

export interface BuildOptions {
  /** A kmap-leak finding: the task finishes with its persistent kmaps still pinned (the leak). */
  leak?: boolean;
  /**
   * A sleep-in-atomic finding: only the path's last event may block in atomic context. An earlier
   * blocking kmap under spinlocks is one the engine found safe: its callee drops the innermost lock
   * around the wait and retakes it (pte_alloc's pte_offset_under_lock), and it is modelled so.
   */
  onlyLastBlocks?: boolean;
}

/** Builds the program a task runs for `path`; `name` groups identical tasks. */
export function buildProgram(path: PathEvent[], name = 'flagged', options: BuildOptions = {}): TaskProgram {
  const raw = stepsOfPath(path);
  const steps: Step[] = [];
  const held: Held[] = [];
  const heldBefore: Held[][] = [];
  const push = (s: Step) => {
    heldBefore.push(held.slice());
    steps.push(apply(held, s, steps.length));
  };
  raw.forEach((s, i) => {
    const atomic = held.filter((h) => h.kind !== 'kmap');
    if (options.onlyLastBlocks && i < raw.length - 1 && s.op === 'kmap' && atomic.length > 0 && atomic.every((h) => h.kind === 'lock')) {
      const lock = atomic[atomic.length - 1].name;
      const where = { file: s.file, line: s.line, column: s.column, function: s.function, origin: 'lock-drop' as const };
      push({ ...where, op: 'unlock', lock, label: `drops ${lock} around the kmap (engine: no sleep under the lock here)` });
      push(s);
      push({ ...where, op: 'lock', lock, label: `retakes ${lock}` });
    } else push(s);
  });
  const last = steps[steps.length - 1] ?? raw[raw.length - 1];
  for (let i = held.length - 1; i >= 0; i--) {
    const h = held[i];
    if (options.leak && h.kind === 'kmap') continue;
    heldBefore.push(held.slice());
    held.splice(i, 1);
    steps.push(releaseOf(h, last));
  }
  heldBefore.push(held.slice());
  const atomicBefore = heldBefore.map((hs) => hs.some((h) => h.kind !== 'kmap'));
  return { name, steps, heldBefore, atomicBefore };
}

/** Where a serie is acquired while another is pinned (Program.serieNestings()). */
export interface SerieNesting {
  outer: string;
  inner: string;
  path: PathEvent[];
}

/** The programs the tasks of a simulation run, and where the second one came from. */
export interface Workload {
  programs: TaskProgram[];
  /** For kmap-serie-order: how the counterpart path was found. */
  counterpart?: { source: 'engine' | 'mirrored'; outer: string; inner: string; file: string; line: number };
}

/** The serie pinned (outer) when another (inner) is acquired at the path's last kmap. */
export function orderOfPath(path: PathEvent[]): { outer: string; inner: string } | undefined {
  const program = buildProgram(path);
  for (let pc = program.steps.length - 1; pc >= 0; pc--) {
    const s = program.steps[pc];
    if (s.op !== 'kmap' || s.origin !== 'path') continue;
    const outer = [...program.heldBefore[pc]].reverse().find((h) => h.kind === 'kmap' && h.name !== s.serie);
    if (outer) return { outer: outer.name, inner: s.serie! };
  }
  return undefined;
}

/** The path with two series swapped: the same code taking them in the opposite order. */
export function mirrorPath(path: PathEvent[], a: string, b: string): PathEvent[] {
  const swap = (s: string | undefined) => (s === a ? b : s === b ? a : s);
  return path.map((e) => {
    const swapped = e.serie !== swap(e.serie) || e.blocksOnSerie !== swap(e.blocksOnSerie);
    const callee = swapped ? `${e.callee ?? e.kind}, series swapped` : e.callee;
    return { ...e, serie: swap(e.serie), blocksOnSerie: swap(e.blocksOnSerie), callee };
  });
}

/**
 * The programs for a finding: the flagged path for every task, except for an ordering violation,
 * where the tasks alternate between the flagged path and one taking the two series the other way
 * round (from the engine's nestings when one exists, else the flagged path mirrored).
 */
export function workloadFor(finding: Finding, nestings: SerieNesting[] = [], withCounterpart = true): Workload {
  const flagged = buildProgram(finding.path, 'flagged', { leak: finding.rule === 'kmap-leak', onlyLastBlocks: finding.rule === 'sleep-in-atomic' });
  if (finding.rule !== 'kmap-serie-order' || !withCounterpart) return { programs: [flagged] };
  const order = orderOfPath(finding.path);
  if (!order) return { programs: [flagged] };
  const found = nestings.find((n) => n.outer === order.inner && n.inner === order.outer && n.path.length > 0);
  if (found) {
    const at = found.path[found.path.length - 1];
    return {
      programs: [flagged, buildProgram(found.path, 'counterpart')],
      counterpart: { source: 'engine', outer: order.inner, inner: order.outer, file: at.file, line: at.line },
    };
  }
  const at = finding.path[finding.path.length - 1];
  return {
    programs: [flagged, buildProgram(mirrorPath(finding.path, order.outer, order.inner), 'counterpart')],
    counterpart: { source: 'mirrored', outer: order.inner, inner: order.outer, file: at.file, line: at.line },
  };
}

/** Series used by any program, in first-use order. */
export function seriesOf(programs: TaskProgram[]): string[] {
  const out: string[] = [];
  for (const p of programs) for (const s of p.steps) if (s.op === 'kmap' && s.serie && !out.includes(s.serie)) out.push(s.serie);
  return out;
}
