import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../server/src/engine/index';
import { analysePaths, checkPaths } from '../../server/src/host/analysis';
import { buildWorkerBundle } from './worker-bundle';

/**
 * A small kernel tree: a .c file that takes a lock and calls a header's inline helper, which sleeps;
 * another that calls across files. The same findings whether bodies stay in memory or on disk.
 */
const FILES: Record<string, string> = {
  'Makefile': '',
  'include/linux/foo.h': `#include <linux/bar.h>

static inline void foo_wait(struct foo *f)
{
	msleep(1);
}
`,
  'include/linux/bar.h': `static inline void bar_nothing(void)
{
}
`,
  'drivers/foo/main.c': `#include <linux/foo.h>
#include "local.h"

void foo_poll(struct foo *f)
{
	spin_lock(&f->lock);
	foo_wait(f);
	spin_unlock(&f->lock);
}

void foo_other(struct foo *f)
{
	spin_lock(&f->lock);
	foo_alloc(f);
	spin_unlock(&f->lock);
}
`,
  'drivers/foo/local.h': '#include <linux/missing.h>\n',
  'drivers/foo/alloc.c': `void foo_alloc(struct foo *f)
{
	f->buf = kmalloc(64, GFP_KERNEL);
}
`,
};

let root: string;
let workerScript: string;
let cwd: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kpath-analysis-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  mkdirSync(join(root, 'include', 'linux'), { recursive: true });
  workerScript = await buildWorkerBundle();
  cwd = process.cwd();
  process.chdir(root);
});

afterAll(() => {
  process.chdir(cwd);
  rmSync(root, { recursive: true, force: true });
});

const brief = (a: Awaited<ReturnType<typeof analysePaths>>) =>
  a.program.check(a.files, { orThrough: true }).map((f) => `${f.file}:${f.line} ${f.rule} ${f.function}`);

describe('analysePaths', () => {
  it('follows includes to the header whose inline helper sleeps, and reports it through the .c file', async () => {
    const a = await analysePaths(['drivers'], DEFAULT_CONFIG, { workers: 1, bodies: 'memory' });
    try {
      expect(a.files).toEqual(['drivers/foo/alloc.c', 'drivers/foo/main.c']);
      expect(a.headers).toEqual(['drivers/foo/local.h', 'include/linux/bar.h', 'include/linux/foo.h']);
      expect(a.includes?.unresolved.map((u) => `${u.path} ${u.count}`)).toEqual(['linux/missing.h 1']);
      expect(brief(a)).toEqual(['drivers/foo/alloc.c:3 sleep-in-atomic foo_alloc', 'include/linux/foo.h:5 sleep-in-atomic foo_wait']);
      // Located in the header: only through the .c file that holds the lock.
      expect(a.program.check(a.files).map((f) => f.file)).toEqual(['drivers/foo/alloc.c']);
      expect(a.bodies).toBe('memory');
    } finally {
      a.close();
    }
  });

  it('without includes, the header is unseen and the call to it is not followed', async () => {
    const a = await analysePaths(['drivers'], DEFAULT_CONFIG, { workers: 1, includes: { follow: false } });
    try {
      expect(a.headers).toEqual([]);
      expect(brief(a)).toEqual(['drivers/foo/alloc.c:3 sleep-in-atomic foo_alloc']);
    } finally {
      a.close();
    }
  });

  it('keeps bodies on disk with workers and finds the same, loading each function back when explored', async () => {
    const tmpBefore = readdirSync(tmpdir()).filter((d) => d.startsWith('kpath-bodies-')).length;
    const a = await analysePaths(['drivers'], DEFAULT_CONFIG, { workers: 2, workerScript, bodies: 'disk' });
    // The bodies' file is unlinked while open: nothing is left behind, even by a run that is killed.
    const during = readdirSync(tmpdir()).filter((d) => d.startsWith('kpath-bodies-')).length;
    try {
      expect(a.bodies).toBe('disk');
      expect(during).toBe(tmpBefore);
      expect(brief(a)).toEqual(['drivers/foo/alloc.c:3 sleep-in-atomic foo_alloc', 'include/linux/foo.h:5 sleep-in-atomic foo_wait']);
      // Four functions are summarised, each read back once; foo_wait and foo_alloc are read again to
      // run in the contexts foo_poll and foo_other hand them. bar.h's helper is called by nobody: it is
      // never analysed, never read.
      expect(a.program.stats.loads).toBe(6);
    } finally {
      a.close();
    }
    expect(readdirSync(tmpdir()).filter((d) => d.startsWith('kpath-bodies-')).length).toBe(tmpBefore);
  });

  it('keeps bodies on disk beside an IR cache, and leaves the cache in place', async () => {
    const cacheDir = join(root, '.cache-dir');
    const a = await analysePaths(['drivers'], DEFAULT_CONFIG, { workers: 1, cacheDir, bodies: 'disk' });
    a.close();
    expect(brief(a)).toEqual(['drivers/foo/alloc.c:3 sleep-in-atomic foo_alloc', 'include/linux/foo.h:5 sleep-in-atomic foo_wait']);
    expect(a.stats.files).toBe(2);
    expect(existsSync(cacheDir)).toBe(true);
    rmSync(cacheDir, { recursive: true, force: true });
  });

  it('serves an unchanged run from the run cache, and runs again when a file, a header or the file list changes', async () => {
    const cacheDir = join(root, '.cache-runs');
    const findings = async () => {
      const r = await checkPaths(['drivers'], DEFAULT_CONFIG, { workers: 1, cacheDir });
      return [r.reused, ...r.findings.map((f) => `${f.file}:${f.line} ${f.function}`)];
    };
    const both = ['drivers/foo/alloc.c:3 foo_alloc', 'include/linux/foo.h:5 foo_wait'];
    expect(await findings()).toEqual([false, ...both]);
    expect(await findings()).toEqual([true, ...both]);
    // Another build of kpath (the same version, rebuilt) is another run.
    const rebuilt = await checkPaths(['drivers'], DEFAULT_CONFIG, { workers: 1, cacheDir, engineId: 'another build' });
    expect(rebuilt.reused).toBe(false);
    // Another configuration is another run.
    const quiet = await checkPaths(['drivers'], { ...DEFAULT_CONFIG, severity: { ...DEFAULT_CONFIG.severity, 'sleep-in-atomic': 'off' } }, { workers: 1, cacheDir });
    expect([quiet.reused, quiet.findings.length]).toEqual([false, 0]);
    // A header's bytes change: its helper no longer sleeps.
    writeFileSync(join(root, 'include/linux/foo.h'), FILES['include/linux/foo.h']!.replace('msleep(1);', 'udelay(1);'));
    expect(await findings()).toEqual([false, 'drivers/foo/alloc.c:3 foo_alloc']);
    expect(await findings()).toEqual([true, 'drivers/foo/alloc.c:3 foo_alloc']);
    writeFileSync(join(root, 'include/linux/foo.h'), FILES['include/linux/foo.h']!);
    // A new file under the PATH.
    writeFileSync(join(root, 'drivers/foo/extra.c'), 'void foo_extra(void)\n{\n}\n');
    expect(await findings()).toEqual([false, ...both]);
    rmSync(join(root, 'drivers/foo/extra.c'));
    rmSync(cacheDir, { recursive: true, force: true });
  });
});
