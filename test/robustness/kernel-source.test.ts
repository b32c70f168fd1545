import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MissingKernelSourceError, linuxSource } from '../../bench/kernel-source';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kpath-linux-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function fakeTarball(b = 'int b;\n'): string {
  const src = join(root, 'src');
  rmSync(src, { recursive: true, force: true });
  for (const [rel, text] of [['mm/a.c', 'int a;\n'], ['mm/sub/b.c', b], ['kernel/k.c', 'int k;\n']]) {
    mkdirSync(join(src, 'linux-source-6.1', rel, '..'), { recursive: true });
    writeFileSync(join(src, 'linux-source-6.1', rel), text);
  }
  const tarball = join(root, 'linux.tar.xz');
  rmSync(tarball, { force: true });
  execFileSync('tar', ['-cJf', tarball, '-C', src, 'linux-source-6.1']);
  return tarball;
}

describe('linuxSource', () => {
  it('fails with the package to install when the tarball is missing', () => {
    const missing = join(root, 'none.tar.xz');
    expect(() => linuxSource(['mm'], join(root, 'repo'), missing)).toThrow(MissingKernelSourceError);
    expect(() => linuxSource(['mm'], join(root, 'repo'), missing)).toThrow(`${missing} is missing: install Debian's kernel source with \`apt-get install linux-source-6.1\``);
  });

  it('extracts only the parts asked for into .cache/linux-6.1, once', () => {
    const tarball = fakeTarball();
    const repo = join(root, 'repo');
    const tree = linuxSource(['mm'], repo, tarball);
    expect(tree).toBe(join(repo, '.cache', 'linux-6.1', 'linux-source-6.1'));
    expect(readdirSync(tree)).toEqual(['mm']);
    expect(readFileSync(join(tree, 'mm', 'sub', 'b.c'), 'utf8')).toBe('int b;\n');
    rmSync(tarball);
    expect(linuxSource(['mm'], repo, tarball)).toBe(tree); // marked as done: no tarball needed again
    expect(readdirSync(join(repo, '.cache', 'linux-6.1')).sort()).toEqual(['.part-mm', 'linux-source-6.1']);
  });

  it('extracts the whole tree for all', () => {
    const tarball = fakeTarball();
    const repo = join(root, 'repo');
    const tree = linuxSource('all', repo, tarball);
    expect(readdirSync(tree).sort()).toEqual(['kernel', 'mm']);
    expect(existsSync(join(repo, '.cache', 'linux-6.1', '.complete'))).toBe(true);
  });

  it('extracts again from a package updated since, parts and whole tree alike', () => {
    const repo = join(root, 'repo');
    const stale = (tarball: string) => utimesSync(tarball, new Date(2030, 0, 1), new Date(2030, 0, 1));
    let tarball = fakeTarball();
    const tree = linuxSource(['mm'], repo, tarball);
    tarball = fakeTarball('int b, c;\n');
    stale(tarball);
    expect(linuxSource(['mm'], repo, tarball)).toBe(tree);
    expect(readFileSync(join(tree, 'mm', 'sub', 'b.c'), 'utf8')).toBe('int b, c;\n');
    linuxSource('all', repo, tarball);
    tarball = fakeTarball('int b, c, d;\n');
    expect(linuxSource('all', repo, tarball)).toBe(tree);
    expect(readFileSync(join(tree, 'mm', 'sub', 'b.c'), 'utf8')).toBe('int b, c, d;\n');
    expect(readdirSync(tree).sort()).toEqual(['kernel', 'mm']);
  });
});
