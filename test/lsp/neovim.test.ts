/**
 * A second editor: Debian's headless Neovim 0.7 starts `kpath lsp --stdio` with the configuration
 * of docs/editors.md (test/lsp/nvim/init.lua), opens a fixture and must receive kpath's diagnostic.
 * Fails, rather than skips, when nvim is missing: it is part of the proof.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ZAP_MESSAGE, zapRelated } from './expected';
import { buildCli, buildServer, REPO, uriOf } from './harness';

const WS = join(__dirname, 'fixtures', 'ws');
const out = mkdtempSync(join(tmpdir(), 'kpath-nvim-'));

beforeAll(async () => {
  await buildServer();
  await buildCli();
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

test('Neovim receives the sleep-in-atomic diagnostic through kpath lsp --stdio', () => {
  const result = join(out, 'diagnostics.json');
  const run = spawnSync('nvim', ['--headless', '--clean', '-u', join(__dirname, 'nvim', 'init.lua'), 'mm/zap.c'], {
    cwd: WS,
    env: {
      ...process.env,
      KPATH_NVIM_OUT: result,
      KPATH_LSP_CMD: JSON.stringify([process.execPath, join(REPO, 'bin', 'kpath.js'), 'lsp', '--stdio']),
    },
    timeout: 60_000,
    encoding: 'utf8',
  });
  expect(run.error, `nvim could not run: ${run.error?.message} (apt-get install neovim)`).toBeUndefined();
  const received = JSON.parse(readFileSync(result, 'utf8'));
  expect(received.error).toBeUndefined();
  expect(received.uri).toMatch(/\/mm\/zap\.c$/);
  expect(received.diagnostics).toEqual([
    {
      lnum: 10,
      col: 7,
      severity: 2, // vim.diagnostic.severity.WARN
      source: 'kpath',
      code: 'sleep-in-atomic',
      message: ZAP_MESSAGE,
      related: zapRelated(uriOf(join(WS, 'mm', 'zap.c'))),
    },
  ]);
});
