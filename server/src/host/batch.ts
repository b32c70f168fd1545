/**
 * Batch runs over PATH arguments (`kpath check`, benchmarks): expand the paths, then read, parse
 * and lower every file, in the main thread or in worker threads, through the persistent cache when
 * one is given. The result is every file's IR in path order — the same whatever the number of
 * workers — plus every file that could not be analysed, with the reason.
 *
 * Cross-file work (summaries, callback contexts, rules) is not done here: the caller feeds the IRs
 * to the engine's `Program`.
 */
import { availableParallelism } from 'node:os';
import type { InputError } from '../engine/finding';
import type { FileIR } from '../engine/ir';
import { readGrammarBinaries } from './grammars';
import { createCParser } from '../engine/syntax/parser';
import { FilePipeline, type FileResult, type Mode } from './pipeline';
import { defaultWorkerScript, runInWorkers } from './pool';
import { expandPaths, type SourceEntry } from './sources';

export interface BatchOptions {
  /** Worker threads; 1 runs in the calling thread. Default: `os.availableParallelism()`. */
  workers?: number;
  /** Directory of the persistent IR cache (cache.ts); none when absent. */
  cacheDir?: string;
  /** Called after each file. */
  onProgress?: (done: number, total: number) => void;
  /** Glob patterns of files and directories to leave out (`.kpath.json` `ignore`). */
  ignore?: string[];
  /** What `ignore` patterns are relative to (the directory of `.kpath.json`); default the current directory. */
  ignoreRoot?: string;
  /** Larger files are reported as errors; default 4 MiB. */
  maxFileBytes?: number;
  /** The worker bundle; default `worker.js` next to the running bundle, or `dist/worker.js` from source. */
  workerScript?: string;
  /**
   * Receives each file's IR as it is lowered, in no particular order, instead of `irs` (which is then
   * empty): a run over a whole tree does not hold every IR at once. `entry` names the file's cache
   * entry when it is in the cache.
   */
  onIr?: (ir: FileIR, entry: string | undefined) => void;
}

export interface BatchStats {
  /** Files to analyse after expansion and `ignore`. */
  files: number;
  ignored: number;
  /** Files parsed (and lowered) in this run. */
  parsed: number;
  cacheHits: number;
  /** Entries in `errors`. */
  errors: number;
  /** Bytes of source read. */
  bytes: number;
  workers: number;
  elapsedMs: number;
  /** Summed over files (and so over workers). */
  parseMs: number;
  lowerMs: number;
  /** ERROR and MISSING nodes over all lowered files. */
  syntaxErrors: number;
  /** The ten files that took longest, slowest first. */
  slowest: { file: string; ms: number }[];
  /** The ten files with the most ERROR and MISSING nodes, most first. */
  mostSyntaxErrors: { file: string; syntaxErrors: number }[];
}

export interface BatchResult {
  irs: FileIR[];
  errors: InputError[];
  stats: BatchStats;
}

/** Reads, parses and lowers every file under `paths`. Throws `PathNotFoundError` for a missing PATH. */
export async function lowerPaths(paths: string[], options: BatchOptions = {}): Promise<BatchResult> {
  return run(paths, 'lower', options);
}

/** Reads and parses only: the baseline the benchmarks compare a full check against. */
export async function parsePaths(paths: string[], options: BatchOptions = {}): Promise<Omit<BatchResult, 'irs'>> {
  const { errors, stats } = await run(paths, 'parse', { ...options, cacheDir: undefined });
  return { errors, stats };
}

async function run(paths: string[], mode: Mode, options: BatchOptions): Promise<BatchResult> {
  const started = performance.now();
  const expansion = expandPaths(paths, { ignore: options.ignore, ignoreRoot: options.ignoreRoot });
  const files = expansion.files;
  const requested = options.workers ?? availableParallelism();
  const workers = Math.max(1, Math.min(requested, files.length));

  const results: FileResult[] = new Array(files.length);
  let done = 0;
  const onResult = (index: number, result: FileResult) => {
    if (options.onIr && 'ir' in result) {
      options.onIr(result.ir, result.key);
      const { ir, ...rest } = result;
      result = { ...rest, streamed: { syntaxErrors: ir.syntaxErrors } };
    }
    results[index] = result;
    options.onProgress?.(++done, files.length);
  };

  const pipelineOptions = { mode, cacheDir: options.cacheDir, maxFileBytes: options.maxFileBytes };
  // A run given worker threads parses in them even when one file is left (a last round of
  // headers): a parser made here would keep its wasm memory, which never shrinks, for the
  // rest of the process, through the fixed point where a whole tree peaks.
  if (requested === 1) {
    await runInProcess(files, new FilePipeline(await createCParser(readGrammarBinaries()), pipelineOptions), onResult);
  } else {
    const script = options.workerScript ?? defaultWorkerScript();
    await runInWorkers(files, workers, { ...pipelineOptions, grammars: readGrammarBinaries() }, script, onResult);
  }
  return collect(results, expansion.errors, { files: files.length, ignored: expansion.ignored, workers, started });
}

async function runInProcess(files: SourceEntry[], pipeline: FilePipeline, onResult: (i: number, r: FileResult) => void): Promise<void> {
  for (let i = 0; i < files.length; i++) onResult(i, pipeline.run(files[i].file));
}

function collect(
  results: FileResult[],
  expansionErrors: InputError[],
  run: { files: number; ignored: number; workers: number; started: number },
): BatchResult {
  const irs: FileIR[] = [];
  const errors = [...expansionErrors];
  const stats: BatchStats = {
    files: run.files,
    ignored: run.ignored,
    parsed: 0,
    cacheHits: 0,
    errors: 0,
    bytes: 0,
    workers: run.workers,
    elapsedMs: 0,
    parseMs: 0,
    lowerMs: 0,
    syntaxErrors: 0,
    slowest: [],
    mostSyntaxErrors: [],
  };
  for (const r of results) {
    stats.parseMs += r.timings.parseMs;
    stats.lowerMs += r.timings.lowerMs;
    if ('error' in r) {
      errors.push(r.error);
      continue;
    }
    stats.bytes += r.bytes;
    if ('ir' in r) {
      irs.push(r.ir);
      stats.syntaxErrors += r.ir.syntaxErrors;
      if (r.cached) stats.cacheHits++;
      else stats.parsed++;
    } else if ('streamed' in r) {
      stats.syntaxErrors += r.streamed.syntaxErrors;
      if (r.cached) stats.cacheHits++;
      else stats.parsed++;
    } else {
      stats.parsed++;
    }
  }
  stats.errors = errors.length;
  stats.slowest = results
    .map((r) => ({ file: r.file, ms: Math.round(r.timings.totalMs * 10) / 10 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 10);
  stats.mostSyntaxErrors = results
    .flatMap((r) => ('ir' in r ? [{ file: r.file, syntaxErrors: r.ir.syntaxErrors }] : 'streamed' in r ? [{ file: r.file, syntaxErrors: r.streamed.syntaxErrors }] : []))
    .filter((r) => r.syntaxErrors > 0)
    .sort((a, b) => b.syntaxErrors - a.syntaxErrors)
    .slice(0, 10);
  stats.elapsedMs = performance.now() - run.started;
  return { irs, errors, stats };
}

/** The figures of a batch that lowered nothing. */
export function noStats(): BatchStats {
  return { files: 0, ignored: 0, parsed: 0, cacheHits: 0, errors: 0, bytes: 0, workers: 0, elapsedMs: 0, parseMs: 0, lowerMs: 0, syntaxErrors: 0, slowest: [], mostSyntaxErrors: [] };
}

/** The figures of two batches as one. */
export function addStats(a: BatchStats, b: BatchStats): BatchStats {
  return {
    files: a.files + b.files,
    ignored: a.ignored + b.ignored,
    parsed: a.parsed + b.parsed,
    cacheHits: a.cacheHits + b.cacheHits,
    errors: a.errors + b.errors,
    bytes: a.bytes + b.bytes,
    workers: Math.max(a.workers, b.workers),
    elapsedMs: a.elapsedMs + b.elapsedMs,
    parseMs: a.parseMs + b.parseMs,
    lowerMs: a.lowerMs + b.lowerMs,
    syntaxErrors: a.syntaxErrors + b.syntaxErrors,
    slowest: [...a.slowest, ...b.slowest].sort((x, y) => y.ms - x.ms).slice(0, 10),
    mostSyntaxErrors: [...a.mostSyntaxErrors, ...b.mostSyntaxErrors].sort((x, y) => y.syntaxErrors - x.syntaxErrors).slice(0, 10),
  };
}
