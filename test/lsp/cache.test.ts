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
import { FindingsRequest } from '../../server/src/shared/protocol';
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

/** The lines about the program kept between sessions, without their duration (saving comes after the analysis). */
async function keptLines(c: LspClient): Promise<string[]> {
  await c.waitForLog((l) => l.startsWith('kpath: saved the program'));
  return c.logs.filter((l) => /program|earlier session/.test(l)).map((l) => l.replace(/\([0-9.]+ s\)$/, '(N s)'));
}

const NONE_SAVED = 'kpath: no program saved by an earlier session for this workspace, configuration and build of kpath; analysing every file';
const SAVED = 'kpath: saved the program for the next session (N s)';

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
  expect(await keptLines(client)).toEqual([NONE_SAVED, SAVED]);
  expect(entries()).toHaveLength(3);
  await client.stop();

  // one file edited while no server ran; the client's initializationOptions name the cache
  writeFileSync(path('mm/zap.c'), `${readFileSync(path('mm/zap.c'), 'utf8')}\n/* edited */\n`);
  client = await LspClient.start({ root, settings: { debounceMs: 0 }, initializationOptions: { cacheDir } });
  await client.workspaceAnalysed();
  expect(await copyDiagnostics(client)).toEqual(expected);
  expect(scanLines(client)).toEqual([`kpath: read 3 workspace files (2 of them from the IR cache in ${cacheDir}, 0 skipped) in N s`]);
  // `kpath lsp` and the extension's server are two bundles, two builds: the program is not shared.
  expect(await keptLines(client)).toEqual([NONE_SAVED, SAVED]);
  expect(entries()).toHaveLength(4);
});

test("a restart restores the last session's program and analyses what changed since: a caller's edit, a file deleted", async () => {
  const start = async () => {
    client = await LspClient.start({ root, settings: { debounceMs: 0 }, initializationOptions: { cacheDir } });
    await client.workspaceAnalysed();
    const { findings } = await client.connection.sendRequest(FindingsRequest, {});
    return findings.map((f) => `${f.uri.slice(f.uri.lastIndexOf('/') + 1)}:${f.range.start.line + 1} ${f.rule}`);
  };
  expect(await start()).toEqual(['copy.c:10 sleep-in-atomic', 'zap.c:11 sleep-in-atomic']);
  expect(await keptLines(client!)).toEqual([NONE_SAVED, SAVED]);
  await client!.stop();

  // The caller in kernel/fork.c now drops the lock before the call: copy.c's finding, in a file
  // whose bytes did not change, goes with it.
  const fork = readFileSync(path('kernel/fork.c'), 'utf8');
  writeFileSync(path('kernel/fork.c'), fork.replace('\tret = copy_range(mm, oldmm, 0);\n\tspin_unlock(&mm->page_table_lock);', '\tspin_unlock(&mm->page_table_lock);\n\tret = copy_range(mm, oldmm, 0);'));
  expect(await start()).toEqual(['zap.c:11 sleep-in-atomic']);
  expect(await keptLines(client!)).toEqual(['kpath: restored the program the last session saved: 2 files unchanged, 1 changed or new, 0 gone (N s)', SAVED]);
  await client!.stop();

  // Back as it was, then deleted: the file is gone from the restored program.
  writeFileSync(path('kernel/fork.c'), fork);
  expect(await start()).toEqual(['copy.c:10 sleep-in-atomic', 'zap.c:11 sleep-in-atomic']);
  await client!.stop();
  rmSync(path('kernel/fork.c'));
  expect(await start()).toEqual(['zap.c:11 sleep-in-atomic']);
  expect(await keptLines(client!)).toEqual(['kpath: restored the program the last session saved: 2 files unchanged, 0 changed or new, 1 gone (N s)', SAVED]);
  await client!.stop();

  // Nothing changed: the same findings, and the saved program is left as it is.
  expect(await start()).toEqual(['zap.c:11 sleep-in-atomic']);
  const restored = await client!.waitForLog((l) => l.startsWith('kpath: restored'));
  expect(restored.replace(/\([0-9.]+ s\)$/, '(N s)')).toBe('kpath: restored the program the last session saved: 2 files unchanged, 0 changed or new, 0 gone (N s)');
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
