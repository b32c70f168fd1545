/**
 * The workspace's C files for the background analysis: which ones (the `kpath.include` and
 * `kpath.exclude` settings, and `.kpath.json`'s `ignore`) and their IR (read, validated, parsed and
 * lowered by the host's batch pipeline, in worker threads when there are many, through the
 * persistent IR cache when the server has one). Files that cannot be analysed (too large, binary,
 * not UTF-8, unreadable) come back as errors with the reason.
 */
import { readdirSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { InputError } from '../engine/finding';
import type { FileIR } from '../engine/ir';
import { lowerPaths, type BatchStats } from '../host/batch';
import { compileGlobs } from '../host/glob';
import { FileFilter } from './glob';

export interface FileSelection {
  include: string[];
  exclude: string[];
  /** `.kpath.json`'s `ignore`, with the CLI's glob semantics. */
  ignore: string[];
}

/** Decides for one absolute path under `root`. */
export function fileSelector(root: string, selection: FileSelection): { file: (abs: string) => boolean; dir: (abs: string) => boolean } {
  const filter = new FileFilter(selection.include, selection.exclude);
  const ignored = compileGlobs(selection.ignore);
  const rel = (abs: string) => relative(root, abs).split(sep).join('/');
  return {
    file: (abs) => {
      const r = rel(abs);
      return filter.matches(r) && !ignored(r);
    },
    dir: (abs) => {
      const r = rel(abs);
      return !filter.excludes(r) && !ignored(r);
    },
  };
}

/** Every selected file below `root`, sorted, as absolute paths. Unreadable directories are errors. */
export function listWorkspaceFiles(root: string, selection: FileSelection): { files: string[]; errors: InputError[] } {
  const select = fileSelector(root, selection);
  const files: string[] = [];
  const errors: InputError[] = [];
  const walk = (dir: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      errors.push({ file: dir, message: `cannot read directory: ${(err as Error).message}` });
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (select.dir(path)) walk(path);
      } else if ((entry.isFile() || entry.isSymbolicLink()) && select.file(path)) files.push(path);
    }
  };
  walk(root);
  files.sort();
  return { files, errors };
}

/** Fewer files than this are lowered in the server's thread (no worker start-up cost). */
const WORKER_THRESHOLD = 64;

export interface LoweredFiles {
  irs: FileIR[];
  /** Each IR's cache entry (the hash of the file's bytes), by absolute path, when it has one. */
  entries: Map<string, string>;
  errors: InputError[];
  stats?: BatchStats;
}

/**
 * Reads and lowers `paths` (absolute); the IRs name files by their absolute path. With `cacheDir`,
 * a file whose bytes are in the IR cache is not parsed (`stats.cacheHits` says how many).
 */
export async function lowerWorkspaceFiles(
  paths: string[],
  options: { maxFileBytes: number; cacheDir?: string; onProgress: (done: number, total: number) => void },
): Promise<LoweredFiles> {
  if (paths.length === 0) return { irs: [], entries: new Map(), errors: [] };
  const run = async (workers: number | undefined): Promise<LoweredFiles> => {
    const irs: FileIR[] = [];
    const entries = new Map<string, string>();
    const onIr = (ir: FileIR, entry: string | undefined) => {
      irs.push(ir);
      if (entry !== undefined) entries.set(ir.file, entry);
    };
    const { errors, stats } = await lowerPaths(paths, { workers, maxFileBytes: options.maxFileBytes, cacheDir: options.cacheDir, onProgress: options.onProgress, onIr });
    // Workers finish in any order; the program is given files in one.
    irs.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    return { irs, entries, errors, stats };
  };
  if (paths.length < WORKER_THRESHOLD) return run(1);
  try {
    return await run(undefined);
  } catch (err) {
    // No worker bundle (running from source): the same work, in this thread.
    if (!/worker bundle not found/.test(String(err))) throw err;
    return run(1);
  }
}
