/**
 * A run that starts from the program the last run saved (saved-programs.ts) instead of from
 * nothing: the files and headers whose bytes are unchanged are taken as they were (their includes
 * are read from what was saved, their bodies from the IR cache), the others are lowered and given
 * to the program with `update`, the ones gone are removed, and the program's fixed point then
 * recomputes only what those changes reach. What `analysePaths` would find on the same tree, at the
 * cost of the edit rather than of the tree.
 */
import type { InputError } from '../engine/finding';
import type { FileIR } from '../engine/ir';
import type { ResolvedConfig } from '../engine/kernel/config';
import { Program } from '../engine/program';
import type { SavedItem } from '../engine/saved-program';
import type { Analysis, AnalysisOptions } from './analysis';
import { type BatchStats, addStats, lowerPaths, noStats } from './batch';
import type { IRCache } from './cache';
import { CachedBodies } from './cached-bodies';
import { tightenHeapGrowth, tighteningAsItGrows } from './heap';
import { IncludeLists, unpackIncludes } from './include-lists';
import { HeaderDiscovery } from './includes';
import type { SavedInput, SavedInputs } from './saved-programs';

export interface Saved {
  inputs: SavedInputs;
  items: Iterable<SavedItem>;
}

/**
 * The analysis of `files` (the files under the PATHs now, as `expandPaths` lists them) from
 * `saved`, or undefined when the IR cache no longer holds what the saved program was built from.
 * `hash` gives a file's IR cache entry (null when it cannot be read). Throws when the saved items
 * cannot be read back.
 */
export async function resumeAnalysis(
  saved: Saved,
  files: readonly string[],
  config: ResolvedConfig,
  options: AnalysisOptions,
  cache: IRCache,
  hash: (file: string) => string | null,
): Promise<Analysis | undefined> {
  const started = performance.now();
  const bodies = new CachedBodies(cache);
  for (const [file, entry] of [...saved.inputs.files, ...saved.inputs.headers]) bodies.at(file, entry);
  if (!bodies.complete()) return undefined;
  const program = Program.restore(config, { bodies, onProgress: tighteningAsItGrows(options.onProgress) }, tighteningAsRead(saved.items));
  const restoreMs = performance.now() - started;

  let discovery = options.includes?.follow !== false ? new HeaderDiscovery(options.includes) : undefined;
  const lowered: string[] = [];
  const headers: string[] = [];
  const entries = new Map<string, string>();
  const includesOf = new IncludeLists();
  const given = new Set<string>();
  const take = (into: string[], onDemand = false) => (ir: FileIR, entry: string | undefined) => {
    into.push(ir.file);
    given.add(ir.file);
    includesOf.set(ir.file, ir.includes);
    if (entry !== undefined) {
      entries.set(ir.file, entry);
      bodies.at(ir.file, entry);
    }
    discovery?.add(ir);
    program.update(ir, { onDemand });
  };
  const reuse = (into: string[], [file, entry, includes]: SavedInput) => {
    into.push(file);
    entries.set(file, entry);
    includesOf.setPacked(file, includes);
    discovery?.add({ file, includes: unpackIncludes(includes) });
  };
  /** Lowers the changed files of a round; a file that was in the program and is now unreadable leaves it. */
  const lowerChanged = async (list: string[], into: string[], onDemand: boolean, phase: 'files' | 'headers') => {
    if (list.length === 0) return undefined;
    const report = options.onProgress;
    const batch = await lowerPaths(list, { ...options, onIr: take(into, onDemand), onProgress: report && ((done, total) => report(phase, done, total)) });
    for (const file of list) if (!given.has(file)) program.remove(file);
    return batch;
  };

  const before = new Map(saved.inputs.files.map((input) => [input[0], input] as const));
  const now = new Set(files);
  const changed: string[] = [];
  for (const file of files) {
    const input = before.get(file);
    if (input && hash(file) === input[1]) reuse(lowered, input);
    else changed.push(file);
  }
  for (const file of before.keys()) if (!now.has(file)) program.remove(file);
  const batch = await lowerChanged(changed, lowered, false, 'files');

  const savedHeaders = new Map(saved.inputs.headers.map((input) => [input[0], input] as const));
  const reached = new Set<string>();
  const headerErrors: InputError[] = [];
  let headerStats: BatchStats | undefined;
  for (let next = discovery?.next() ?? []; next.length > 0; next = discovery!.next()) {
    const changedHeaders: string[] = [];
    for (const header of next) {
      reached.add(header);
      const input = savedHeaders.get(header);
      if (input && hash(header) === input[1]) reuse(headers, input);
      else changedHeaders.push(header);
    }
    const more = await lowerChanged(changedHeaders, headers, true, 'headers');
    if (more) {
      headerErrors.push(...more.errors);
      headerStats = headerStats ? addStats(headerStats, more.stats) : more.stats;
    }
  }
  for (const header of savedHeaders.keys()) if (!reached.has(header)) program.remove(header);

  lowered.sort();
  headers.sort();
  // garbage while the program settles, as in analysis.ts
  const includes = discovery?.stats();
  discovery = undefined;
  const updated = performance.now();
  tightenHeapGrowth();
  program.check(); // settles what the changes reach
  return {
    program,
    files: lowered,
    headers,
    errors: batch?.errors ?? [],
    headerErrors,
    stats: batch?.stats ?? noStats(),
    headerStats,
    includes,
    bodies: 'disk',
    timings: { lowerMs: updated - started, programMs: performance.now() - updated },
    entries,
    includesOf,
    resumed: { files: files.length - changed.length, headers: headers.length - (headerStats?.files ?? 0), restoreMs },
    close: () => bodies.close(),
  };
}

/** Items read between two looks at the heap's growth while a program is restored. */
const ITEMS_PER_LOOK = 4096;

/**
 * The saved items, the heap's growth tightened as they are read (heap.ts): a whole tree's program
 * passes 1 GiB while it is restored, and would otherwise be read at 30 % growth.
 */
function* tighteningAsRead(items: Iterable<SavedItem>): Generator<SavedItem> {
  let read = 0;
  for (const item of items) {
    if (++read % ITEMS_PER_LOOK === 0) tightenHeapGrowth();
    yield item;
  }
}
