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

/**
 * Reads and lowers `paths` (absolute); the IRs name files by their absolute path. With `cacheDir`,
 * a file whose bytes are in the IR cache is not parsed (`stats.cacheHits` says how many).
 */
export async function lowerWorkspaceFiles(
  paths: string[],
  options: { maxFileBytes: number; cacheDir?: string; onProgress: (done: number, total: number) => void },
): Promise<{ irs: FileIR[]; errors: InputError[]; stats?: BatchStats }> {
  if (paths.length === 0) return { irs: [], errors: [] };
  const run = (workers: number | undefined) =>
    lowerPaths(paths, { workers, maxFileBytes: options.maxFileBytes, cacheDir: options.cacheDir, onProgress: options.onProgress });
  if (paths.length < WORKER_THRESHOLD) return run(1);
  try {
    return await run(undefined);
  } catch (err) {
    // No worker bundle (running from source): the same work, in this thread.
    if (!/worker bundle not found/.test(String(err))) throw err;
    return run(1);
  }
}
