/**
 * The language server driven like an editor over stdio: a copy of test/lsp/fixtures/ws as the
 * workspace, then open, diagnostics with related information, code actions, applying the preferred
 * fix, edits, hover, the custom requests, settings, watched files and shutdown.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CodeActionRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ExecuteCommandRequest,
  FileChangeType,
  HoverRequest,
  type CodeAction,
  type Diagnostic,
  type InitializeResult,
} from 'vscode-languageserver-protocol/node';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ErrorCodes, FindingsRequest, ReanalyzeRequest, SimulateRequest } from '../../server/src/shared/protocol';
import { COPY_MESSAGE, COPY_RANGE, copyRelated, ZAP_MESSAGE, ZAP_RANGE, zapRelated } from './expected';
import { applyEdits, asChanges, buildServer, LspClient, REPO, uriOf } from './harness';

const FIXTURES = join(__dirname, 'fixtures', 'ws');
const RULE_DOC = uriOf(join(REPO, 'docs', 'rules', 'sleep-in-atomic.md'));

let root: string;
let client: LspClient;
const path = (rel: string) => join(root, rel);
const uri = (rel: string) => uriOf(path(rel));
const text = (rel: string) => readFileSync(path(rel), 'utf8');

beforeAll(buildServer);

/** A fresh copy of the fixture workspace and a server on it, for each test. */
async function start(settings: Record<string, unknown> = { debounceMs: 0 }, extra: Record<string, string> = {}) {
  root = mkdtempSync(join(tmpdir(), 'kpath-lsp-'));
  cpSync(FIXTURES, root, { recursive: true });
  for (const [rel, content] of Object.entries(extra)) writeFileSync(path(rel), content);
  client = await LspClient.start({ root, settings });
}

afterEach(async () => {
  await client.stop().catch(() => client.kill());
  rmSync(root, { recursive: true, force: true });
});

function zapDiagnostic(): Diagnostic {
  return {
    range: ZAP_RANGE,
    severity: 2,
    code: 'sleep-in-atomic',
    codeDescription: { href: RULE_DOC },
    source: 'kpath',
    message: ZAP_MESSAGE,
    relatedInformation: zapRelated(uri('mm/zap.c')),
    data: { id: 'sleep-in-atomic@zap_one@11:8' },
  };
}

async function codeActions(rel: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
  const result = await client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: uri(rel) },
    range: diagnostics[0].range,
    context: { diagnostics },
  });
  return (result ?? []) as CodeAction[];
}

describe('an open document', () => {
  test('diagnostics, the preferred fix applied, and edits that bring the finding back', async () => {
    await start();
    await client.workspaceAnalysed();
    const zap = uri('mm/zap.c');
    await client.open(zap, text('mm/zap.c'));
    expect((await client.diagnosticsFor(zap, 1)).diagnostics).toEqual([zapDiagnostic()]);

    const actions = await codeActions('mm/zap.c', [zapDiagnostic()]);
    expect(actions.map((a) => [a.title, a.kind, a.isPreferred ?? false])).toEqual([
      ['Use pte_offset_atomic() (an atomic kmap that never blocks; still released by pte_kunmap)', 'quickfix', true],
      ['Use pte_offset_under_lock() (drops the page table lock while it waits; right only when that is the one lock held)', 'quickfix', false],
      ['Suppress sleep-in-atomic here (a reason is required)', 'quickfix.kpath.suppress', false],
      ['Simulate this path', 'quickfix.kpath.simulate', false],
    ]);
    expect(actions[3].command).toEqual({
      title: 'Simulate this path',
      command: 'kpath.simulate',
      arguments: [{ uri: zap, id: 'sleep-in-atomic@zap_one@11:8' }],
    });

    // Apply the preferred fix as an editor does: its edits, sent back as a ranged change.
    const preferred = actions.find((a) => a.isPreferred)!;
    const edits = preferred.edit!.changes![zap];
    expect(edits).toEqual([{ range: { start: { line: 10, character: 7 }, end: { line: 10, character: 17 } }, newText: 'pte_offset_atomic' }]);
    const fixed = applyEdits(text('mm/zap.c'), edits);
    expect(fixed.split('\n')[10]).toBe('\tpte = pte_offset_atomic(pmd, addr);');
    await client.change(zap, 2, asChanges(edits));
    expect((await client.diagnosticsFor(zap, 2)).diagnostics).toEqual([]);

    // Undo it with a single-character-range edit and add a line above: the finding returns, one line lower.
    await client.change(zap, 3, [
      { range: { start: { line: 10, character: 17 }, end: { line: 10, character: 24 } }, text: '' },
      { range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } }, text: '\tint unused;\n' },
    ]);
    const moved = (await client.diagnosticsFor(zap, 3)).diagnostics;
    expect(moved.map((d) => [d.range, d.message, d.data])).toEqual([
      [{ start: { line: 11, character: 7 }, end: { line: 11, character: 28 } }, ZAP_MESSAGE.replace('mm/zap.c:10', 'mm/zap.c:11'), { id: 'sleep-in-atomic@zap_one@12:8' }],
    ]);

    // The suppression (the engine's action) silences it.
    const suppress = (await codeActions('mm/zap.c', moved)).find((a) => a.kind === 'quickfix.kpath.suppress')!;
    await client.change(zap, 4, asChanges(suppress.edit!.changes![zap]));
    expect((await client.diagnosticsFor(zap, 4)).diagnostics).toEqual([]);
  });

  test('a burst of changes publishes only versions whose text was analysed, the last one last', async () => {
    await start();
    await client.workspaceAnalysed();
    const zap = uri('mm/zap.c');
    await client.open(zap, text('mm/zap.c'));
    await client.diagnosticsFor(zap, 1);
    const since = client.diagnostics.length;
    // Ten edits without waiting: each inserts one space at the start of line 11 (after the tab).
    for (let v = 2; v <= 11; v++) {
      await client.change(zap, v, [{ range: { start: { line: 10, character: 1 }, end: { line: 10, character: 1 } }, text: ' ' }]);
    }
    const last = await client.diagnosticsFor(zap, 11);
    expect(last.diagnostics.map((d) => d.range)).toEqual([{ start: { line: 10, character: 17 }, end: { line: 10, character: 38 } }]);
    const published = client.diagnostics.slice(since).filter((p) => p.uri === zap);
    // Each publication's range matches its own version's text: the call moved right by one per version.
    for (const p of published) expect(p.diagnostics[0].range.start.character).toBe(7 + (p.version! - 1));
    expect(published.map((p) => p.version)).toEqual([...published.map((p) => p.version!)].sort((a, b) => a - b));
  });

  test('hover shows what is held at the cursor and where it came from', async () => {
    await start();
    await client.workspaceAnalysed();
    const zap = uri('mm/zap.c');
    await client.open(zap, text('mm/zap.c'));
    await client.diagnosticsFor(zap, 1);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: zap }, position: { line: 11, character: 2 } });
    expect(hover).toEqual({
      contents: {
        kind: 'markdown',
        value: [
          '**kpath** · `zap_one` here',
          '',
          'Locks held:',
          '- `mm->page_table_lock` — spin lock',
          `  - 'mm->page_table_lock' taken by spin_lock() ([mm/zap.c:10](${zap}#L10))`,
          '',
          'kmaps pinned:',
          '- `pte` — persistent kmap, PAGETABLE serie',
          `  - pte_offset() pins a persistent kmap (PAGETABLE serie) ([mm/zap.c:11](${zap}#L11))`,
        ].join('\n'),
      },
    });
    const outside = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: zap }, position: { line: 1, character: 2 } });
    expect(outside).toBeNull();
  });

  test('kpath/findings lists, kpath/simulate replays, a stale reference is a clear error', async () => {
    await start();
    await client.workspaceAnalysed();
    const zap = uri('mm/zap.c');
    await client.open(zap, text('mm/zap.c'));
    await client.diagnosticsFor(zap, 1);
    const { findings } = await client.connection.sendRequest(FindingsRequest, { uri: zap });
    expect(findings).toEqual([
      {
        uri: zap,
        id: 'sleep-in-atomic@zap_one@11:8',
        rule: 'sleep-in-atomic',
        severity: 'warning',
        message: ZAP_MESSAGE,
        function: 'zap_one',
        range: ZAP_RANGE,
        pathLength: 2,
      },
    ]);
    const result = await client.connection.sendRequest(SimulateRequest, { finding: { uri: zap, id: findings[0].id }, options: { tasks: 2, cpus: 2, pool: 1 } });
    expect(result.verdict).toBe('sleep-in-atomic');
    expect(result.finding).toEqual(findings[0]);
    expect(result.trace).toMatchObject({ verdict: 'sleep-in-atomic', tasks: 2, cpus: 2, pool: 1, rule: 'sleep-in-atomic' });
    expect(result.svg.startsWith('<svg')).toBe(true);
    expect(result.text).toContain('*** SCHEDULING WHILE ATOMIC ***');

    const stale = client.connection.sendRequest(SimulateRequest, { finding: { uri: zap, id: 'sleep-in-atomic@zap_one@99:1' } });
    await expect(stale).rejects.toMatchObject({
      code: ErrorCodes.FindingNotFound,
      message: `kpath: no finding sleep-in-atomic@zap_one@99:1 in ${zap} any more (edited since?); pick it again`,
    });
  });
});

describe('the workspace', () => {
  test('cross-file findings of unopened files are published after the background analysis, with progress', async () => {
    await start();
    const copy = uri('mm/copy.c');
    const published = await client.waitForDiagnostics(copy);
    expect(published.version).toBeUndefined();
    expect(published.diagnostics.map((d) => [d.range, d.code, d.message, d.relatedInformation])).toEqual([
      [COPY_RANGE, 'sleep-in-atomic', COPY_MESSAGE, copyRelated(uri('kernel/fork.c'), copy)],
    ]);
    await client.workspaceAnalysed();
    const kinds = client.progress.map((p) => (p as { value: { kind: string; message?: string } }).value);
    expect(kinds[0]).toEqual({ kind: 'begin', title: 'kpath', percentage: 0, message: 'Listing C files', cancellable: false });
    expect(kinds.at(-1)).toEqual({ kind: 'end' });
    expect(kinds.filter((k) => k.kind === 'report').map((k) => k.message)).toEqual([
      'Analysing 1/3 files',
      'Analysing 2/3 files',
      'Analysing 3/3 files',
      'Following #include',
      'Checking',
    ]);
    expect(await client.waitForStatus((s) => s.state === 'idle')).toEqual({ state: 'idle', done: 0, total: 0, findings: 2 });
  });

  test('opening the callee keeps the caller\'s lock, and offers __must_hold for it', async () => {
    await start();
    await client.workspaceAnalysed();
    const copy = uri('mm/copy.c');
    await client.open(copy, text('mm/copy.c'));
    const diagnostics = (await client.diagnosticsFor(copy, 1)).diagnostics;
    expect(diagnostics.map((d) => d.message)).toEqual([COPY_MESSAGE]);
    const actions = await codeActions('mm/copy.c', diagnostics);
    const mustHold = actions.find((a) => a.kind === 'quickfix.kpath.mustHold')!;
    expect(mustHold.title).toBe('Add __must_hold(&dst->page_table_lock) to copy_range()');
    expect(mustHold.edit!.changes![copy]).toEqual([
      { range: { start: { line: 4, character: 80 }, end: { line: 4, character: 80 } }, newText: ' __must_hold(&dst->page_table_lock)' },
    ]);
    await client.change(copy, 2, asChanges(mustHold.edit!.changes![copy]));
    // Still a bug (kmap sleeps under the lock), now explained by the annotation: no second __must_hold offered.
    const after = (await client.diagnosticsFor(copy, 2)).diagnostics;
    expect(after.map((d) => d.range)).toEqual([COPY_RANGE]);
    expect((await codeActions('mm/copy.c', after)).map((a) => a.kind)).not.toContain('quickfix.kpath.mustHold');
  });

  test('a file changed on disk is re-read: the caller drops its lock, the callee\'s finding goes', async () => {
    await start();
    const copy = uri('mm/copy.c');
    await client.waitForDiagnostics(copy, (p) => p.diagnostics.length === 1);
    await client.workspaceAnalysed();
    writeFileSync(path('kernel/fork.c'), text('kernel/fork.c').replace(/\tspin_(un)?lock\(&mm->page_table_lock\);\n/g, ''));
    const since = client.diagnostics.length;
    await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri('kernel/fork.c'), type: FileChangeType.Changed }] });
    expect((await client.waitForDiagnostics(copy, () => true, since)).diagnostics).toEqual([]);
  });

  test('closing an edited document falls back to its text on disk', async () => {
    await start();
    await client.workspaceAnalysed();
    const zap = uri('mm/zap.c');
    await client.open(zap, text('mm/zap.c'));
    await client.diagnosticsFor(zap, 1);
    await client.change(zap, 2, [{ range: { start: { line: 10, character: 17 }, end: { line: 10, character: 17 } }, text: '_atomic' }]);
    expect((await client.diagnosticsFor(zap, 2)).diagnostics).toEqual([]);
    const since = client.diagnostics.length;
    await client.close(zap);
    const back = await client.waitForDiagnostics(zap, () => true, since);
    expect([back.version, back.diagnostics.map((d) => d.message)]).toEqual([undefined, [ZAP_MESSAGE]]);
  });

  test('kpath.exclude takes a file out of the background analysis, and its diagnostics with it', async () => {
    await start();
    const copy = uri('mm/copy.c');
    await client.waitForDiagnostics(copy, (p) => p.diagnostics.length === 1);
    await client.workspaceAnalysed();
    client.settings = { debounceMs: 0, exclude: ['mm/copy.c'] };
    const since = client.diagnostics.length;
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    expect((await client.waitForDiagnostics(copy, () => true, since)).diagnostics).toEqual([]);
    expect(await client.connection.sendRequest(FindingsRequest, {})).toEqual({ findings: [expect.objectContaining({ uri: uri('mm/zap.c') })] });
  });

  test('settings: a rule turned off disappears, a severity changes, kpath.rulesDocsUrl moves the link', async () => {
    await start();
    await client.workspaceAnalysed();
    const zap = uri('mm/zap.c');
    await client.open(zap, text('mm/zap.c'));
    await client.diagnosticsFor(zap, 1);

    client.settings = { debounceMs: 0, rules: { 'sleep-in-atomic': { severity: 'error' } }, rulesDocsUrl: 'https://example.org/kpath/docs/rules/' };
    let since = client.diagnostics.length;
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    const error = (await client.waitForDiagnostics(zap, (p) => p.diagnostics.length === 1, since)).diagnostics[0];
    expect([error.severity, error.codeDescription]).toEqual([1, { href: 'https://example.org/kpath/docs/rules/sleep-in-atomic.md' }]);

    client.settings = { debounceMs: 0, rules: { 'sleep-in-atomic': { severity: 'off' } } };
    since = client.diagnostics.length;
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    expect((await client.waitForDiagnostics(zap, () => true, since)).diagnostics).toEqual([]);
    const { findings } = await client.connection.sendRequest(FindingsRequest, {});
    expect(findings).toEqual([]);
  });

  test('bad settings give one warning naming them, and the defaults apply', async () => {
    await start({ debounceMs: 'soon', rules: { 'sleep-in-atomic': { severity: 'loud' } } });
    await client.workspaceAnalysed();
    const zap = uri('mm/zap.c');
    await client.open(zap, text('mm/zap.c'));
    expect((await client.diagnosticsFor(zap, 1)).diagnostics.map((d) => d.severity)).toEqual([2]);
    await client.change(zap, 2, [{ range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } }, text: '\n' }]);
    await client.diagnosticsFor(zap, 2);
    expect(client.messages).toEqual([
      {
        type: 2,
        message:
          'kpath: invalid settings, using the defaults for them: kpath.rules.sleep-in-atomic.severity: "loud" is not one of default, error, warning, info, hint, off; kpath.debounceMs: must be a number >= 0',
      },
    ]);
  });

  test('a bad .kpath.json gives one warning; binary and oversized files are skipped with a message; the server goes on', async () => {
    await start(
      { debounceMs: 0, maxFileSize: 4000 },
      {
        '.kpath.json': '{ "rules": { "sleep-in-atomic": "loud" } }',
        'mm/blob.c': 'int x;\0\0\0',
        'mm/huge.c': `/* ${'x'.repeat(5000)} */\n`,
      },
    );
    await client.workspaceAnalysed();
    expect(client.messages.length).toBe(1);
    expect(client.messages[0].type).toBe(2);
    expect(client.messages[0].message).toBe(
      'kpath: .kpath.json has a problem, the defaults are used instead: kpath.json: rules.sleep-in-atomic: unknown severity "loud" (known: error, warning, info, hint, off)',
    );
    expect(client.logs.filter((l) => l.startsWith('kpath: skipped'))).toEqual([
      `kpath: skipped ${path('mm/blob.c')}: binary file (NUL byte at offset 6)`,
      `kpath: skipped ${path('mm/huge.c')}: file too large (5007 bytes; the limit is 4000 bytes)`,
    ]);
    // Still serving, with the defaults.
    const zap = uri('mm/zap.c');
    await client.open(zap, text('mm/zap.c'));
    expect((await client.diagnosticsFor(zap, 1)).diagnostics.map((d) => [d.code, d.severity])).toEqual([['sleep-in-atomic', 2]]);
  });

  test('re-analyse: as a request and as the server command, with the counts', async () => {
    await start();
    await client.workspaceAnalysed();
    expect(await client.connection.sendRequest(ReanalyzeRequest)).toEqual({ files: 3, findings: 2 });
    expect(await client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'kpath.reanalyze' })).toEqual({ files: 3, findings: 2 });
  });
});

describe('the protocol', () => {
  test('capabilities: incremental sync, code actions by kind, hover, only re-analysis as a server command; exit code 0', async () => {
    root = mkdtempSync(join(tmpdir(), 'kpath-lsp-'));
    client = await LspClient.start({ root, settings: { debounceMs: 0 } });
    const result: InitializeResult = client.initializeResult!;
    expect(result.capabilities).toEqual({
      textDocumentSync: { openClose: true, change: 2 },
      codeActionProvider: { codeActionKinds: ['quickfix', 'quickfix.kpath.suppress', 'quickfix.kpath.mustHold', 'quickfix.kpath.simulate'] },
      hoverProvider: true,
      executeCommandProvider: { commands: ['kpath.reanalyze'] },
    });
    expect(result.serverInfo).toEqual({ name: 'kpath' });
    expect(await client.stop()).toBe(0);
  });
});
