import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../server/src/engine/index';
import { type CheckResult, checkPaths } from '../../server/src/host/analysis';

/**
 * A run after an edit starts from the program the last run saved: each step below edits the tree,
 * and the resumed run must give what a run from nothing gives, while analysing only what the edit
 * reaches.
 */
const FILES: Record<string, string> = {
  'Makefile': '',
  'include/linux/foo.h': `static inline void foo_wait(struct foo *f)
{
	msleep(1);
}

static inline void foo_idle(struct foo *f)
{
	schedule();
}

static inline void foo_grab(struct foo *f)
{
	spin_lock(&f->lock);
}
`,
  'include/linux/quiet.h': `static inline void quiet_wait(void)
{
	msleep(2);
}
`,
  'drivers/foo/main.c': `#include <linux/foo.h>

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
  'drivers/foo/alloc.c': `void foo_alloc(struct foo *f)
{
	f->buf = kmalloc(64, GFP_KERNEL);
}
`,
  'drivers/foo/timer.c': `static void foo_tick(struct timer_list *t)
{
	foo_helper();
}

void foo_start(struct foo *f)
{
	timer_setup(&f->timer, foo_tick, 0);
}
`,
  'drivers/foo/helper.c': `void foo_helper(void)
{
}
`,
};

let root: string;
let cwd: string;
const cacheDir = () => join(root, '.cache');

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kpath-resume-'));
  for (const [path, text] of Object.entries(FILES)) write(path, text);
  cwd = process.cwd();
  process.chdir(root);
});

afterAll(() => {
  process.chdir(cwd);
  rmSync(root, { recursive: true, force: true });
});

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** What a report shows, all of it: findings with their paths and fixes, files, headers, errors. */
const shown = (r: CheckResult) => ({ findings: r.findings, errors: r.errors, headerErrors: r.headerErrors, files: r.files, headers: r.headers, includeNote: r.includeNote });
const lines = (r: CheckResult) => r.findings.map((f) => `${f.file}:${f.line} ${f.function}: ${f.message}`);

/** Checks `drivers` with the cache, the run cache's record removed (so that the saved program is used), and from nothing. */
async function resumedAndFresh(): Promise<{ resumed: CheckResult; fresh: CheckResult }> {
  rmSync(join(cacheDir(), 'runs'), { recursive: true, force: true });
  const resumed = await checkPaths(['drivers'], DEFAULT_CONFIG, { workers: 1, cacheDir: cacheDir() });
  const fresh = await checkPaths(['drivers'], DEFAULT_CONFIG, { workers: 1 });
  expect(shown(resumed)).toEqual(shown(fresh));
  return { resumed, fresh };
}

describe('a run resumed from the saved program', () => {
  it('finds what a run from nothing finds after each edit, and analyses only what the edit reaches', async () => {
    const first = await checkPaths(['drivers'], DEFAULT_CONFIG, { workers: 1, cacheDir: cacheDir() });
    expect(first.analysis?.resumed).toBeUndefined();
    expect(readdirSync(join(cacheDir(), 'programs'))).toHaveLength(1);
    expect(lines(first)).toEqual([
      "drivers/foo/alloc.c:3 foo_alloc: kmalloc() may sleep (GFP_KERNEL allocation) while 'f->lock' is held (taken by caller foo_other at drivers/foo/main.c:12)",
      "include/linux/foo.h:3 foo_wait: msleep() may sleep (sleeps until a timeout) while 'f->lock' is held (taken by caller foo_poll at drivers/foo/main.c:5)",
    ]);

    // Nothing changed: nothing is analysed again.
    let { resumed } = await resumedAndFresh();
    expect(resumed.analysis?.resumed).toMatchObject({ files: 4, headers: 1 });
    expect(resumed.analysis?.program.summaries).toBe(0);

    // An allocation that no longer sleeps: its function and the caller its summary reaches.
    write('drivers/foo/alloc.c', FILES['drivers/foo/alloc.c']!.replace('GFP_KERNEL', 'GFP_ATOMIC'));
    ({ resumed } = await resumedAndFresh());
    expect(lines(resumed)).toEqual(["include/linux/foo.h:3 foo_wait: msleep() may sleep (sleeps until a timeout) while 'f->lock' is held (taken by caller foo_poll at drivers/foo/main.c:5)"]);
    expect(resumed.analysis?.resumed).toMatchObject({ files: 3, headers: 1 });
    expect(resumed.analysis?.program.summaries).toBe(2);

    // Another function in the allocation's file: the allocation keeps the context its caller hands it.
    write('drivers/foo/alloc.c', FILES['drivers/foo/alloc.c']!.replace('GFP_KERNEL', 'GFP_NOIO') + '\nvoid foo_free(struct foo *f)\n{\n\tkfree(f->buf);\n}\n');
    ({ resumed } = await resumedAndFresh());
    expect(resumed.analysis?.program.summaries).toBe(3);
    write('drivers/foo/alloc.c', FILES['drivers/foo/alloc.c']!.replace('GFP_KERNEL', 'GFP_NOIO') + '\nvoid foo_free(struct foo *f)\n{\n}\n');
    ({ resumed } = await resumedAndFresh());
    expect(resumed.analysis?.program.summaries).toBe(2);
    expect(lines(resumed)[0]).toBe("drivers/foo/alloc.c:3 foo_alloc: kmalloc() may sleep (GFP_NOIO allocation) while 'f->lock' is held (taken by caller foo_other at drivers/foo/main.c:12)");

    // A header's helper nothing called until now.
    write('drivers/foo/idle.c', '#include <linux/foo.h>\n\nvoid foo_rest(struct foo *f)\n{\n\tmutex_lock(&f->m);\n\tfoo_idle(f);\n\tmutex_unlock(&f->m);\n}\n');
    ({ resumed } = await resumedAndFresh());
    write('drivers/foo/idle.c', '#include <linux/foo.h>\n\nvoid foo_rest(struct foo *f)\n{\n\tspin_lock(&f->lock);\n\tfoo_idle(f);\n\tspin_unlock(&f->lock);\n}\n');
    ({ resumed } = await resumedAndFresh());
    expect(lines(resumed)).toContain("include/linux/foo.h:8 foo_idle: schedule() may sleep (schedules) while 'f->lock' is held (taken by caller foo_rest at drivers/foo/idle.c:5)");
    // ... and one that takes a lock: its summary, never computed until now, says so.
    write('drivers/foo/idle.c', '#include <linux/foo.h>\n\nvoid foo_rest(struct foo *f)\n{\n\tfoo_grab(f);\n\tmsleep(1);\n\tspin_unlock(&f->lock);\n}\n');
    ({ resumed } = await resumedAndFresh());
    expect(lines(resumed)).toContain("drivers/foo/idle.c:6 foo_rest: msleep() may sleep (sleeps until a timeout) while 'f->lock' is held (taken by foo_grab() called at drivers/foo/idle.c:5)");
    rmSync(join(root, 'drivers/foo/idle.c'));

    // A callee of a timer callback starts to sleep: the context the registration gave is still there.
    write('drivers/foo/helper.c', 'void foo_helper(void)\n{\n\tmsleep(3);\n}\n');
    ({ resumed } = await resumedAndFresh());
    expect(lines(resumed)).toContain('drivers/foo/helper.c:3 foo_helper: msleep() may sleep (sleeps until a timeout) while in a timer callback (registered as a timer callback by timer_setup() in foo_start() at drivers/foo/timer.c:8)');

    // A new file including a header nothing included yet; then the file goes, and the header with it.
    write('drivers/foo/extra.c', '#include <linux/quiet.h>\n\nvoid foo_extra(spinlock_t *l)\n{\n\tspin_lock(l);\n\tquiet_wait();\n\tspin_unlock(l);\n}\n');
    ({ resumed } = await resumedAndFresh());
    expect(resumed.headers).toEqual(['include/linux/foo.h', 'include/linux/quiet.h']);
    expect(lines(resumed)).toContain("include/linux/quiet.h:3 quiet_wait: msleep() may sleep (sleeps until a timeout) while 'l' is held (taken by caller foo_extra at drivers/foo/extra.c:5)");
    rmSync(join(root, 'drivers/foo/extra.c'));
    ({ resumed } = await resumedAndFresh());
    expect(resumed.headers).toEqual(['include/linux/foo.h']);

    // A header's helper no longer sleeps.
    write('include/linux/foo.h', FILES['include/linux/foo.h']!.replace('msleep(1);', 'udelay(1);'));
    ({ resumed } = await resumedAndFresh());
    expect(lines(resumed).some((l) => l.includes('foo_wait'))).toBe(false);

    // A file that can no longer be read as C leaves the program and is reported.
    writeFileSync(join(root, 'drivers/foo/helper.c'), Buffer.from([0, 1, 2, 0xff]));
    ({ resumed } = await resumedAndFresh());
    expect(resumed.errors.map((e) => e.file)).toEqual(['drivers/foo/helper.c']);
    expect(lines(resumed).some((l) => l.includes('foo_helper'))).toBe(false);
  });

  it('leaves the saving to the caller when asked (the CLI saves after printing its report)', async () => {
    const dir = join(root, '.cache-later');
    const r = await checkPaths(['drivers'], DEFAULT_CONFIG, { workers: 1, cacheDir: dir, saveLater: true });
    expect(existsSync(join(dir, 'programs'))).toBe(false);
    expect(r.saveProgram?.()).toBe(true);
    expect(readdirSync(join(dir, 'programs'))).toHaveLength(1);
    rmSync(dir, { recursive: true, force: true });
  });

  it('analyses anew when the saved program cannot be read', async () => {
    const dir = join(cacheDir(), 'programs');
    for (const name of readdirSync(dir)) writeFileSync(join(dir, name), '{"key": "not this run"}\n');
    const { resumed } = await resumedAndFresh();
    expect(resumed.analysis?.resumed).toBeUndefined();
    // What it was built from intact, its items cut short: restoring fails half-way.
    cutAfterInputs(dir, (items) => items.slice(0, 5));
    const again = await resumedAndFresh();
    expect(again.resumed.analysis?.resumed).toBeUndefined();
  });

  it('analyses anew when what the program was built from is damaged or in the older format', async () => {
    const dir = join(cacheDir(), 'programs');
    const [name] = readdirSync(dir);
    const text = readFileSync(join(dir, name!), 'utf8');
    const [head, ...rest] = text.split('\n');
    const { key, files, headers } = JSON.parse(head!) as { key: string; files: number; headers: number };
    expect(files + headers).toBeGreaterThan(1);
    // An input whose includes are not packed includes.
    const inputs = rest.slice(0, files + headers).map((l) => JSON.parse(l) as [string, string, string]);
    const damaged = inputs.map(([f, e, inc], i) => JSON.stringify([f, e, i === 0 ? 'linux/foo.h\n' : inc]));
    writeFileSync(join(dir, name!), [head, ...damaged, ...rest.slice(files + headers)].join('\n'));
    expect((await resumedAndFresh()).resumed.analysis?.resumed).toBeUndefined();
    // Fewer inputs than the first line counts.
    writeFileSync(join(dir, name!), [head, ...rest.slice(0, files - 1)].join('\n') + '\n');
    expect((await resumedAndFresh()).resumed.analysis?.resumed).toBeUndefined();
    // The format before: everything it was built from in the first line.
    writeFileSync(join(dir, name!), [JSON.stringify({ key, files: inputs.slice(0, files), headers: inputs.slice(files) }), ...rest.slice(files + headers)].join('\n'));
    expect((await resumedAndFresh()).resumed.analysis?.resumed).toBeUndefined();
  });
});

/** Rewrites each saved program in `dir` keeping its first line and inputs, and `edit` of the rest. */
function cutAfterInputs(dir: string, edit: (items: string) => string): void {
  for (const name of readdirSync(dir)) {
    const text = readFileSync(join(dir, name), 'utf8');
    const { files, headers } = JSON.parse(text.slice(0, text.indexOf('\n'))) as { files: number; headers: number };
    let at = 0;
    for (let line = 0; line < 1 + files + headers; line++) at = text.indexOf('\n', at) + 1;
    writeFileSync(join(dir, name), text.slice(0, at) + edit(text.slice(at)));
  }
}
