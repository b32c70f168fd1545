import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FileIR } from '../../server/src/engine/ir';
import { lowerPaths } from '../../server/src/host/batch';
import { IRCache } from '../../server/src/host/cache';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kpath-cache-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const ir = (file: string): FileIR => ({ file, functions: [], comments: [{ text: '/* x */', span: { line: 1, column: 1, endLine: 1, endColumn: 8 } }], functionRefs: [], includes: [], syntaxErrors: 2 });
const bytes = (s: string) => new TextEncoder().encode(s);

describe('IRCache', () => {
  it('stores an entry under DIR/<first two hex digits>/<key>.json and returns it under the caller\'s path', () => {
    const cache = new IRCache(join(root, 'c'));
    const key = cache.keyOf(bytes('int x;'));
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(cache.get(key, 'a.c')).toBeUndefined();
    expect(cache.put(key, ir('a.c'))).toBe(true);
    expect(existsSync(join(root, 'c', key.slice(0, 2), `${key}.json`))).toBe(true);
    expect(readdirSync(join(root, 'c', key.slice(0, 2)))).toEqual([`${key}.json`]); // no temporary left
    expect(cache.get(key, 'elsewhere/b.c')).toEqual(ir('elsewhere/b.c'));
  });

  it('keys on the content and on the version salt', () => {
    const a = new IRCache(root, 'v1');
    expect(a.keyOf(bytes('int x;'))).toBe(a.keyOf(bytes('int x;')));
    expect(a.keyOf(bytes('int x;'))).not.toBe(a.keyOf(bytes('int y;')));
    expect(new IRCache(root, 'v2').keyOf(bytes('int x;'))).not.toBe(a.keyOf(bytes('int x;')));
    expect(new IRCache(root).keyOf(bytes('int x;'))).toBe(new IRCache(join(root, 'other')).keyOf(bytes('int x;')));
  });

  it('treats unreadable, truncated, foreign and misfiled entries as missing', () => {
    const cache = new IRCache(root);
    const key = cache.keyOf(bytes('int x;'));
    mkdirSync(join(root, key.slice(0, 2)), { recursive: true });
    const entry = cache.pathOf(key);
    for (const junk of ['', '{"key":', 'null', '{"key":"' + key + '","ir":{"functions":[]}}', JSON.stringify({ key: 'f'.repeat(64), ir: ir('a.c') })]) {
      writeFileSync(entry, junk);
      expect(cache.get(key, 'a.c')).toBeUndefined();
    }
    cache.put(key, ir('a.c'));
    expect(cache.get(key, 'a.c')).toEqual(ir('a.c'));
  });

  it('reports a failed write instead of throwing', () => {
    writeFileSync(join(root, 'file'), '');
    const cache = new IRCache(join(root, 'file')); // a file where the directory should be
    expect(cache.put(cache.keyOf(bytes('x')), ir('a.c'))).toBe(false);
  });
});

describe('lowerPaths with a cache', () => {
  const source = (name: string, text: string) => {
    writeFileSync(join(root, name), text);
    return join(root, name);
  };

  it('parses on a cold run, parses nothing on a warm run, and gives the same IR', async () => {
    const files = [source('a.c', 'int f(void) { spin_lock(&l); return g(); }\n'), source('b.c', 'void h(int *p) { *p = 1; }\n')];
    const cacheDir = join(root, 'cache');
    const uncached = await lowerPaths(files, { workers: 1 });
    const cold = await lowerPaths(files, { workers: 1, cacheDir });
    const warm = await lowerPaths(files, { workers: 1, cacheDir });
    expect([cold.stats.parsed, cold.stats.cacheHits]).toEqual([2, 0]);
    expect([warm.stats.parsed, warm.stats.cacheHits]).toEqual([0, 2]);
    expect(cold.irs).toEqual(uncached.irs);
    expect(warm.irs).toEqual(uncached.irs);
  });

  it('re-lowers a changed file only, and shares entries between files with equal content', async () => {
    const cacheDir = join(root, 'cache');
    const a = source('a.c', 'int f(void) { return 1; }\n');
    const b = source('b.c', 'int g(void) { return 2; }\n');
    await lowerPaths([a, b], { workers: 1, cacheDir });
    source('b.c', 'int g(void) { return 3; }\n');
    const copy = source('copy-of-a.c', readFileSync(a, 'utf8'));
    const r = await lowerPaths([a, b, copy], { workers: 1, cacheDir });
    expect([r.stats.parsed, r.stats.cacheHits]).toEqual([1, 2]);
    expect(r.irs.map((x) => x.file)).toEqual([a, b, copy]);
    expect(r.irs[2].functions[0].name).toBe('f');
  });

  it('ignores a corrupt entry, lowers the file again and rewrites the entry', async () => {
    const cacheDir = join(root, 'cache');
    const a = source('a.c', 'int f(void) { return 1; }\n');
    const first = await lowerPaths([a], { workers: 1, cacheDir });
    const cache = new IRCache(cacheDir);
    const entry = cache.pathOf(cache.keyOf(readFileSync(a)));
    writeFileSync(entry, '{"key": "trunc');
    const second = await lowerPaths([a], { workers: 1, cacheDir });
    expect([second.stats.parsed, second.stats.cacheHits, second.errors.length]).toEqual([1, 0, 0]);
    expect(second.irs).toEqual(first.irs);
    const third = await lowerPaths([a], { workers: 1, cacheDir });
    expect([third.stats.parsed, third.stats.cacheHits]).toEqual([0, 1]);
  });
});
