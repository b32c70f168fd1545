/**
 * Debian's Linux source (`apt-get install linux-source-6.1` ships the tarball at a fixed path),
 * extracted once into the repository's git-ignored `.cache/linux-6.1/` and reused by the benchmarks
 * and the robustness test. Only the parts asked for are extracted; the whole tree when `all`. Each
 * marker holds the tarball's size and time: a package updated since (another point release: 6.1.176
 * has 32,026 `.c` files where an earlier one had 32,005) is extracted again, not measured as the old.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const LINUX_TARBALL = '/usr/src/linux-source-6.1.tar.xz';
const TOP = 'linux-source-6.1';

export class MissingKernelSourceError extends Error {
  constructor(tarball: string) {
    super(`${tarball} is missing: install Debian's kernel source with \`apt-get install linux-source-6.1\``);
    this.name = 'MissingKernelSourceError';
  }
}

/**
 * The root of the extracted tree containing at least `parts` (top-level directories such as `mm`),
 * or everything for `'all'`. Extracts what is missing; throws MissingKernelSourceError without the
 * tarball.
 */
export function linuxSource(parts: string[] | 'all', repoRoot: string, tarball = LINUX_TARBALL): string {
  const cache = resolve(repoRoot, '.cache', 'linux-6.1');
  const tree = join(cache, TOP);
  const complete = join(cache, '.complete');
  const marker = (part: string) => join(cache, `.part-${part.replace(/\//g, '_')}`);
  // Without the tarball, what was extracted is what there is.
  const stamp = existsSync(tarball) ? stampOf(tarball) : undefined;
  const current = (path: string) => existsSync(path) && (stamp === undefined || readFileSync(path, 'utf8') === stamp);
  if (current(complete)) return tree;
  const wanted = parts === 'all' ? [] : parts.filter((p) => !current(marker(p)));
  if (parts !== 'all' && wanted.length === 0) return tree;
  if (stamp === undefined) throw new MissingKernelSourceError(tarball);

  // Extract beside the tree and move into place, so an interrupted run leaves no half directory
  // behind a marker.
  mkdirSync(cache, { recursive: true });
  const temp = mkdtempSync(join(cache, '.extract-'));
  try {
    const members = parts === 'all' ? [] : wanted.map((p) => `${TOP}/${p}`);
    process.stderr.write(`extracting ${parts === 'all' ? 'the whole tree' : wanted.join(', ')} from ${tarball} into ${cache} ...\n`);
    execFileSync('tar', ['-xJf', tarball, '-C', temp, ...members], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (parts === 'all') {
      rmSync(tree, { recursive: true, force: true });
      renameSync(join(temp, TOP), tree);
      writeFileSync(complete, stamp);
    } else {
      mkdirSync(tree, { recursive: true });
      for (const p of wanted) {
        rmSync(join(tree, p), { recursive: true, force: true });
        mkdirSync(join(tree, p, '..'), { recursive: true });
        renameSync(join(temp, TOP, p), join(tree, p));
        writeFileSync(marker(p), stamp);
      }
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return tree;
}

/** Which tarball a marker's extraction came from. */
function stampOf(tarball: string): string {
  const s = statSync(tarball);
  return `${s.size} ${Math.round(s.mtimeMs)}`;
}
