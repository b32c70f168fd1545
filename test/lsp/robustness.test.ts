/**
 * A file whose analysis throws is skipped and logged; the server goes on serving the others. The
 * server runs in this process so that its lowering can be made to fail for one file.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { lowerFile } from '../../server/src/engine/index';
import { ZAP_MESSAGE } from './expected';
import { LspClient, uriOf } from './harness';

const root = mkdtempSync(join(tmpdir(), 'kpath-lsp-'));
cpSync(join(__dirname, 'fixtures', 'ws'), root, { recursive: true });
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('a lowering that throws for one file is logged, that file gets no diagnostics, the next file is analysed', async () => {
  const lower: typeof lowerFile = (tree, file) => {
    if (file === 'mm/copy.c') throw new Error('injected failure');
    return lowerFile(tree, file);
  };
  const client = await LspClient.inProcess({ root, settings: { debounceMs: 0, workspaceAnalysis: false } }, { lower });
  const copy = uriOf(join(root, 'mm', 'copy.c'));
  const zap = uriOf(join(root, 'mm', 'zap.c'));
  await client.open(copy, readFileSync(join(root, 'mm', 'copy.c'), 'utf8'));
  expect((await client.diagnosticsFor(copy, 1)).diagnostics).toEqual([]);
  expect(client.logs.filter((l) => l.startsWith('kpath: analysis of')).map((l) => l.split('\n')[0])).toEqual([
    'kpath: analysis of mm/copy.c (version 1) failed and was skipped: Error: injected failure',
  ]);
  await client.open(zap, readFileSync(join(root, 'mm', 'zap.c'), 'utf8'));
  expect((await client.diagnosticsFor(zap, 1)).diagnostics.map((d) => d.message)).toEqual([ZAP_MESSAGE]);
  await client.stop();
});

test("the engine's problems with a file (a suppression without a reason) are logged once, the finding stays", async () => {
  const client = await LspClient.inProcess({ root, settings: { debounceMs: 0, workspaceAnalysis: false } }, {});
  const zap = uriOf(join(root, 'mm', 'zap.c'));
  const text = readFileSync(join(root, 'mm', 'zap.c'), 'utf8').replace('\tpte = pte_offset', '\t/* kpath: ignore sleep-in-atomic */\n\tpte = pte_offset');
  await client.open(zap, text);
  expect((await client.diagnosticsFor(zap, 1)).diagnostics.map((d) => d.code)).toEqual(['sleep-in-atomic']);
  await client.change(zap, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: ' ' }]);
  await client.diagnosticsFor(zap, 2);
  expect(client.logs.filter((l) => l.includes('reason'))).toEqual([
    "kpath: mm/zap.c: line 11: kpath: ignore sleep-in-atomic: a suppression needs a reason after ':'; not honoured",
  ]);
  await client.stop();
});
