/** A file that breaks lowering, or kills its worker, costs that file only: it gets an InputError. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lowerPaths } from '../../server/src/host/batch';
import { buildWorkerBundle } from './worker-bundle';

// In this test file (the main thread), lowering a file named *throw* throws.
vi.mock('../../server/src/engine/lower/index', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../server/src/engine/lower/index')>();
  return {
    ...real,
    lowerFile: (tree: Parameters<typeof real.lowerFile>[0], file: string) => {
      if (file.includes('throw')) throw new Error('lowering exploded');
      return real.lowerFile(tree, file);
    },
  };
});

let root: string;
let faultyWorker: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kpath-faults-'));
  for (const name of ['a.c', 'b-throw.c', 'c-crash.c', 'd.c', 'e.c']) writeFileSync(join(root, name), `int ${name[0]}(void) { return 0; }\n`);
  faultyWorker = await buildWorkerBundle(resolve(__dirname, 'fixtures/crashing-lower.ts'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(dirname(faultyWorker), { recursive: true, force: true });
});

describe('faults while lowering', () => {
  it('in-process: an exception becomes an InputError for that file and the run continues', async () => {
    const r = await lowerPaths([join(root, 'a.c'), join(root, 'b-throw.c'), join(root, 'd.c')], { workers: 1 });
    expect(r.irs.map((ir) => ir.file)).toEqual([join(root, 'a.c'), join(root, 'd.c')]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0].file).toBe(join(root, 'b-throw.c'));
    expect(r.errors[0].message).toMatch(/^internal error while lowering: lowering exploded \(at /);
  });

  it('in workers: an exception and a dead worker each cost one file; a new worker takes over', async () => {
    const r = await lowerPaths([root], { workers: 2, workerScript: faultyWorker });
    expect(r.irs.map((ir) => ir.file)).toEqual(['a.c', 'd.c', 'e.c'].map((f) => join(root, f)));
    expect(r.errors.map((e) => e.file)).toEqual([join(root, 'b-throw.c'), join(root, 'c-crash.c')]);
    expect(r.errors[0].message).toMatch(/^internal error while lowering: lowering exploded/);
    expect(r.errors[1].message).toBe('worker crashed on this file: the worker thread exited with code 3');
    expect(r.stats).toMatchObject({ files: 5, parsed: 3, errors: 2 });
  });

  it('fails the run, instead of hanging, when workers cannot start', async () => {
    const broken = join(root, 'broken-worker.js');
    writeFileSync(broken, "throw new Error('no such runtime');\n");
    await expect(lowerPaths([root], { workers: 2, workerScript: broken })).rejects.toThrow('kpath: worker threads fail to start: no such runtime');
  });
});
