/**
 * Locals that hold a copy of a path where a block ends: mptctl's `function = hdr->Function;` makes
 * `if (function == MPI_FUNCTION_SCSI_TASK_MGMT)` the question `if (hdr->Function ==
 * MPI_FUNCTION_SCSI_TASK_MGMT)` asked before it, which took `taskmgmt_cmds.mutex`; asked as one
 * question, the path that took the mutex releases it (transfer.ts remembers tests made twice).
 *
 * A forward must-analysis over the CFG, from the IR alone: `local = path` holds from the assignment
 * until the local, or the variable the path starts from, is assigned again or has its address
 * taken, on every way into a block. The memory the path reads may change meanwhile; kpath takes
 * the copy and the path for one value, as a reader of the code does.
 */
import type { Block, FunctionIR } from '../ir';
import { forwardFlow } from './forward';
import { FIELD_PATH, rootIdentifier } from './lock-names';

type Copies = ReadonlyMap<string, string>;

const NONE: Copies = new Map();

interface CopiesOf {
  /** Block id -> the copies that hold where it ends (absent: none). */
  ends: Map<number, Copies>;
  /** Call op id -> the copies that hold where it is made (absent: none). */
  calls: Map<number, Copies>;
}
const cache = new WeakMap<FunctionIR, CopiesOf>();

/** Block id -> the copies that hold where it ends (absent: none). */
export function copiesAtBlockEnds(fn: FunctionIR): ReadonlyMap<number, Copies> {
  return copiesOf(fn).ends;
}

/**
 * Call op id -> the copies that hold where the call is made: `kmap(sg_page(sg))` after
 * `sg = cmd->t_data_sg` maps `sg_page(cmd->t_data_sg)`, a page its callers can name.
 */
export function copiesAtCalls(fn: FunctionIR): ReadonlyMap<number, Copies> {
  return copiesOf(fn).calls;
}

function copiesOf(fn: FunctionIR): CopiesOf {
  const known = cache.get(fn);
  if (known) return known;
  const out: CopiesOf = { ends: new Map(), calls: new Map() };
  cache.set(fn, out);
  const locals = new Set(fn.locals);
  if (!fn.blocks.some((b) => b.ops.some((op) => op.kind === 'assign' && locals.has(op.target) && op.copyOf !== undefined && FIELD_PATH.test(op.copyOf)))) return out;
  const through = (block: Block, entry: Copies, atCall?: (id: number, copies: Copies) => void): Copies => {
    let copies = entry;
    for (const op of block.ops) {
      if (op.kind === 'call' && copies.size > 0) atCall?.(op.id, copies);
      if (op.kind === 'assign') {
        copies = killed(copies, op.target);
        if (locals.has(op.target) && op.copyOf !== undefined && FIELD_PATH.test(op.copyOf) && rootIdentifier(op.copyOf) !== op.target) {
          copies = new Map(copies).set(op.target, op.copyOf);
        }
      } else if (op.kind === 'call') {
        // `&function`: the callee may write the local; `&hdr->Function`: the path
        for (const arg of op.args) if (arg.text.startsWith('&')) copies = killed(copies, arg.text.slice(1));
        if (op.assignTo !== undefined) copies = killed(copies, op.assignTo);
      }
    }
    return copies;
  };
  const entries = forwardFlow<Copies>(fn, NONE, {
    through,
    along: (_edge, exit) => exit,
    join: (a, b) => {
      if (a.size === 0) return a;
      const both = new Map<string, string>();
      for (const [local, path] of a) if (b.get(local) === path) both.set(local, path);
      return both.size === a.size ? a : both;
    },
    same: (a, b) => a.size === b.size, // copies only go
  });
  // past the bound nothing is claimed: tests keep their own words
  if (!entries) return out;
  for (const block of fn.blocks) {
    const entry = entries.get(block.id);
    const end = entry === undefined ? NONE : through(block, entry, (id, copies) => out.calls.set(id, copies));
    if (end.size > 0) out.ends.set(block.id, end);
  }
  return out;
}

/** `expr` with each local holding a copy written as the path it copies: `function==X` -> `hdr->Function==X`. */
export function inCopiedTerms(expr: string, copies: Copies | undefined): string {
  if (!copies || copies.size === 0) return expr;
  return expr.replace(IDENTIFIER, (word, offset: number) => {
    const path = copies.get(word);
    // a member named like the local (`p->function`) is not the local
    return path === undefined || /(?:->|\.)$/.test(expr.slice(Math.max(0, offset - 2), offset)) ? word : path;
  });
}
const IDENTIFIER = /[A-Za-z_]\w*/g;

/**
 * Forgets what an assignment to `target` changes: the copy made into it (or into the local it is a
 * member of), and copies of it or of something it leads to (`hdr = next` and `hdr->Function = 0`
 * end `function`'s copy of `hdr->Function`; `hdr->MsgContext = c` does not).
 */
function killed(copies: Copies, target: string): Copies {
  if (copies.size === 0) return copies;
  const root = rootIdentifier(target);
  let out: Map<string, string> | undefined;
  for (const [local, path] of copies) {
    if (local === root || path === target || path.startsWith(`${target}->`) || path.startsWith(`${target}.`)) (out ??= new Map(copies)).delete(local);
  }
  return out ?? copies;
}
