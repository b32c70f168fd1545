/**
 * A batch analysis from PATH arguments to a settled `Program`: the files under the PATHs are
 * lowered (with the workers and the cache of batch.ts), then, round by round, the headers they
 * include (includes.ts), and every IR goes into one Program as it arrives. `kpath check` and the
 * benchmarks run this; they differ only in what they do with the program afterwards.
 *
 * Memory: a run over more than `DISK_BODIES_ABOVE_BYTES` of source keeps function bodies on disk
 * (bodies.ts: a temporary file removed by `close()`), and the Program keeps only heads, summaries
 * and findings: the IR of a whole kernel tree as objects is some 20 GB.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { InputError } from '../engine/finding';
import { IR_VERSION, type FileIR } from '../engine/ir';
import type { ResolvedConfig } from '../engine/kernel/config';
import { Program } from '../engine/program';
import { type BatchOptions, type BatchStats, addStats, lowerPaths } from './batch';
import { SpilledBodies } from './bodies';
import { collectGarbage, tightenHeapGrowth, tighteningAsItGrows } from './heap';
import { IncludeLists } from './include-lists';
import { IRCache } from './cache';
import { type DiscoveryStats, HeaderDiscovery, type IncludeOptions, describeUnresolved } from './includes';
import { resumeAnalysis } from './resume';
import { type Input, RunCache, type RunResult } from './run-cache';
import { type SavedInput, SavedPrograms } from './saved-programs';
import { PathNotFoundError, expandPaths } from './sources';
import { version as KPATH_VERSION } from '../../../package.json';

/** Above this much source, bodies stay on disk (mm/ is 4.7 MiB; the whole 6.1 tree 589 MiB). */
export const DISK_BODIES_ABOVE_BYTES = 32 * 1024 * 1024;

export interface AnalysisOptions extends Omit<BatchOptions, 'onIr' | 'onProgress'> {
  /** Follow `#include` to headers (default true), and how to resolve them. */
  includes?: IncludeOptions & { follow?: boolean };
  /** Where function bodies live during the analysis; `auto` (default) chooses by the size of the run. */
  bodies?: 'memory' | 'disk' | 'auto';
  /** Lowering progress (files, then each round of headers), then the Program's (functions, contexts). */
  onProgress?: (phase: 'files' | 'headers' | 'functions' | 'contexts', done: number, total: number) => void;
  /** Which build of kpath runs, for the run cache; default: a hash of the running bundle's code. */
  engineId?: string;
}

export interface Analysis {
  /** Settled: `check()` returns at once. Usable until `close()`. */
  program: Program;
  /** The files under the PATHs that were lowered, sorted (findings are for these, and for paths through them). */
  files: string[];
  /** Headers lowered because the files include them, sorted. */
  headers: string[];
  /** Files under the PATHs (or PATHs) that could not be analysed, with the reason. */
  errors: InputError[];
  /** Included headers that could not be analysed (too large, unreadable), with the reason. */
  headerErrors: InputError[];
  /** Lowering figures of the PATHs' files (`headers` has its own). */
  stats: BatchStats;
  headerStats?: BatchStats;
  includes?: DiscoveryStats;
  bodies: 'memory' | 'disk';
  /** Milliseconds of lowering (files and headers) and of the Program's fixed point. */
  timings: { lowerMs: number; programMs: number };
  /** The IR cache entry of each file and header lowered, by path (when there is a cache). */
  entries: Map<string, string>;
  /** What each file and header lowered includes (what a saved program keeps for the next run). */
  includesOf: IncludeLists;
  /** Started from the program the last run saved (resume.ts): files and headers taken unchanged, and the restoring's milliseconds. */
  resumed?: { files: number; headers: number; restoreMs: number };
  /** Removes the bodies spilled to disk, if there are any. */
  close(): void;
}

export async function analysePaths(paths: string[], config: ResolvedConfig, options: AnalysisOptions = {}): Promise<Analysis> {
  const started = performance.now();
  const onDisk = options.bodies === 'disk' || (options.bodies !== 'memory' && sourceBytes(paths, options) > DISK_BODIES_ABOVE_BYTES);
  const store = onDisk ? new SpilledBodies() : undefined;
  try {
    const program = new Program(config, { bodies: store, onProgress: tighteningAsItGrows(options.onProgress) });
    const follow = options.includes?.follow !== false;
    let discovery = follow ? new HeaderDiscovery(options.includes) : undefined;
    const files: string[] = [];
    const headers: string[] = [];
    const entries = new Map<string, string>();
    const includesOf = new IncludeLists();
    const take = (into: string[], onDemand = false) => (ir: FileIR, entry: string | undefined) => {
      into.push(ir.file);
      includesOf.set(ir.file, ir.includes);
      if (entry !== undefined) entries.set(ir.file, entry);
      discovery?.add(ir);
      program.update(ir, { onDemand });
    };
    const batchOptions = { ...options, onIr: undefined, onProgress: undefined };
    const batch = await lowerPaths(paths, { ...batchOptions, onIr: take(files), onProgress: progressOf(options, 'files') });
    const headerErrors: InputError[] = [];
    let headerStats: BatchStats | undefined;
    for (let next = discovery?.next() ?? []; next.length > 0; next = discovery!.next()) {
      const more = await lowerPaths(next, { ...batchOptions, onIr: take(headers, true), onProgress: progressOf(options, 'headers') });
      headerErrors.push(...more.errors);
      headerStats = headerStats ? addStats(headerStats, more.stats) : more.stats;
    }
    files.sort();
    headers.sort();
    // What include resolution probed (every path tried in every folder) is garbage from here: a
    // whole tree's peak is at the end of its fixed point.
    const includes = discovery?.stats();
    discovery = undefined;
    const lowered = performance.now();
    tightenHeapGrowth(); // a whole tree's peak is in its fixed point
    program.check(); // settles the fixed point, so that `timings` says what it cost
    return {
      program,
      files,
      headers,
      errors: batch.errors,
      headerErrors,
      stats: batch.stats,
      headerStats,
      includes,
      bodies: onDisk ? 'disk' : 'memory',
      timings: { lowerMs: lowered - started, programMs: performance.now() - lowered },
      entries,
      includesOf,
      close: () => store?.close(),
    };
  } catch (err) {
    store?.close();
    throw err;
  }
}

export interface CheckResult extends RunResult {
  /** Served from the run cache (run-cache.ts): nothing it read had changed. */
  reused: boolean;
  /** The analysis's figures, when it ran. */
  analysis?: Pick<Analysis, 'stats' | 'headerStats' | 'includes' | 'bodies' | 'timings' | 'resumed'> & { program: Program['stats'] };
  /**
   * With `saveLater`, saves the program for the next run (saved-programs.ts): the CLI does it after
   * printing the report, as a whole tree's takes tens of seconds to write. Returns whether it was
   * written; the first call saves, as the program's last use (the figures above are taken before).
   */
  saveProgram?: () => boolean;
}

export interface CheckOptions extends AnalysisOptions {
  /** Leave saving the program to the caller (`CheckResult.saveProgram`) instead of before returning. */
  saveLater?: boolean;
}

/**
 * What `kpath check` reports for PATHs: the findings in the files under them (and in included
 * headers, through them), and what could not be analysed. With a cache directory, a run whose
 * inputs are all unchanged is served from the run cache; otherwise `analysePaths` runs and its
 * result is recorded.
 */
export async function checkPaths(paths: string[], config: ResolvedConfig, options: CheckOptions = {}): Promise<CheckResult> {
  const runs = options.cacheDir === undefined ? undefined : new RunCache(options.cacheDir);
  const irCache = options.cacheDir === undefined ? undefined : new IRCache(options.cacheDir);
  // Once per file and run: a missed run-cache record, the resumed program and the new record all ask.
  const hashes = new Map<string, string | null>();
  const hash = (file: string): string | null => {
    let known = hashes.get(file);
    if (known !== undefined) return known;
    try {
      known = irCache!.keyOf(readFileSync(file));
    } catch {
      known = null;
    }
    hashes.set(file, known);
    return known;
  };
  const key = RunCache.keyOf({
    kpath: KPATH_VERSION,
    engine: options.engineId ?? runningEngine(),
    ir: IR_VERSION,
    cwd: process.cwd(),
    paths,
    config,
    includes: options.includes ?? {},
    ignore: options.ignore ?? [],
    ignoreRoot: options.ignoreRoot ?? '',
    maxFileBytes: options.maxFileBytes ?? 0,
  });
  // The files under the PATHs as this run finds them: what a record is checked against, and stored with.
  const expanded = runs && expandPaths(paths, { ignore: options.ignore, ignoreRoot: options.ignoreRoot }).files.map((f) => f.file);
  if (runs) {
    const hit = runs.lookup(key, expanded!, hash);
    if (hit) return { ...hit, reused: true };
  }
  // Else from the program the last run over the same PATHs saved, when there is one.
  const programs = options.cacheDir === undefined ? undefined : new SavedPrograms(options.cacheDir);
  const place = RunCache.keyOf({ cwd: process.cwd(), paths });
  const saved = programs?.load(place, key);
  let analysis: Analysis | undefined;
  if (saved) {
    try {
      analysis = await resumeAnalysis(saved, expanded!, config, options, irCache!, hash);
    } catch (err) {
      if (err instanceof PathNotFoundError) throw err;
      // Unreadable: analysed anew below, and saved again after.
    } finally {
      saved.discard();
    }
  }
  analysis ??= await analysePaths(paths, config, options);
  try {
    const { program } = analysis;
    const result: RunResult = {
      findings: program.check(analysis.files, { orThrough: true }),
      errors: [...analysis.errors, ...program.problems(analysis.files)],
      headerErrors: analysis.headerErrors,
      files: analysis.files,
      headers: analysis.headers,
      includeNote: analysis.includes ? describeUnresolved(analysis.includes) : '',
    };
    let saveProgram: (() => boolean) | undefined;
    if (runs) {
      const inputs = (list: readonly string[]): Input[] => list.map((f) => [f, analysis!.entries.get(f) ?? hash(f)] as const);
      runs.store(key, inputs(expanded!), inputs([...analysis.headers, ...analysis.headerErrors.map((e) => e.file)]), result);
      // A file without an IR cache entry is saved with none: the next run lowers it again.
      const built = (list: readonly string[]): SavedInput[] => list.map((f) => [f, analysis!.entries.get(f) ?? '', analysis!.includesOf.packedOf(f)]);
      const { files, headers } = analysis;
      // The program's last use: it lets go of what it holds as it is written (Program.save), and what
      // its indexes held is collected before the first item, not on top of the save's allocations.
      let saved: boolean | undefined;
      saveProgram = () => (saved ??= programs!.store(place, { key, files: built(files), headers: built(headers) }, program.save({ last: true, onLetGo: collectGarbage })));
      if (!options.saveLater) saveProgram();
    }
    const { stats, headerStats, includes, bodies, timings, resumed } = analysis;
    const figures = { stats, headerStats, includes, bodies, timings, ...(resumed ? { resumed } : {}), program: { ...program.stats } };
    return { ...result, reused: false, analysis: figures, ...(options.saveLater && saveProgram ? { saveProgram } : {}) };
  } finally {
    analysis.close();
  }
}

/**
 * The running code by content (the bundle holds the whole engine): a rebuilt kpath of the same
 * version finds other findings, and must not be served a result recorded by the previous build.
 */
let engineHash: string | undefined;
export function runningEngine(): string {
  if (engineHash === undefined) {
    try {
      engineHash = createHash('sha256').update(readFileSync(__filename)).digest('hex').slice(0, 16);
    } catch {
      engineHash = 'unknown';
    }
  }
  return engineHash;
}

function sourceBytes(paths: string[], options: AnalysisOptions): number {
  try {
    return expandPaths(paths, { ignore: options.ignore, ignoreRoot: options.ignoreRoot }).files.reduce((n, f) => n + f.size, 0);
  } catch {
    return 0; // lowerPaths reports the missing PATH
  }
}

function progressOf(options: AnalysisOptions, phase: 'files' | 'headers'): BatchOptions['onProgress'] {
  const report = options.onProgress;
  return report ? (done, total) => report(phase, done, total) : undefined;
}
