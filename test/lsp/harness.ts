/**
 * Drives the real kpath language server like an editor does: a child process over stdio, spoken to
 * with vscode-languageserver-protocol's client side. The test files call only this helper.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { nodeBundleOptions } from '../../scripts/bundle-options.mjs';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  WorkDoneProgressCreateRequest,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { createConnection as createServerConnection } from 'vscode-languageserver/node';
import { startLanguageServer, type ServerHooks } from '../../server/src/lsp/server';
import { StatusNotification, type StatusParams } from '../../server/src/shared/protocol';

export const REPO = join(__dirname, '..', '..');
export const SERVER = join(REPO, 'dist', 'server.js');

/** Bundles one entry with the options of esbuild.mjs (so the other entries' state does not matter). */
async function bundle(entry: string, outfile: string): Promise<void> {
  await esbuild.build({
    entryPoints: [join(REPO, entry)],
    outfile,
    ...nodeBundleOptions,
  });
}

/** `dist/server.js`, what the VS Code client starts. */
export const buildServer = () => bundle('server/src/lsp/main.ts', SERVER);

/** `dist/cli.js`, what `bin/kpath.js` (and so `kpath lsp --stdio`) loads. */
export const buildCli = () => bundle('server/src/cli/main.ts', join(REPO, 'dist', 'cli.js'));

export function uriOf(path: string): string {
  return pathToFileURL(path).href;
}

export interface StartOptions {
  /** The workspace folder. */
  root: string;
  /** The `kpath` settings section the client answers `workspace/configuration` with. */
  settings?: Record<string, unknown>;
  /** The command that starts the server; default `node dist/server.js --stdio`. */
  command?: string[];
  /** Sent as the initialize request's `initializationOptions`. */
  initializationOptions?: Record<string, unknown>;
}

type Waiter<T> = { match: (value: T) => boolean; resolve: (value: T) => void };

export class LspClient {
  readonly diagnostics: PublishDiagnosticsParams[] = [];
  readonly messages: ShowMessageParams[] = [];
  readonly logs: string[] = [];
  readonly statuses: StatusParams[] = [];
  readonly progress: unknown[] = [];
  settings: Record<string, unknown>;
  private diagnosticWaiters: Waiter<PublishDiagnosticsParams>[] = [];
  private stderr = '';
  initializeResult: InitializeResult | undefined;
  private progressEndWaiters: (() => void)[] = [];

  private constructor(
    readonly connection: ProtocolConnection,
    /** The server process; undefined when the server runs in this process (`inProcess`). */
    private readonly child: ChildProcess | undefined,
    options: StartOptions,
  ) {
    this.settings = options.settings ?? {};
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.push(p);
      this.diagnosticWaiters = this.diagnosticWaiters.filter((w) => (w.match(p) ? (w.resolve(p), false) : true));
    });
    connection.onNotification(ShowMessageNotification.type, (p) => this.messages.push(p));
    connection.onNotification(LogMessageNotification.type, (p) => this.logs.push(p.message));
    connection.onNotification(StatusNotification, (p) => this.statuses.push(p));
    connection.onNotification('$/progress', (p: { value?: { kind?: string } }) => {
      this.progress.push(p);
      if (p.value?.kind === 'end') for (const resolve of this.progressEndWaiters.splice(0)) resolve();
    });
    connection.onRequest(ConfigurationRequest.type, (p) => p.items.map((item) => (item.section === 'kpath' ? this.settings : null)));
    connection.onRequest(WorkDoneProgressCreateRequest.type, () => null);
    connection.onRequest(RegistrationRequest.type, () => null);
    child?.stderr!.on('data', (d) => (this.stderr += String(d)));
  }

  static async start(options: StartOptions): Promise<LspClient> {
    const [cmd, ...args] = options.command ?? [process.execPath, SERVER, '--stdio'];
    const child = spawn(cmd, args, { cwd: options.root, stdio: ['pipe', 'pipe', 'pipe'] });
    return LspClient.initialize(createProtocolConnection(child.stdout!, child.stdin!), child, options);
  }

  /** The server in this process over a pair of pipes, with engine hooks (see `ServerHooks`). */
  static async inProcess(options: StartOptions, hooks: ServerHooks): Promise<LspClient> {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    startLanguageServer(createServerConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)), hooks);
    return LspClient.initialize(createProtocolConnection(toClient, toServer), undefined, options);
  }

  private static async initialize(connection: ProtocolConnection, child: ChildProcess | undefined, options: StartOptions): Promise<LspClient> {
    const client = new LspClient(connection, child, options);
    connection.listen();
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uriOf(options.root),
      workspaceFolders: [{ uri: uriOf(options.root), name: 'fixture' }],
      ...(options.initializationOptions ? { initializationOptions: options.initializationOptions } : {}),
      capabilities: {
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: false } },
        window: { workDoneProgress: true },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true },
          hover: { contentFormat: ['markdown'] },
        },
      },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** The next diagnostics for `uri` that satisfy `match` (already received ones count from `since`). */
  waitForDiagnostics(
    uri: string,
    match: (p: PublishDiagnosticsParams) => boolean = () => true,
    since = 0,
  ): Promise<PublishDiagnosticsParams> {
    const want = (p: PublishDiagnosticsParams) => p.uri === uri && match(p);
    const already = this.diagnostics.slice(since).find(want);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching diagnostics for ${uri}; got ${JSON.stringify(this.diagnostics.filter((d) => d.uri === uri).slice(-3))}\nstderr: ${this.stderr}\nlogs: ${this.logs.join('\n')}`)),
        30_000,
      );
      this.diagnosticWaiters.push({
        match: want,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  /** Resolves when a status notification satisfies `match`. */
  async waitForStatus(match: (s: StatusParams) => boolean): Promise<StatusParams> {
    for (let i = 0; i < 300; i++) {
      const found = [...this.statuses].reverse().find(match);
      if (found && this.statuses.at(-1) === found) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no matching status; got ${JSON.stringify(this.statuses.slice(-3))}`);
  }

  /** Resolves when a log line satisfies `match` (one already logged included). */
  async waitForLog(match: (line: string) => boolean): Promise<string> {
    for (let i = 0; i < 300; i++) {
      const found = this.logs.find(match);
      if (found !== undefined) return found;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no matching log line; got ${JSON.stringify(this.logs.slice(-5))}`);
  }

  /** Resolves when the next (or an already finished) background workspace analysis ends. */
  workspaceAnalysed(): Promise<void> {
    if (this.progress.some((p) => (p as { value?: { kind?: string } }).value?.kind === 'end')) return Promise.resolve();
    return new Promise((resolve) => this.progressEndWaiters.push(resolve));
  }

  /** Diagnostics of `uri` for exactly document version `version`. */
  diagnosticsFor(uri: string, version: number): Promise<PublishDiagnosticsParams> {
    return this.waitForDiagnostics(uri, (p) => p.version === version);
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'c', version, text },
    });
  }

  change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Shuts the server down properly and returns its exit code (none in process: `exit` would end the tests). */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child) {
      await this.connection.sendRequest(ShutdownRequest.type);
      this.connection.dispose();
      return null;
    }
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    const code = await exited;
    this.connection.dispose();
    return code;
  }

  kill(): void {
    this.child?.kill();
  }
}

/** A WorkspaceEdit's edits (all relative to the original text) as sequential content changes. */
export function asChanges(edits: { range: { start: Pos; end: Pos }; newText: string }[]): TextDocumentContentChangeEvent[] {
  const after = (a: Pos, b: Pos) => a.line - b.line || a.character - b.character;
  return [...edits].sort((a, b) => after(b.range.start, a.range.start)).map((e) => ({ range: e.range, text: e.newText }));
}

/** Applies LSP text edits to `text` (what an editor does with a WorkspaceEdit). */
export function applyEdits(text: string, edits: { range: { start: Pos; end: Pos }; newText: string }[]): string {
  const offset = (p: Pos) => {
    let o = 0;
    for (let line = 0; line < p.line; line++) o = text.indexOf('\n', o) + 1;
    return o + p.character;
  };
  const sorted = edits.map((e) => ({ start: offset(e.range.start), end: offset(e.range.end), text: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
interface Pos {
  line: number;
  character: number;
}
