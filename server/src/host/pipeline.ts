/**
 * The work done for one file, the same in the main thread (`--workers 1`) and in a worker: read and
 * validate, look the content up in the cache, otherwise parse, lower, free the tree at once (the
 * wasm heap is capped at 2 GiB) and store the IR. Any exception becomes an `InputError` for that file.
 */
import type { InputError } from '../engine/finding';
import type { FileIR } from '../engine/ir';
import { lowerFile } from '../engine/lower/index';
import type { CParser } from '../engine/syntax/parser';
import { IRCache } from './cache';
import { isInputError, readSourceFile } from './sources';

/** `lower`: the analysis's input. `parse`: read and parse only, the benchmarks' baseline. */
export type Mode = 'lower' | 'parse';

export interface FileTimings {
  /** Milliseconds spent parsing (0 on a cache hit). */
  parseMs: number;
  lowerMs: number;
  /** Read, hash, cache and everything else included. */
  totalMs: number;
}

export type FileResult =
  /** `key` names the file's cache entry when there is a cache. */
  | { file: string; ir: FileIR; key?: string; cached: boolean; bytes: number; timings: FileTimings }
  | { file: string; parsed: true; bytes: number; timings: FileTimings }
  /** A lowered file whose IR went to the batch's `onIr` (batch.ts) rather than into its result. */
  | { file: string; streamed: { syntaxErrors: number }; key?: string; cached: boolean; bytes: number; timings: FileTimings }
  | { file: string; error: InputError; timings: FileTimings };

export interface PipelineOptions {
  mode: Mode;
  cacheDir?: string;
  maxFileBytes?: number;
}

export class FilePipeline {
  private readonly cache: IRCache | undefined;

  constructor(
    private readonly parser: CParser,
    private readonly options: PipelineOptions,
  ) {
    this.cache = options.cacheDir !== undefined && options.mode === 'lower' ? new IRCache(options.cacheDir) : undefined;
  }

  run(file: string): FileResult {
    const start = performance.now();
    const timings: FileTimings = { parseMs: 0, lowerMs: 0, totalMs: 0 };
    const done = <T extends FileResult>(r: T): T => {
      timings.totalMs = performance.now() - start;
      return r;
    };
    const source = readSourceFile(file, { maxFileBytes: this.options.maxFileBytes });
    if (isInputError(source)) return done({ file, error: source, timings });

    const key = this.cache?.keyOf(source.bytes);
    if (key !== undefined) {
      const hit = this.cache!.get(key, file);
      if (hit) return done({ file, ir: hit, key, cached: true, bytes: source.bytes.length, timings });
    }

    let tree;
    const parseStart = performance.now();
    try {
      tree = this.parser.parse(source.text);
    } catch (err) {
      return done({ file, error: { file, message: `parser failed: ${message(err)}` }, timings });
    } finally {
      timings.parseMs = performance.now() - parseStart;
    }
    if (this.options.mode === 'parse') {
      tree.delete();
      return done({ file, parsed: true, bytes: source.bytes.length, timings });
    }

    const lowerStart = performance.now();
    let ir: FileIR;
    try {
      ir = lowerFile(tree, file);
    } catch (err) {
      return done({ file, error: { file, message: `internal error while lowering: ${message(err)}` }, timings });
    } finally {
      tree.delete();
      timings.lowerMs = performance.now() - lowerStart;
    }
    if (key !== undefined && !this.cache!.put(key, ir)) return done({ file, ir, cached: false, bytes: source.bytes.length, timings });
    return done({ file, ir, key, cached: false, bytes: source.bytes.length, timings });
  }
}

function message(err: unknown): string {
  if (err instanceof Error) {
    const where = err.stack?.split('\n')[1]?.trim();
    return where ? `${err.message} (${where})` : err.message;
  }
  return String(err);
}
