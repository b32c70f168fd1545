/**
 * The language server's IR cache: files read from disk are lowered through the same persistent
 * cache as `kpath check --cache`, so that reopening a workspace parses only what changed. The
 * directory comes from `kpath lsp --cache DIR` or from the client's `initializationOptions`.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { COPY_MESSAGE, COPY_RANGE, copyRelated } from './expected';
import { buildCli, buildServer, LspClient, REPO, uriOf } from './harness';

const FIXTURES = join(__dirname, 'fixtures', 'ws');

let root: string;
let cacheDir: string;
let client: LspClient | undefined;
const path = (rel: string) => join(root, rel);

beforeAll(async () => {
  await buildServer();
  await buildCli();
});

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kpath-lsp-'));
  cpSync(FIXTURES, root, { recursive: true });
  cacheDir = mkdtempSync(join(tmpdir(), 'kpath-lsp-cache-'));
});

afterEach(async () => {
  await client?.stop().catch(() => client?.kill());
  client = undefined;
  rmSync(root, { recursive: true, force: true });
  rmSync(cacheDir, { recursive: true, force: true });
});

/** The scan's log lines, without their duration. */
function scanLines(c: LspClient): string[] {
  return c.logs.filter((l) => l.startsWith('kpath: read ')).map((l) => l.replace(/ in [0-9.]+ s$/, ' in N s'));
}

/** The cache's entries (`DIR/<2 hex>/<sha256>.json`). */
function entries(): string[] {
  return readdirSync(cacheDir, { recursive: true, encoding: 'utf8' }).filter((p) => p.endsWith('.json'));
}

async function copyDiagnostics(c: LspClient) {
  const copy = uriOf(path('mm/copy.c'));
  const published = await c.waitForDiagnostics(copy, (p) => p.diagnostics.length > 0);
  return published.diagnostics.map((d) => [d.range, d.message, d.relatedInformation]);
}

test('a restart reads unchanged files from the cache and reports what a cold start reports', async () => {
  const expected = [[COPY_RANGE, COPY_MESSAGE, copyRelated(uriOf(path('kernel/fork.c')), uriOf(path('mm/copy.c')))]];

  // `kpath lsp --cache DIR`, as an editor other than VS Code starts it
  client = await LspClient.start({ root, settings: { debounceMs: 0 }, command: [process.execPath, join(REPO, 'bin', 'kpath.js'), 'lsp', '--stdio', '--cache', cacheDir] });
  await client.workspaceAnalysed();
  expect(await copyDiagnostics(client)).toEqual(expected);
  expect(scanLines(client)).toEqual([`kpath: read 3 workspace files (0 of them from the IR cache in ${cacheDir}, 0 skipped) in N s`]);
  expect(entries()).toHaveLength(3);
  await client.stop();

  // one file edited while no server ran; the client's initializationOptions name the cache
  writeFileSync(path('mm/zap.c'), `${readFileSync(path('mm/zap.c'), 'utf8')}\n/* edited */\n`);
  client = await LspClient.start({ root, settings: { debounceMs: 0 }, initializationOptions: { cacheDir } });
  await client.workspaceAnalysed();
  expect(await copyDiagnostics(client)).toEqual(expected);
  expect(scanLines(client)).toEqual([`kpath: read 3 workspace files (2 of them from the IR cache in ${cacheDir}, 0 skipped) in N s`]);
  expect(entries()).toHaveLength(4);
});

test('a cache directory that is not an absolute path is refused with a warning, and files are read without one', async () => {
  client = await LspClient.start({ root, settings: { debounceMs: 0 }, initializationOptions: { cacheDir: 'relative/dir' } });
  await client.workspaceAnalysed();
  expect(client.messages.map((m) => m.message)).toEqual([
    'kpath: initializationOptions.cacheDir must be an absolute path, not "relative/dir"; files are read without an IR cache.',
  ]);
  expect(scanLines(client)).toEqual(['kpath: read 3 workspace files (no IR cache, 0 skipped) in N s']);
  expect(await copyDiagnostics(client)).toHaveLength(1);
});
