/**
 * Following #include to headers (host/includes.ts) over a small fake kernel tree: kbuild's include
 * roots in order, quoted includes next to the includer, includes under #ifdef, a cycle, asm-generic
 * wrappers, the configuration's extra directories, and the unresolved ones counted by path.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Include } from '../../server/src/engine/ir';
import { lowerFile } from '../../server/src/engine/lower';
import type { CParser } from '../../server/src/engine/syntax/parser';
import { describeUnresolved, discoverHeaders, HeaderDiscovery } from '../../server/src/host/includes';
import { getParser } from '../lower/helpers';

let root: string;
let parser: CParser;

const FILES: Record<string, string> = {
  'linux/Makefile': '# the tree root\n',
  'linux/include/linux/x.h': '#include <linux/cycle_a.h>\nstatic inline int x(void) { return 1; }\n',
  'linux/include/linux/cycle_a.h': '#include "cycle_b.h"\n',
  'linux/include/linux/cycle_b.h': '#include <linux/cycle_a.h>\n#include <linux/x.h>\n',
  'linux/include/linux/only_if.h': 'static inline void only(void) { }\n',
  'linux/include/linux/twice.h': '/* found second: arch/x86/include comes first */\n',
  'linux/arch/x86/include/linux/twice.h': '/* the arch copy */\n',
  'linux/arch/x86/include/asm/y.h': '#include <generated/autoconf.h>\n',
  'linux/arch/x86/include/asm/Kbuild': 'generated-y += syscalls_64.h\ngeneric-y += wrapped.h\n',
  'linux/arch/arm64/include/asm/y.h': '/* arm64 */\n',
  'linux/include/asm-generic/wrapped.h': '/* the build wraps it as asm/wrapped.h */\n',
  'linux/include/uapi/linux/types.h': '/* uapi, after include/ */\n',
  'linux/mm/local.h': '#include "linux/x.h"\n',
  'linux/mm/a.c': `#include <linux/x.h>
#include <asm/y.h>
#include "local.h"
#ifdef CONFIG_Z
#include <linux/only_if.h>
#endif
#include <generated/autoconf.h>
#include <asm/wrapped.h>
#include <asm/syscalls_64.h>
#include <linux/twice.h>
#include <linux/types.h>
#include "table.c"
#include <extra.h>
`,
  'linux/mm/b.c': '#include "local.h"\n#include <generated/autoconf.h>\n#include <linux/x.h>\n',
  'extra/extra.h': '/* found through the configuration\'s paths */\n',
  // a driver whose Kbuild adds its own include folders (nouveau's shape)
  'linux/drivers/gpu/foo/Kbuild':
    'FOO_PATH ?= $(srctree)\nccflags-y += -I $(FOO_PATH)/$(src)/include/nvkm \\\n\t-I$(src)\nccflags-y += -I $(UNKNOWN)/x\nsubdir-ccflags-y := -I$(srctree)/$(src)/../shared\n',
  'linux/drivers/gpu/foo/include/nvkm/core/event.h': 'struct foo_event_func { void (*fini)(int); };\n',
  'linux/drivers/gpu/foo/foo_reg.h': '/* found through -I$(src) */\n',
  'linux/drivers/gpu/shared/common.h': '/* found through subdir-ccflags-y */\n',
  'linux/drivers/gpu/foo/nvkm/core/event.c': '#include <core/event.h>\n#include <foo_reg.h>\n#include <common.h>\n#include <nowhere.h>\n',
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'kpath-includes-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  parser = await getParser();
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** The includes of a file as the lowering records them. */
function includesOf(file: string, cwd: string): Include[] {
  const tree = parser.parse(readFileSync(resolve(cwd, file), 'utf8'));
  try {
    return lowerFile(tree, file).includes;
  } finally {
    tree.delete();
  }
}

function discover(files: string[], cwd: string, options: { arch?: string; paths?: string[]; maxHeaders?: number } = {}) {
  const start = files.map((file) => ({ file, includes: includesOf(file, cwd) }));
  return discoverHeaders(start, (h) => includesOf(h, cwd), { cwd, ...options });
}

describe('discoverHeaders', () => {
  it('follows includes transitively, in kbuild order, once each, named like the .c files', () => {
    const cwd = join(root, 'linux');
    const { headers, stats } = discover(['mm/a.c', 'mm/b.c'], cwd, { paths: ['../extra'] });
    expect(headers).toEqual([
      // round 1, sorted: what mm/a.c includes (mm/b.c adds nothing new)
      '../extra/extra.h',
      'arch/x86/include/asm/y.h',
      'arch/x86/include/linux/twice.h',
      'include/asm-generic/wrapped.h',
      'include/linux/only_if.h',
      'include/linux/x.h',
      'include/uapi/linux/types.h',
      'mm/local.h',
      // round 2: x.h's include; y.h's is generated, local.h's is x.h again
      'include/linux/cycle_a.h',
      // round 3: the cycle closes on cycle_a.h and x.h, already known
      'include/linux/cycle_b.h',
    ]);
    expect(stats).toEqual({
      headers: 10,
      rounds: 3,
      // mm/a.c 11, mm/b.c 3, x.h, y.h and local.h 1 each, cycle_a.h 1, cycle_b.h 2
      includes: 11 + 3 + 3 + 1 + 2,
      unresolvedCount: 5,
      unresolved: [
        { path: 'generated/autoconf.h', system: true, count: 3, from: { file: 'arch/x86/include/asm/y.h', line: 1 }, reason: 'not found' },
        { path: 'asm/syscalls_64.h', system: true, count: 1, from: { file: 'mm/a.c', line: 9 }, reason: 'not found' },
        { path: 'table.c', system: false, count: 1, from: { file: 'mm/a.c', line: 12 }, reason: 'not a header' },
      ],
      leftOut: 0,
    });
    expect(describeUnresolved(stats, 2)).toBe('5 includes unresolved (most: generated/autoconf.h 3, asm/syscalls_64.h 1, ...)');
  });

  it('without the configured paths <extra.h> is unresolved', () => {
    const cwd = join(root, 'linux');
    const { headers, stats } = discover(['mm/a.c'], cwd);
    expect(headers).not.toContain('../extra/extra.h');
    expect(stats.unresolved.find((u) => u.path === 'extra.h')).toEqual({
      path: 'extra.h',
      system: true,
      count: 1,
      from: { file: 'mm/a.c', line: 13 },
      reason: 'not found',
    });
  });

  it("finds headers in the folders the includer's Kbuild and those above it add with -I", () => {
    const cwd = join(root, 'linux');
    const { headers, stats } = discover(['drivers/gpu/foo/nvkm/core/event.c'], cwd);
    expect(headers).toEqual(['drivers/gpu/foo/foo_reg.h', 'drivers/gpu/foo/include/nvkm/core/event.h', 'drivers/gpu/shared/common.h']);
    expect(stats.unresolved.map((u) => u.path)).toEqual(['nowhere.h']);
  });

  it('does not depend on the order the files are added in', () => {
    const cwd = join(root, 'linux');
    const forward = discover(['mm/a.c', 'mm/b.c'], cwd);
    const backward = discover(['mm/b.c', 'mm/a.c'], cwd);
    expect(backward).toEqual(forward);
    expect(backward.stats.unresolved[0]).toEqual({
      path: 'generated/autoconf.h',
      system: true,
      count: 3,
      // the first includer by path, whichever was added first
      from: { file: 'arch/x86/include/asm/y.h', line: 1 },
      reason: 'not found',
    });
  });

  it('absolute includers give absolute headers; another arch searches its own directories', () => {
    const cwd = join(root, 'linux');
    const a = join(cwd, 'mm', 'a.c');
    const { headers, stats } = discover([a], '/', { arch: 'arm64', maxHeaders: 3 });
    // arm64's y.h; no arch/arm64 copy of twice.h; no Kbuild makes asm/wrapped.h a wrapper for arm64
    expect(headers).toEqual([join(cwd, 'arch/arm64/include/asm/y.h'), join(cwd, 'include/linux/only_if.h'), join(cwd, 'include/linux/twice.h')]);
    expect(stats.unresolved.find((u) => u.path === 'asm/wrapped.h')?.count).toBe(1);
  });

  it('stops at maxHeaders and counts what it left out', () => {
    const cwd = join(root, 'linux');
    const { headers, stats } = discover(['mm/a.c'], cwd, { maxHeaders: 2 });
    expect(headers).toEqual(['arch/x86/include/asm/y.h', 'arch/x86/include/linux/twice.h']);
    // mm/a.c names 5 more headers that resolve (extra.h does not, without paths)
    expect(stats.leftOut).toBe(5);
    expect(describeUnresolved(stats, 1)).toBe(
      '5 includes unresolved (most: generated/autoconf.h 2, ...); 5 headers left out past the limit of discovered headers',
    );
  });

  it('a file named with the .c files is not returned again', () => {
    const cwd = join(root, 'linux');
    const discovery = new HeaderDiscovery({ cwd });
    discovery.add({ file: 'mm/b.c', includes: includesOf('mm/b.c', cwd) });
    discovery.add({ file: 'include/linux/x.h', includes: includesOf('include/linux/x.h', cwd) });
    expect(discovery.next()).toEqual(['include/linux/cycle_a.h', 'mm/local.h']);
    discovery.add({ file: 'mm/local.h', includes: includesOf('mm/local.h', cwd) });
    expect(discovery.next()).toEqual([]);
    expect(discovery.stats()).toMatchObject({ headers: 2, rounds: 1, includes: 5, unresolvedCount: 1, leftOut: 0 });
  });

  it('outside a kernel tree only quoted includes next to the file and the configured paths resolve', () => {
    const cwd = join(root, 'extra');
    writeFileSync(join(cwd, 'main.c'), '#include "extra.h"\n#include <linux/x.h>\n');
    const { headers, stats } = discover(['main.c'], cwd);
    expect(headers).toEqual(['extra.h']);
    expect(stats.unresolved.map((u) => [u.path, u.count])).toEqual([['linux/x.h', 1]]);
  });
});
