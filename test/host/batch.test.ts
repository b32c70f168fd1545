import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lowerPaths, parsePaths } from '../../server/src/host/batch';
import { PathNotFoundError } from '../../server/src/host/sources';
import { buildWorkerBundle } from './worker-bundle';

let root: string;
let workerScript: string;

const A = `static DEFINE_SPINLOCK(lock);

int f(struct mm_struct *mm)
{
	spin_lock(&mm->page_table_lock);
	if (!mm)
		goto out;
	kmalloc(10, GFP_KERNEL);
out:
	spin_unlock(&mm->page_table_lock);
	return 0;
}
`;
const B = `void g(struct list_head *head)
{
	struct item *p;

	list_for_each_entry(p, head, node) {
		if (p->x)
			break;
		h(p);
	}
}

static void __init broken(void __iomem *base)
{
	writel(1, base +);
}
`;
const C = `static int k(int x) { return x ? k(x - 1) : 0; }\n`;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kpath-batch-'));
  const write = (rel: string, content: string | Uint8Array) => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), content);
  };
  write('dir/b.c', B);
  write('dir/a.c', A);
  write('dir/sub/c.c', C);
  write('dir/bin.c', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0x00]));
  write('dir/latin1.c', new Uint8Array([...Buffer.from('/* caf'), 0xe9, ...Buffer.from(' */\n')]));
  write('dir/big.c', `/* ${'x'.repeat(2000)} */\n`);
  workerScript = await buildWorkerBundle();
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(dirname(workerScript), { recursive: true, force: true });
});

const dir = () => join(root, 'dir');
const file = (rel: string) => join(root, 'dir', rel);

describe('lowerPaths', () => {
  it('lowers every file in path order and reports each bad file with its reason', async () => {
    const progress: [number, number][] = [];
    const r = await lowerPaths([dir()], { workers: 1, maxFileBytes: 1000, onProgress: (d, t) => progress.push([d, t]) });
    expect(r.irs.map((ir) => ir.file)).toEqual([file('a.c'), file('b.c'), file('sub/c.c')]);
    expect(r.irs.map((ir) => ir.functions.map((f) => f.name))).toEqual([['f'], ['g', 'broken'], ['k']]);
    expect(r.irs[1].syntaxErrors).toBeGreaterThan(0);
    expect(r.errors).toEqual([
      { file: file('big.c'), message: 'file too large (2007 bytes; the limit is 1000 bytes)' },
      { file: file('bin.c'), message: 'binary file (NUL byte at offset 4)' },
      { file: file('latin1.c'), message: 'not valid UTF-8 text (invalid byte at line 1, offset 6)' },
    ]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6].map((d) => [d, 6]));
    expect(r.stats).toMatchObject({ files: 6, parsed: 3, cacheHits: 0, errors: 3, workers: 1, bytes: A.length + B.length + C.length });
    expect(r.stats.slowest).toHaveLength(6);
  });

  it('gives the same IR and errors with 2 workers as in-process', async () => {
    const one = await lowerPaths([dir()], { workers: 1, maxFileBytes: 1000 });
    const two = await lowerPaths([dir()], { workers: 2, maxFileBytes: 1000, workerScript });
    expect(two.stats.workers).toBe(2);
    expect(two.irs).toEqual(one.irs);
    expect(two.errors).toEqual(one.errors);
    expect(JSON.stringify(two.irs)).toBe(JSON.stringify(one.irs));
  });

  it('uses no more workers than there are files', async () => {
    const r = await lowerPaths([file('a.c')], { workers: 4, workerScript });
    expect(r.stats.workers).toBe(1);
    expect(r.irs.map((ir) => ir.file)).toEqual([file('a.c')]);
  });

  it('parses a lone file in a worker thread when given workers, never in this one', async () => {
    // A worker script that does not exist: only a run that gives the one file to a worker
    // fails on it (in this thread the file would be lowered).
    const r = await lowerPaths([file('a.c')], { workers: 2, workerScript: join(root, 'no-such-worker.js') });
    expect(r.irs).toEqual([]);
    expect(r.errors.map((e) => e.message)).toEqual([expect.stringMatching(/^worker crashed on this file: Cannot find module/)]);
  });

  it('throws PathNotFoundError for a missing PATH before doing any work', async () => {
    await expect(lowerPaths([dir(), join(root, 'missing')], { workers: 1 })).rejects.toBeInstanceOf(PathNotFoundError);
  });

  it('honours ignore globs', async () => {
    const r = await lowerPaths([dir()], { workers: 1, ignore: ['sub'], ignoreRoot: dir(), maxFileBytes: 1000 });
    expect(r.irs.map((ir) => ir.file)).toEqual([file('a.c'), file('b.c')]);
    expect(r.stats.ignored).toBe(1);
  });
});

describe('parsePaths', () => {
  it('parses without lowering, with the same errors, in-process and in workers', async () => {
    const one = await parsePaths([dir()], { workers: 1, maxFileBytes: 1000 });
    const two = await parsePaths([dir()], { workers: 2, maxFileBytes: 1000, workerScript });
    expect(one.stats).toMatchObject({ files: 6, parsed: 3, errors: 3, lowerMs: 0, syntaxErrors: 0 });
    expect(two.stats).toMatchObject({ files: 6, parsed: 3, errors: 3, lowerMs: 0 });
    expect(two.errors).toEqual(one.errors);
  });
});
