/**
 * Breadth-first exploration of a model's markings with visited-state hashing, so the first bad
 * state found is at the smallest depth (the shortest counterexample among the interleavings
 * explored). Markings are packed into strings, one UTF-16 code unit per place, which are both the
 * hash key and the stored state; the hot loop works on one scratch Int32Array.
 *
 * Partial-order reduction (optional, on by default): in each state only a stubborn set of
 * transitions is fired (Valmari's deadlock-preserving stubborn sets for Petri nets): every terminal
 * state of the full graph stays reachable. Every run of the model is finite (each transition moves
 * a task forward or to a status it can leave only after another task moved forward), and an error
 * token never leaves the error place, so deadlocks, lockups and scheduling-while-atomic are all
 * preserved. With the reduction the counterexample is the shortest among the interleavings kept.
 */
import { doneCount, enabled, fire, spinningOnCpu, type Model, type Transition } from './model';

export type Verdict = 'deadlock' | 'lockup' | 'sleep-in-atomic' | 'safe' | 'bounded';

export interface Budget {
  maxStates: number;
  maxMs: number;
}

export interface Exploration {
  verdict: Verdict;
  /** Transition ids from the initial marking to the bad state (empty when safe or bounded). */
  path: number[];
  states: number;
  transitionsFired: number;
  ms: number;
  /** Deepest BFS level completed (how far a bounded run got). */
  depth: number;
}

/** Packs a marking (every count < 65536, checked by the caller's limits) into a string key. */
function packer(places: number): (m: Int32Array) => string {
  const u16 = new Uint16Array(places);
  return (m) => {
    u16.set(m);
    return String.fromCharCode.apply(null, u16 as unknown as number[]);
  };
}

function unpack(s: string, into: Int32Array): void {
  for (let i = 0; i < into.length; i++) into[i] = s.charCodeAt(i);
}

/** Which transitions can disable which (precomputed once per model). */
interface Dependencies {
  /** dep[t]: transitions that t can disable or that can disable t. */
  dep: number[][];
  /** Transitions increasing / decreasing each place (necessary enabling sets). */
  incr: number[][];
  decr: number[][];
}

function dependencies(model: Model): Dependencies {
  const ts = model.transitions;
  const incr: number[][] = Array.from({ length: model.places }, () => []);
  const decr: number[][] = Array.from({ length: model.places }, () => []);
  for (const t of ts)
    for (let i = 0; i < t.delta.length; i += 2) (t.delta[i + 1] > 0 ? incr : decr)[t.delta[i]].push(t.id);
  const canDisable = (a: Transition, b: Transition): boolean => {
    for (let i = 0; i < a.delta.length; i += 2) {
      const p = a.delta[i];
      const v = a.delta[i + 1];
      if (v < 0) for (let j = 0; j < b.lower.length; j += 2) if (b.lower[j] === p) return true;
      if (v > 0 && b.zero.includes(p)) return true;
    }
    return false;
  };
  const dep = ts.map((a) => ts.filter((b) => b !== a && (canDisable(a, b) || canDisable(b, a))).map((b) => b.id));
  return { dep, incr, decr };
}

/** A stubborn set: the smallest closure over seeds tried, as the enabled transitions to fire. */
function stubborn(model: Model, deps: Dependencies, m: Int32Array, en: number[], mark: Int32Array, stamp: { v: number }): number[] {
  if (en.length <= 1) return en;
  const ts = model.transitions;
  let best = en;
  for (const seed of en) {
    const s = ++stamp.v;
    const stack = [seed];
    mark[seed] = s;
    const chosen: number[] = [];
    while (stack.length > 0) {
      const t = stack.pop()!;
      const tr = ts[t];
      let next: number[];
      if (enabled(tr, m)) {
        chosen.push(t);
        if (chosen.length >= best.length) break;
        next = deps.dep[t];
      } else {
        // A necessary enabling set: the changers of one failing guard, the one adding the fewest new.
        next = [];
        let cost = Infinity;
        const consider = (cands: number[]) => {
          let c = 0;
          for (const u of cands) if (mark[u] !== s) c++;
          if (c < cost) (cost = c), (next = cands);
        };
        for (let i = 0; i < tr.lower.length && cost > 0; i += 2) if (m[tr.lower[i]] < tr.lower[i + 1]) consider(deps.incr[tr.lower[i]]);
        for (let i = 0; i < tr.zero.length && cost > 0; i++) if (m[tr.zero[i]] !== 0) consider(deps.decr[tr.zero[i]]);
      }
      for (const u of next)
        if (mark[u] !== s) {
          mark[u] = s;
          stack.push(u);
        }
    }
    // A closure cut short is no smaller than the best one: keep the best.
    if (chosen.length < best.length) best = chosen;
    if (best.length === 1) break;
  }
  return best;
}

export interface ExploreOptions extends Budget {
  /** Partial-order reduction (stubborn sets). */
  reduce: boolean;
}

export function explore(model: Model, opts: ExploreOptions): Exploration {
  const start = Date.now();
  const ts = model.transitions;
  const total = model.classes.reduce((n, c) => n + c.tasks.length, 0);
  const deps = opts.reduce ? dependencies(model) : undefined;
  const mark = new Int32Array(ts.length);
  const stamp = { v: 0 };

  const pack = packer(model.places);
  const seen = new Map<string, number>();
  const keys: string[] = [];
  let parent = new Int32Array(1024);
  let via = new Int32Array(1024);
  const add = (key: string, from: number, t: number): number => {
    const id = keys.length;
    if (id >= parent.length) {
      const p2 = new Int32Array(parent.length * 2);
      p2.set(parent);
      parent = p2;
      const v2 = new Int32Array(via.length * 2);
      v2.set(via);
      via = v2;
    }
    keys.push(key);
    seen.set(key, id);
    parent[id] = from;
    via[id] = t;
    return id;
  };
  const pathTo = (id: number): number[] => {
    const out: number[] = [];
    for (let i = id; i > 0; i = parent[i]) out.push(via[i]);
    return out.reverse();
  };
  const finish = (verdict: Verdict, id: number, depth: number, fired: number): Exploration => ({
    verdict,
    path: id >= 0 ? pathTo(id) : [],
    states: keys.length,
    transitionsFired: fired,
    ms: Date.now() - start,
    depth,
  });

  add(pack(model.initial), -1, -1);
  const m = new Int32Array(model.places);
  const next = new Int32Array(model.places);
  const en: number[] = [];
  let fired = 0;
  let head = 0;
  let levelEnd = 1;
  let depth = 0;
  while (head < keys.length) {
    if (head === levelEnd) {
      depth++;
      levelEnd = keys.length;
    }
    const id = head++;
    if (keys.length > opts.maxStates || ((id & 1023) === 0 && Date.now() - start > opts.maxMs)) return finish('bounded', -1, depth, fired);
    unpack(keys[id], m);
    en.length = 0;
    for (let t = 0; t < ts.length; t++) if (enabled(ts[t], m)) en.push(t);
    if (en.length === 0) {
      if (doneCount(model, m) === total) continue;
      const lockup = m[model.cpuPlace] === 0 && spinningOnCpu(model, m) === model.options.cpus;
      return finish(lockup ? 'lockup' : 'deadlock', id, depth, fired);
    }
    const fire_ = deps ? stubborn(model, deps, m, en, mark, stamp) : en;
    for (const t of fire_) {
      next.set(m);
      fire(ts[t], next);
      fired++;
      const key = pack(next);
      if (seen.has(key)) continue;
      const nid = add(key, id, t);
      if (next[model.errPlace] > 0) return finish('sleep-in-atomic', nid, depth + 1, fired);
    }
  }
  return finish('safe', -1, depth, fired);
}
