/**
 * `runCli` in-process with a fake terminal: colour only on a TTY without NO_COLOR, the progress bar
 * only on a terminal stderr outside CI and without --quiet, and the simulate command wired through.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../server/src/cli/io';
import { runCli } from '../../server/src/cli/run';
import { SIMULATE_HELP } from '../../server/src/sim/cli';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kpath-run-'));
  writeFileSync(join(dir, 'a.c'), 'void f(spinlock_t *l)\n{\n\tspin_lock(l);\n\tmsleep(1);\n\tspin_unlock(l);\n}\n');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function fakeIo(options: { stdoutTTY: boolean; stderrTTY: boolean; env: Record<string, string> }) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { isTTY: options.stdoutTTY, write: (s: string) => out.push(s) },
    stderr: { isTTY: options.stderrTTY, write: (s: string) => err.push(s) },
    cwd: process.cwd(),
    env: options.env,
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

describe('runCli on a terminal', () => {
  it('colours the report when stdout is a TTY and NO_COLOR is unset', async () => {
    const t = fakeIo({ stdoutTTY: true, stderrTTY: false, env: {} });
    expect(await runCli(['check', '--workers', '1', '--quiet', join(dir, 'a.c')], t.io)).toBe(1);
    expect(t.stdout()).toBe(
      `\x1b[1m${join(dir, 'a.c')}:4:2:\x1b[0m \x1b[1;35mwarning:\x1b[0m msleep() may sleep (sleeps until a timeout) while 'l' is held (taken at ${join(dir, 'a.c')}:3) \x1b[1;35m[sleep-in-atomic]\x1b[0m\n`,
    );
  });

  it('does not colour with NO_COLOR set, or when stdout is not a TTY', async () => {
    for (const [stdoutTTY, env] of [
      [true, { NO_COLOR: '1' }],
      [false, {}],
    ] as const) {
      const t = fakeIo({ stdoutTTY, stderrTTY: false, env });
      expect(await runCli(['check', '--workers', '1', '--quiet', join(dir, 'a.c')], t.io)).toBe(1);
      expect(t.stdout()).not.toContain('\x1b[');
      expect(t.stdout()).toMatch(/^.*a\.c:4:2: warning: msleep\(\) may sleep/);
    }
  });

  it('draws the progress bar on a terminal stderr and erases it; not in CI, not with --quiet', async () => {
    const tty = fakeIo({ stdoutTTY: false, stderrTTY: true, env: {} });
    await runCli(['check', '--workers', '1', join(dir, 'a.c')], tty.io);
    // One bar per phase, each erased: the file lowered, its function summarised, then run in contexts.
    expect(tty.stderr()).toMatch(/^\rkpath .*1\/1 files.*\x1b\[K\r\x1b\[K\rkpath .*1\/1 functions.*\x1b\[K\r\x1b\[K\rkpath .*1\/1 contexts.*\x1b\[K\r\x1b\[K$/s);
    for (const [args, env] of [
      [['check', '--workers', '1', join(dir, 'a.c')], { CI: 'true' }],
      [['check', '--workers', '1', '--quiet', join(dir, 'a.c')], {}],
    ] as const) {
      const t = fakeIo({ stdoutTTY: false, stderrTTY: true, env });
      await runCli([...args], t.io);
      expect(t.stderr()).toBe('');
    }
  });

  it('hands simulate to the simulator', async () => {
    const t = fakeIo({ stdoutTTY: false, stderrTTY: false, env: {} });
    expect(await runCli(['simulate', '--help'], t.io)).toBe(0);
    expect(t.stdout()).toBe(SIMULATE_HELP);
  });
});
