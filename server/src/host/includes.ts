/**
 * Following `#include` from the files of a run to the headers whose `static inline` functions they
 * call, the way the kernel's build finds them (x86 by default):
 *
 * - `#include "x.h"`: the including file's own directory first, then as `<x.h>`.
 * - `#include <x.h>`: the include roots of the kernel tree holding the including file, in kbuild's
 *   order (`arch/<arch>/include`, `arch/<arch>/include/generated`, `include`,
 *   `arch/<arch>/include/uapi`, `arch/<arch>/include/generated/uapi`, `include/uapi`,
 *   `include/generated/uapi`), then the extra directories of the configuration.
 * - `<asm/x.h>` that none of these holds but that the build would generate as a wrapper of
 *   `<asm-generic/x.h>` (named by `generic-y` in `arch/<arch>/include/{,uapi/}asm/Kbuild` or
 *   `mandatory-y` in `include/{,uapi/}asm-generic/Kbuild`) is read as `<asm-generic/x.h>`.
 * - Then the folders the `Kbuild` and `Makefile` files of the includer's directory and of those
 *   above it add with `-I` in `ccflags-y`, `subdir-ccflags-y` or `EXTRA_CFLAGS` (nouveau's
 *   `ccflags-y += -I $(NOUVEAU_PATH)/$(src)/include/nvkm`), nearest first: kbuild puts them after
 *   the kernel's own. `$(srctree)`, `$(src)`, `$(obj)` and the file's own simple variables are
 *   substituted; a folder naming anything else is skipped.
 *
 * The kernel tree of a file is the nearest directory above it holding `include/linux/` and a
 * `Kbuild` or `Makefile`. Conditions of `#if` are not evaluated: every include of every branch is
 * followed. Only `.h` files are followed (an included `.c` or `.S` is part of its includer).
 *
 * Discovery is transitive and works in rounds, so that the batch lowers each round's headers with
 * its workers and cache: `add()` each lowered file (in any order: files stream from workers), then
 * `next()` gives the headers to lower in the next round; add those once lowered, and so on until
 * `next()` gives none. A round's headers are sorted, so the result does not depend on the order
 * files were added in. Every header is followed, also one without functions: an umbrella header
 * (`linux/kernel.h`) often holds nothing but includes.
 *
 * Never silent: an include that resolves to no file (generated headers are absent from a source
 * package) is counted by its written path; headers beyond the bound `maxHeaders` are counted too.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Include } from '../engine/ir';

export interface IncludeOptions {
  /** The architecture whose include directories are searched (`arch/<arch>/include`); default `x86`. */
  arch?: string;
  /** More directories for `<...>` includes, searched after the kernel's; relative ones are relative to `pathsRoot`. */
  paths?: readonly string[];
  /** What relative `paths` are relative to (the directory of `.kpath.json`); default `cwd`. */
  pathsRoot?: string;
  /** What relative file paths are relative to; default `process.cwd()`. */
  cwd?: string;
  /**
   * At most this many headers are discovered; the rest are counted in `stats().leftOut`. The set is
   * finite anyway (each header once); the bound caps the cost of a run. Default 20,000 (Linux 6.1
   * has about 23,000 `.h` files over all architectures).
   */
  maxHeaders?: number;
}

/** A file as `add()` needs it: a FileIR has both fields. */
export interface IncludingFile {
  file: string;
  includes: readonly Include[];
}

/** An include path that resolved to no header, with how often it was written. */
export interface UnresolvedInclude {
  /** As written: `generated/autoconf.h`, `asm/cpufeaturemasks.h`. */
  path: string;
  system: boolean;
  /** Directives naming it, over all files. */
  count: number;
  /** The first file (by path, then line) that named it. */
  from: { file: string; line: number };
  /** `not found`, or `not a header` for an include of a `.c`, `.S`, ... file. */
  reason: 'not found' | 'not a header';
}

export interface DiscoveryStats {
  /** Headers discovered (returned by `next()`), over all rounds. */
  headers: number;
  /** Calls of `next()` that returned headers. */
  rounds: number;
  /** Include directives read, over all files added. */
  includes: number;
  /** Directives that resolved to no header (the sum of `unresolved[].count`). */
  unresolvedCount: number;
  /** By written path, most frequent first (then by path). */
  unresolved: UnresolvedInclude[];
  /** Headers found but not returned because `maxHeaders` was reached. */
  leftOut: number;
}

export const DEFAULT_ARCH = 'x86';
export const DEFAULT_MAX_HEADERS = 20_000;

/** kbuild's order of include directories under the tree's root (`<arch>` replaced). */
const KERNEL_INCLUDE_DIRS = [
  'arch/<arch>/include',
  'arch/<arch>/include/generated',
  'include',
  'arch/<arch>/include/uapi',
  'arch/<arch>/include/generated/uapi',
  'include/uapi',
  'include/generated/uapi',
];

/** What the kernel tree at one root provides. */
interface KernelTree {
  /** The include directories that exist, absolute, in search order (the configuration's last). */
  dirs: string[];
  /** `x.h` for which the build generates `asm/x.h` as a wrapper of `asm-generic/x.h`. */
  asmGeneric: Set<string>;
}

export class HeaderDiscovery {
  private readonly arch: string;
  private readonly cwd: string;
  private readonly extraDirs: string[];
  private readonly maxHeaders: number;
  /** Absolute paths of every file added or returned: each is returned at most once. */
  private readonly known = new Set<string>();
  /** Headers found since the last `next()`: absolute path -> the name to report. */
  private readonly pending = new Map<string, string>();
  private readonly rootOfDir = new Map<string, string | null>();
  private readonly trees = new Map<string | null, KernelTree>();
  /** A directory's `-I` folders from its and its parents' makefiles (`kbuildDirsOf`). */
  private readonly kbuildDirsByDir = new Map<string, readonly string[]>();
  private readonly isFileCache = new Map<string, boolean>();
  private readonly unresolvedByKey = new Map<string, UnresolvedInclude>();
  private readonly counts = { headers: 0, rounds: 0, includes: 0, unresolvedCount: 0, leftOut: 0 };

  constructor(options: IncludeOptions = {}) {
    this.arch = options.arch ?? DEFAULT_ARCH;
    this.cwd = resolve(options.cwd ?? process.cwd());
    const pathsRoot = resolve(this.cwd, options.pathsRoot ?? '.');
    this.extraDirs = (options.paths ?? []).map((p) => resolve(pathsRoot, p));
    this.maxHeaders = options.maxHeaders ?? DEFAULT_MAX_HEADERS;
  }

  /**
   * Reads the includes of a lowered file: one of the run's files, or a header `next()` returned. A
   * header is named the way its includers are: relative to `cwd` when one of them is named
   * relatively, else absolute.
   */
  add(file: IncludingFile): void {
    const absolute = resolve(this.cwd, file.file);
    this.known.add(absolute);
    this.pending.delete(absolute);
    for (const inc of file.includes) {
      this.counts.includes++;
      const header = this.resolveInclude(absolute, inc);
      if (header === undefined) {
        this.noteUnresolved(file.file, inc, isHeaderName(inc.path) ? 'not found' : 'not a header');
      } else if (!this.known.has(header)) {
        // named relatively when any includer is, whichever came first
        const name = isAbsolute(file.file) ? header : relative(this.cwd, header);
        if (!this.pending.has(header) || !isAbsolute(name)) this.pending.set(header, name);
      }
    }
  }

  /**
   * The headers found since the last call and never added nor returned, sorted: the next round to
   * lower. Past `maxHeaders` in all, the rest are counted in `stats().leftOut` and never returned.
   */
  next(): string[] {
    const found = [...this.pending.values()].sort(compare);
    for (const header of this.pending.keys()) this.known.add(header);
    this.pending.clear();
    const room = Math.max(0, this.maxHeaders - this.counts.headers);
    const round = found.slice(0, room);
    this.counts.leftOut += found.length - round.length;
    this.counts.headers += round.length;
    if (round.length > 0) this.counts.rounds++;
    return round;
  }

  stats(): DiscoveryStats {
    const unresolved = [...this.unresolvedByKey.values()].sort((a, b) => b.count - a.count || compare(a.path, b.path) || Number(a.system) - Number(b.system));
    return { ...this.counts, unresolved: unresolved.map((u) => ({ ...u, from: { ...u.from } })) };
  }

  /** The absolute path of the header `inc` of the file at `absolute` names; undefined when none. */
  resolveInclude(absolute: string, inc: Include): string | undefined {
    if (!isHeaderName(inc.path)) return undefined;
    const dir = dirname(absolute);
    if (!inc.system) {
      const local = resolve(dir, inc.path);
      if (this.isFile(local)) return local;
    }
    const root = this.rootOf(dir);
    const tree = this.treeOf(root);
    const found = this.search(tree.dirs, inc.path);
    if (found !== undefined) return found;
    const generic = /^asm\/(.+)$/.exec(inc.path);
    if (generic && tree.asmGeneric.has(generic[1]!)) return this.search(tree.dirs, `asm-generic/${generic[1]}`);
    return root === null ? undefined : this.search(this.kbuildDirsOf(dir, root), inc.path);
  }

  /** The folders the makefiles of `dir` and of the directories above it, up to `root`, add with `-I`, nearest first. */
  private kbuildDirsOf(dir: string, root: string): readonly string[] {
    const known = this.kbuildDirsByDir.get(dir);
    if (known) return known;
    const own = ['Kbuild', 'Makefile'].flatMap((name) => includeFlags(join(dir, name), root, relative(root, dir) || '.'));
    const above = dir === root || dirname(dir) === dir ? [] : this.kbuildDirsOf(dirname(dir), root);
    const dirs = [...new Set([...own, ...above])].filter((d) => this.isDir(d));
    this.kbuildDirsByDir.set(dir, dirs);
    return dirs;
  }

  private search(dirs: readonly string[], path: string): string | undefined {
    for (const d of dirs) {
      const candidate = resolve(d, path);
      if (this.isFile(candidate)) return candidate;
    }
    return undefined;
  }

  /** The kernel tree's root above `dir` (cached for every directory on the way), or null. */
  private rootOf(dir: string): string | null {
    const walked: string[] = [];
    let at = dir;
    let root: string | null | undefined;
    for (;;) {
      root = this.rootOfDir.get(at);
      if (root !== undefined) break;
      walked.push(at);
      if (this.isDir(join(at, 'include', 'linux')) && (this.isFile(join(at, 'Kbuild')) || this.isFile(join(at, 'Makefile')))) {
        root = at;
        break;
      }
      const up = dirname(at);
      if (up === at) {
        root = null;
        break;
      }
      at = up;
    }
    for (const d of walked) this.rootOfDir.set(d, root);
    return root;
  }

  private treeOf(root: string | null): KernelTree {
    let tree = this.trees.get(root);
    if (tree) return tree;
    const kernelDirs = root === null ? [] : KERNEL_INCLUDE_DIRS.map((d) => join(root, d.replace('<arch>', this.arch)));
    const asmGeneric = new Set<string>();
    if (root !== null) {
      for (const [file, kind] of [
        [`arch/${this.arch}/include/asm/Kbuild`, 'generic-y'],
        [`arch/${this.arch}/include/uapi/asm/Kbuild`, 'generic-y'],
        ['include/asm-generic/Kbuild', 'mandatory-y'],
        ['include/uapi/asm-generic/Kbuild', 'mandatory-y'],
      ] as const) {
        for (const name of kbuildList(join(root, file), kind)) asmGeneric.add(name);
      }
    }
    tree = { dirs: [...kernelDirs, ...this.extraDirs].filter((d) => this.isDir(d)), asmGeneric };
    this.trees.set(root, tree);
    return tree;
  }

  private noteUnresolved(file: string, inc: Include, reason: UnresolvedInclude['reason']): void {
    this.counts.unresolvedCount++;
    const key = `${inc.system ? '<' : '"'}${inc.path}`;
    const seen = this.unresolvedByKey.get(key);
    if (!seen) this.unresolvedByKey.set(key, { path: inc.path, system: inc.system, count: 1, from: { file, line: inc.line }, reason });
    else {
      seen.count++;
      // the first by path, so that the order files are added in does not matter
      if (compare(file, seen.from.file) < 0 || (file === seen.from.file && inc.line < seen.from.line)) seen.from = { file, line: inc.line };
    }
  }

  private isFile(path: string): boolean {
    let known = this.isFileCache.get(path);
    if (known === undefined) {
      known = statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
      this.isFileCache.set(path, known);
    }
    return known;
  }

  private isDir(path: string): boolean {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  }
}

/**
 * The whole discovery at once, for callers that can lower a header on the spot (tests, scripts):
 * `readIncludes(header)` gives a header's includes (undefined when it could not be read: its
 * includes are then not followed). Returns every header, round after round, and the statistics.
 */
export function discoverHeaders(
  start: readonly IncludingFile[],
  readIncludes: (header: string) => readonly Include[] | undefined,
  options: IncludeOptions = {},
): { headers: string[]; stats: DiscoveryStats } {
  const discovery = new HeaderDiscovery(options);
  const headers: string[] = [];
  for (const file of start) discovery.add(file);
  for (let round = discovery.next(); round.length > 0; round = discovery.next()) {
    headers.push(...round);
    for (const file of round) discovery.add({ file, includes: readIncludes(file) ?? [] });
  }
  return { headers, stats: discovery.stats() };
}

/**
 * One line for a run's summary: `412 includes unresolved (most: generated/autoconf.h 115,
 * asm/cpufeaturemasks.h 40, ...)`; empty when every include resolved and nothing was left out.
 */
export function describeUnresolved(stats: DiscoveryStats, shown = 3): string {
  const parts: string[] = [];
  if (stats.unresolvedCount > 0) {
    const most = stats.unresolved.slice(0, shown).map((u) => `${u.path} ${u.count}`);
    const more = stats.unresolved.length > shown ? ', ...' : '';
    parts.push(`${stats.unresolvedCount} include${stats.unresolvedCount === 1 ? '' : 's'} unresolved (most: ${most.join(', ')}${more})`);
  }
  if (stats.leftOut > 0) parts.push(`${stats.leftOut} header${stats.leftOut === 1 ? '' : 's'} left out past the limit of discovered headers`);
  return parts.join('; ');
}

function isHeaderName(path: string): boolean {
  return path.endsWith('.h');
}

/** The names listed as `kind += name.h` in a Kbuild file (none when it cannot be read). */
/** `ccflags-y += -I ...` and the like, continued lines joined. */
const CFLAGS_LINE = /^[ \t]*(?:subdir-ccflags-\S+|ccflags-\S+|EXTRA_CFLAGS)[ \t]*[:+?]?=(.*)$/gm;
/** `NOUVEAU_PATH ?= $(srctree)`: a variable the file sets to one value. */
const VARIABLE_LINE = /^[ \t]*([A-Za-z_][A-Za-z0-9_]*)[ \t]*[:?]?=[ \t]*(\S+)[ \t]*$/gm;

/**
 * The absolute folders a makefile adds with `-I`: `$(srctree)` is the tree's `root`, `$(src)`
 * and `$(obj)` the makefile's folder relative to it (`src`), and the file's own variables set to
 * one value are substituted once; a folder still naming a variable is skipped.
 */
function includeFlags(file: string, root: string, src: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  if (!text.includes('-I')) return [];
  text = text.replace(/\\\r?\n/g, ' ');
  const variables = new Map<string, string>([['srctree', root], ['src', src], ['obj', src], ['objtree', root]]);
  for (const m of text.matchAll(VARIABLE_LINE)) if (!variables.has(m[1]!)) variables.set(m[1]!, m[2]!);
  const expand = (s: string) => s.replace(/\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]/g, (all, name: string) => variables.get(name) ?? all);
  const out: string[] = [];
  for (const m of text.matchAll(CFLAGS_LINE)) {
    for (const flag of m[1]!.matchAll(/-I[ \t]*([^\s]+)/g)) {
      const path = expand(expand(flag[1]!));
      if (!path.includes('$')) out.push(resolve(root, path));
    }
  }
  return out;
}

function kbuildList(file: string, kind: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const names: string[] = [];
  const line = new RegExp(`^\\s*${kind}\\s*\\+=\\s*(.+)$`, 'gm');
  for (const m of text.matchAll(line)) for (const name of m[1]!.split(/\s+/)) if (name.endsWith('.h')) names.push(name);
  return names;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
