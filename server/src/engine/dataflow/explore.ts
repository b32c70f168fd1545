/**
 * The path-sensitive engine: explores the distinct states reachable at each block of one function's
 * CFG, breadth first. No join: a block keeps every distinct state that reaches it (up to a bound),
 * so correlated branches and locks dropped and retaken in loops stay exact. Termination: the states
 * of a function are finite (held items come from its call sites, conditions from its tests), and
 * each (block, state) pair is processed once.
 */
import type { Block, Edge, FunctionIR, Op } from '../ir';
import { type State, stateKey } from './state';

export interface Transfer {
  /** The states after `op` (usually one; none ends the path, e.g. a call that never returns). */
  op(state: State, op: Op): State[];
  /** The state on `edge` leaving `from`, or undefined when the edge is infeasible on this path. */
  edge(state: State, edge: Edge, from: Block): State | undefined;
}

export interface ExploreResult {
  /** Some block had more distinct states than the bound; states beyond it were not explored. */
  truncated: boolean;
  /** Distinct (block, state) pairs explored. */
  visited: number;
}

/** Distinct states kept per block. Past it a path is dropped: a missed report, never a false one. */
export const STATES_PER_BLOCK = 48;

export function explore(fn: FunctionIR, initial: readonly State[], transfer: Transfer): ExploreResult {
  const blocks = new Map(fn.blocks.map((b) => [b.id, b]));
  const seen = new Map<number, Set<string>>();
  const queue: [number, State][] = [];
  let truncated = false;
  let visited = 0;

  const reach = (block: number, state: State) => {
    let keys = seen.get(block);
    if (!keys) seen.set(block, (keys = new Set()));
    const key = stateKey(state);
    if (keys.has(key)) return;
    if (keys.size >= STATES_PER_BLOCK) {
      truncated = true;
      return;
    }
    keys.add(key);
    queue.push([block, state]);
  };

  for (const s of initial) reach(fn.entry, s);
  for (let head = 0; head < queue.length; head++) {
    const [id, entryState] = queue[head]!;
    visited++;
    const block = blocks.get(id);
    if (!block) continue;
    let states: readonly State[] = [entryState];
    for (const op of block.ops) {
      // One state in and one out at most ops: the transfer's own list then, not a copy of it.
      states = states.length === 1 ? transfer.op(states[0]!, op) : states.flatMap((s) => transfer.op(s, op));
      if (states.length === 0) break;
    }
    for (const s of states) {
      for (const edge of block.succs) {
        const out = transfer.edge(s, edge, block);
        if (out) reach(edge.to, out);
      }
    }
    queue[head] = undefined as unknown as [number, State]; // let processed states be collected
  }
  return { truncated, visited };
}
