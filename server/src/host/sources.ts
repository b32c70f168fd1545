/**
 * Which files a run looks at, and reading them safely. PATH arguments expand to files (a directory
 * to its `*.c` files, recursively, in a fixed order); each file is read with validation so that bad
 * input (unreadable, binary, too large, not UTF-8) becomes an `InputError` naming the reason — never
 * a crash and never a silent skip.
 */
import { readdirSync, readFileSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { InputError } from '../engine/finding';
import { compileGlobs } from './glob';

/** Files larger than this are not analysed (the largest `.c` file of Linux 6.1 is ~1.3 MiB). */
export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Thrown when a PATH argument does not exist: a usage error (the CLI exits 2), not a file error. */
export class PathNotFoundError extends Error {
  constructor(readonly paths: string[]) {
    super(paths.map((p) => `${p}: no such file or directory`).join('\n'));
    this.name = 'PathNotFoundError';
  }
}

export interface SourceEntry {
  /** The path as the run reports it: the argument itself, or the argument joined with the path below it. */
  file: string;
  /** Size in bytes at expansion time (for scheduling largest first). */
  size: number;
}

export interface ExpandOptions {
  /** Glob patterns (see glob.ts) of files and directories to leave out. */
  ignore?: readonly string[];
  /** What ignore patterns are relative to; default the current directory. */
  ignoreRoot?: string;
}

export interface Expansion {
  files: SourceEntry[];
  /** Arguments or directories that could not be expanded (unreadable directory, wrong file type). */
  errors: InputError[];
  /** Files left out by `ignore`. */
  ignored: number;
}

/** File extensions accepted when a file is named explicitly; directories yield only `.c`. */
const EXPLICIT_EXTENSIONS = ['.c', '.h'];

/**
 * Expands PATH arguments in order: a file stands for itself (it must be `.c` or `.h`), a directory
 * for every `*.c` below it sorted by path (code point order, so the result does not depend on the
 * locale or the file system). Symbolic links to files are followed; links to directories are not
 * (they would allow cycles). A file named twice is listed once. Throws `PathNotFoundError` naming
 * every missing argument.
 */
export function expandPaths(paths: readonly string[], options: ExpandOptions = {}): Expansion {
  const missing: string[] = [];
  const errors: InputError[] = [];
  const files: SourceEntry[] = [];
  const seen = new Set<string>();
  const isIgnored = ignoreMatcher(options);
  let ignored = 0;

  const add = (file: string, size: number) => {
    const key = resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    if (isIgnored(file)) ignored++;
    else files.push({ file, size });
  };

  for (const arg of paths) {
    let stats: Stats;
    try {
      stats = statSync(arg);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') missing.push(arg);
      else errors.push({ file: arg, message: `cannot access: ${describe(err)}` });
      continue;
    }
    if (stats.isDirectory()) {
      const found: SourceEntry[] = [];
      walk(arg, found, errors);
      found.sort((a, b) => compareCodePoints(a.file, b.file));
      for (const f of found) add(f.file, f.size);
    } else if (!stats.isFile()) {
      errors.push({ file: arg, message: 'not a regular file' });
    } else if (!EXPLICIT_EXTENSIONS.some((ext) => arg.endsWith(ext))) {
      errors.push({ file: arg, message: 'not a C source file (expected a .c or .h file)' });
    } else {
      add(arg, stats.size);
    }
  }
  if (missing.length > 0) throw new PathNotFoundError(missing);
  return { files, errors, ignored };
}

function walk(dir: string, out: SourceEntry[], errors: InputError[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    errors.push({ file: dir, message: `cannot read directory: ${describe(err)}` });
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      walk(path, out, errors);
    } else if (entry.name.endsWith('.c') && (entry.isFile() || entry.isSymbolicLink())) {
      try {
        const stats = statSync(path); // follows a link
        if (stats.isFile()) out.push({ file: path, size: stats.size });
        else if (!stats.isDirectory()) errors.push({ file: path, message: 'not a regular file' });
      } catch (err) {
        errors.push({ file: path, message: `cannot access: ${describe(err)}` });
      }
    }
  }
}

function ignoreMatcher(options: ExpandOptions): (file: string) => boolean {
  const matches = compileGlobs(options.ignore ?? []);
  const root = resolve(options.ignoreRoot ?? '.');
  return (file) => matches(relative(root, resolve(file)).split(sep).join('/'));
}

function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface SourceText {
  file: string;
  text: string;
  /** The bytes read, for content hashing. */
  bytes: Uint8Array;
}

export interface ReadOptions {
  maxFileBytes?: number;
}

/** Reads one file as UTF-8 text, or says why it cannot be analysed. */
export function readSourceFile(file: string, options: ReadOptions = {}): SourceText | InputError {
  const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let bytes: Buffer;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) return { file, message: 'not a regular file' };
    if (stats.size > limit) return { file, message: tooLarge(stats.size, limit) };
    bytes = readFileSync(file);
  } catch (err) {
    return { file, message: `cannot read: ${describe(err)}` };
  }
  return decodeSource(file, bytes, limit);
}

/** Validates bytes already read (the language server gets text from the editor, not from here). */
export function decodeSource(file: string, bytes: Uint8Array, limit = DEFAULT_MAX_FILE_BYTES): SourceText | InputError {
  if (bytes.length > limit) return { file, message: tooLarge(bytes.length, limit) };
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { file, message: `binary file (NUL byte at offset ${nul})` };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { file, text, bytes };
  } catch {
    const at = firstInvalidUtf8(bytes);
    return { file, message: `not valid UTF-8 text (invalid byte at line ${lineOf(bytes, at)}, offset ${at})` };
  }
}

export function isInputError(x: SourceText | InputError): x is InputError {
  return 'message' in x;
}

function tooLarge(size: number, limit: number): string {
  return `file too large (${size} bytes; the limit is ${limit} bytes)`;
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string') {
    const reasons: Record<string, string> = {
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      EISDIR: 'is a directory',
      ELOOP: 'too many levels of symbolic links',
      ENOENT: 'no such file or directory',
    };
    return reasons[e.code] ? `${reasons[e.code]} (${e.code})` : `${e.code}`;
  }
  return String(err);
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) [n, min] = [1, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [n, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return b.length;
}

function lineOf(b: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < b.length; i++) if (b[i] === 0x0a) line++;
  return line;
}
