/**
 * The language server's edit-to-diagnostics latency: 100 single-character edits (a space inserted
 * at the start of a line inside a function, then removed again, at 50 places spread over the file)
 * to mm/memory.c of Debian's linux-source-6.1 (a generated 6,000-line file without it), each timed
 * from sending `didChange` to receiving `publishDiagnostics` for that version. No debounce.
 *
 * `npm run bench:lsp -- --generated` uses the generated file even when the kernel source is there.
 *
 * Then the same edits in-process, phase by phase (incremental parse, lower, program update and
 * check), to say where the time goes.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  type ProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  WorkDoneProgressCreateRequest,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { lowerFile, Program, DEFAULT_CONFIG } from '../server/src/engine/index';
import { createCParser } from '../server/src/engine/syntax/parser';
import { readGrammarBinaries } from '../server/src/host/grammars';
import { treeEditFor } from '../server/src/lsp/textSync';
import { linuxSource } from './kernel-source';

const REPO = resolve(__dirname, '..', '..');
const EDITS = 100;

function subject(): { root: string; file: string; label: string } {
  try {
    if (process.argv.includes('--generated')) throw new Error('--generated: the kernel source is not used');
    const root = linuxSource(['mm'], REPO);
    return { root, file: join(root, 'mm', 'memory.c'), label: 'mm/memory.c (linux-source-6.1)' };
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\nusing a generated 6,000-line file instead\n`);
    const root = join(REPO, '.cache', 'bench', 'generated');
    mkdirSync(root, { recursive: true });
    const file = join(root, 'generated.c');
    writeFileSync(file, generated(6000));
    return { root, file, label: 'generated.c (6,000 lines)' };
  }
}

/** Functions in the shape of mm/ code: locks, kmaps, allocations, loops, error paths. */
function generated(lines: number): string {
  const out = ['struct mm_struct; struct page; typedef struct { unsigned long pte; } pte_t;', ''];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `static int walk_${i}(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, int n)`,
      '{',
      '\tpte_t *pte;',
      '\tint err = 0;',
      '',
      '\tspin_lock(&mm->page_table_lock);',
      `\tpte = pte_offset${i % 3 === 0 ? '' : '_atomic'}(pmd, addr);`,
      '\twhile (n-- > 0) {',
      '\t\tif (pte_none(*pte)) {',
      '\t\t\terr = -ENOMEM;',
      '\t\t\tgoto out;',
      '\t\t}',
      '\t\tpte++;',
      '\t}',
      'out:',
      '\tpte_kunmap(pte);',
      '\tspin_unlock(&mm->page_table_lock);',
      '\treturn err;',
      '}',
      '',
    );
  }
  return out.join('\n');
}

/** 50 lines inside function bodies (they start with a tab), spread evenly over the file. */
function editLines(text: string): number[] {
  const candidates = text.split('\n').flatMap((l, i) => (/^\t[a-z]/.test(l) ? [i] : []));
  const step = candidates.length / (EDITS / 2);
  return Array.from({ length: EDITS / 2 }, (_, k) => candidates[Math.floor(k * step)]);
}

/** Enter typed at the start of one of `lines`, then taken back: every definition below moves a line and back. */
function newlineAt(k: number, lines: number[]) {
  const line = lines[Math.floor(k / 2) * Math.floor(lines.length / (NEWLINES / 2))];
  return k % 2 === 0
    ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: '\n' }
    : { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, text: '' };
}

const NEWLINES = 20;

/** Insert at (line, 1) then delete it again: the file is the same after every pair. */
function editAt(k: number, lines: number[]) {
  const line = lines[Math.floor(k / 2)];
  return k % 2 === 0
    ? { range: { start: { line, character: 1 }, end: { line, character: 1 } }, text: ' ' }
    : { range: { start: { line, character: 1 }, end: { line, character: 2 } }, text: '' };
}

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return `p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms`;
}

/** The initialize request of a client with pulled settings and progress, on the folder `root`. */
async function initialize(connection: ProtocolConnection, root: string, initializationOptions?: object) {
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'bench' }],
    capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true } },
    ...(initializationOptions ? { initializationOptions } : {}),
  });
}

async function shutdown(connection: ProtocolConnection) {
  await connection.sendRequest(ShutdownRequest.type);
  await connection.sendNotification(ExitNotification.type);
  connection.dispose();
}

async function overLsp(root: string, file: string, text: string, lines: number[]) {
  // KPATH_LSP_SLOW_MS=0: the server logs the phases of every analysis, collected below.
  const child = spawn(process.execPath, [join(__dirname, 'lsp-server.js'), '--stdio'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, KPATH_LSP_SLOW_MS: '0' },
  });
  const connection = createProtocolConnection(child.stdout!, child.stdin!);
  const waiting = new Map<number, (p: PublishDiagnosticsParams) => void>();
  const uri = pathToFileURL(file).href;
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    if (p.uri === uri && p.version !== undefined) waiting.get(p.version)?.(p);
  });
  // No debounce, and no background scan of the rest of mm/: only this file's edits are measured.
  connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => ({ debounceMs: 0, workspaceAnalysis: false })));
  connection.onRequest(WorkDoneProgressCreateRequest.type, () => null);
  const phases = { parse: [] as number[], lower: [] as number[], check: [] as number[] };
  // After the open the server reads the headers the file includes, in the background.
  let followed: (line: string) => void = () => {};
  const headersRead = new Promise<string>((resolve) => (followed = resolve));
  connection.onNotification(LogMessageNotification.type, ({ message }) => {
    if (message.startsWith('kpath: followed #include')) followed(message.replace(/^kpath: /, ''));
    const m = /took (\d+) ms: parse (\d+), lower (\d+), check (\d+)/.exec(message);
    if (!m) return;
    phases.parse.push(Number(m[2]));
    phases.lower.push(Number(m[3]));
    phases.check.push(Number(m[4]));
  });
  connection.listen();
  await initialize(connection, root);
  await connection.sendNotification(InitializedNotification.type, {});
  const published = (version: number) => new Promise<PublishDiagnosticsParams>((r) => waiting.set(version, r));

  let t = performance.now();
  let p = published(1);
  await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'c', version: 1, text } });
  const findings = (await p).diagnostics.length;
  const first = performance.now() - t;
  // Edits are timed once the headers are in (a file including none logs nothing: a short wait).
  const headers = await Promise.race([headersRead, new Promise<string>((resolve) => setTimeout(() => resolve('no header followed'), 5000))]);
  const headersMs = performance.now() - t;

  const latencies: number[] = [];
  for (let k = 0; k < EDITS; k++) {
    const version = k + 2;
    p = published(version);
    t = performance.now();
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [editAt(k, lines)] });
    await p;
    latencies.push(performance.now() - t);
  }
  // The first entry is the open.
  for (const list of Object.values(phases)) list.shift();
  const newlines: number[] = [];
  for (let k = 0; k < NEWLINES; k++) {
    const version = EDITS + k + 2;
    p = published(version);
    t = performance.now();
    await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [newlineAt(k, lines)] });
    await p;
    newlines.push(performance.now() - t);
  }
  await shutdown(connection);
  return { latencies, newlines, first, findings, phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, v.slice(0, EDITS)])), headers, headersMs };
}

/**
 * Opening `root` as the workspace: from `initialized` to the end of the background analysis's
 * progress (every file read, lowered and checked), with the IR cache `cacheDir`; the server's scan
 * line says how much of the reading the cache answered.
 */
async function workspaceOpen(root: string, cacheDir: string) {
  const child = spawn(process.execPath, [join(__dirname, 'lsp-server.js'), '--stdio'], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(child.stdout!, child.stdin!);
  let scan = '';
  let ended: () => void = () => {};
  const end = new Promise<void>((resolve) => (ended = resolve));
  let kept = '';
  connection.onNotification(LogMessageNotification.type, ({ message }) => {
    if (message.startsWith('kpath: read ')) scan = message.replace(/^kpath: /, '');
    if (/^kpath: (restored|no program|the saved program)/.test(message)) kept = message.replace(/^kpath: /, '');
  });
  connection.onNotification('$/progress', (p: { value?: { kind?: string } }) => {
    if (p.value?.kind === 'end') ended();
  });
  connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => ({ debounceMs: 0 })));
  connection.onRequest(WorkDoneProgressCreateRequest.type, () => null);
  connection.listen();
  await initialize(connection, root, { cacheDir });
  const t = performance.now();
  await connection.sendNotification(InitializedNotification.type, {});
  await end;
  const ms = performance.now() - t;
  await shutdown(connection);
  return { ms, scan, kept };
}

async function inProcess(file: string, text: string, lines: number[]) {
  const parser = await createCParser(readGrammarBinaries(__dirname));
  const program = new Program(DEFAULT_CONFIG);
  let doc = TextDocument.create('file:///x.c', 'c', 1, text);
  let tree = parser.parse(text);
  program.update(lowerFile(tree, file));
  program.check([file]);
  const phases = { parse: [] as number[], lower: [] as number[], update: [] as number[], check: [] as number[] };
  for (let k = 0; k < EDITS; k++) {
    const change = editAt(k, lines);
    const edit = treeEditFor(doc, change);
    doc = TextDocument.update(doc, [change], k + 2);
    const t0 = performance.now();
    tree.edit(edit);
    const next = parser.parse(doc.getText(), tree);
    tree.delete();
    tree = next;
    const t1 = performance.now();
    const ir = lowerFile(tree, file);
    const t2 = performance.now();
    program.update(ir);
    const t3 = performance.now();
    program.check([file]);
    const t4 = performance.now();
    phases.parse.push(t1 - t0);
    phases.lower.push(t2 - t1);
    phases.update.push(t3 - t2);
    phases.check.push(t4 - t3);
  }
  tree.delete();
  return phases;
}

async function main() {
  const { root, file, label } = subject();
  const text = readFileSync(file, 'utf8');
  const lines = editLines(text);
  console.log(`kpath language server: ${EDITS} single-character edits to ${label}, ${text.split('\n').length} lines, no debounce`);
  const lsp = await overLsp(root, file, text, lines);
  console.log(`  open to first diagnostics: ${lsp.first.toFixed(1)} ms (${lsp.findings} diagnostics)`);
  console.log(`  then in the background: ${lsp.headers}, ${(lsp.headersMs / 1000).toFixed(2)} s after the open; the edits start then`);
  console.log(`  edit to diagnostics (over stdio): ${stats(lsp.latencies)}   [goal: p50 <= 25 ms, p95 <= 50 ms]`);
  console.log(`  ${NEWLINES} line insertions and removals spread through the file (every definition below moves): ${stats(lsp.newlines)}`);
  console.log('  inside the server, per phase (whole ms, as it logs them):');
  for (const [name, ms] of Object.entries(lsp.phases)) if (ms.length) console.log(`    ${name.padEnd(7)} ${stats(ms)}`);
  const phases = await inProcess(file, text, lines);
  console.log('  the same edits in-process (engine API only), per phase:');
  for (const [name, ms] of Object.entries(phases)) console.log(`    ${name.padEnd(7)} ${stats(ms)}`);

  // The directory of the edited file as the workspace, opened twice: the IR cache empty, then warm.
  const folder = dirname(file);
  const cacheDir = mkdtempSync(join(tmpdir(), 'kpath-bench-lsp-cache-'));
  try {
    console.log(`kpath language server: opening ${folder === root ? 'the generated folder' : relative(root, folder) + '/'} as the workspace (to the end of the background analysis)`);
    const cold = await workspaceOpen(folder, cacheDir);
    console.log(`  IR cache empty: ${(cold.ms / 1000).toFixed(2)} s (${cold.scan}; ${cold.kept})`);
    const warm = await workspaceOpen(folder, cacheDir);
    console.log(`  IR cache warm:  ${(warm.ms / 1000).toFixed(2)} s (${warm.scan}; ${warm.kept}) = ${((100 * warm.ms) / cold.ms).toFixed(0)}% of the cold open`);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
