/**
 * The kpath language server: wires LSP messages to the analysis (analysis.ts) and the feature
 * modules (diagnostics, code actions, hover, simulation). `main.ts` (the bundle the VS Code client
 * starts) and `kpath lsp --stdio` both call `startLanguageServer`.
 *
 * Architecture invariant: this folder is the only part of kpath that knows LSP types. The engine
 * gets file names and 1-based positions; the client gets the messages of `shared/protocol.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  FileChangeType,
  MessageType,
  ProposedFeatures,
  ResponseError,
  ShowMessageNotification,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { createCParser, type CParser } from '../engine/syntax/parser';
import { readGrammarBinaries } from '../host/grammars';
import {
  Commands,
  ErrorCodes,
  FindingsRequest,
  ReanalyzeRequest,
  SimulateRequest,
  type FindingRef,
  type SimulateParams,
} from '../shared/protocol';
import { Analyzer } from './analysis';
import { codeActionsFor, locksFromCallers, MUST_HOLD_KIND, SIMULATE_KIND, SUPPRESS_KIND } from './codeActions';
import { pointOf, rangesIntersect } from './convert';
import { findingId, type DiagnosticData } from './diagnostics';
import { DEFAULT_CONFIG, lowerFile, resolveConfig, type ResolvedConfig } from './engine';
import { FileNames } from './files';
import { declaratorEnd, headerText } from './functionHeaders';
import { hoverAt } from './hover';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from './settings';
import { simulate } from './simulate';
import { RecordingTextDocuments } from './textSync';

const CONFIG_FILE = '.kpath.json';

/** For tests: parts of the engine to replace (a lowering that throws, to prove the server survives it). */
export interface ServerHooks {
  lower?: typeof lowerFile;
}

/** What the command line sets (`kpath lsp --cache DIR`); the client's `initializationOptions` override it. */
export interface ServerDefaults {
  /** Absolute directory of the IR cache for files read from disk. */
  cacheDir?: string;
}

/** What a client may send as `initializationOptions` (the VS Code client sends its storage's cache). */
interface InitializationOptions {
  cacheDir?: unknown;
}

/** Starts the server on `connection` (default: from the command line, `--stdio` or `--node-ipc`). */
export function startLanguageServer(
  connection: Connection = createConnection(ProposedFeatures.all),
  hooks: ServerHooks = {},
  defaults: ServerDefaults = {},
): Connection {
  const documents = new RecordingTextDocuments();
  let analyzer: Analyzer | undefined;
  let parser: CParser | undefined;
  let names = new FileNames(undefined);
  let canPullSettings = false;
  let lastSettingsWarning = '';

  const log = (message: string) => connection.console.log(message);
  /** A plain `window/showMessage` (a request would wait for a button the user never needs). */
  const warn = (message: string) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
  // One failed promise must not end the server (Node ends the process on an unhandled rejection).
  process.on('unhandledRejection', (reason) => log(`kpath: internal error (ignored): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));

  /** The settings, fresh from the client every time; one warning per distinct set of problems. */
  async function readSettings(): Promise<Settings> {
    if (!canPullSettings) return DEFAULT_SETTINGS;
    let raw: unknown;
    try {
      raw = await connection.workspace.getConfiguration({ section: 'kpath' });
    } catch (err) {
      log(`kpath: could not read the settings, using the defaults: ${String(err)}`);
      return DEFAULT_SETTINGS;
    }
    const { settings, problems } = parseSettings(raw);
    const warning = problems.length ? `kpath: invalid settings, using the defaults for them: ${problems.join('; ')}` : '';
    if (warning && warning !== lastSettingsWarning) warn(warning);
    lastSettingsWarning = warning;
    return settings;
  }

  /** `.kpath.json` of the workspace folder; its problems make one warning and the defaults apply. */
  function loadConfig(): ResolvedConfig {
    const root = names.rootPath;
    const path = root ? join(root, CONFIG_FILE) : undefined;
    if (!path || !existsSync(path)) return DEFAULT_CONFIG;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      warn(`kpath: cannot read ${CONFIG_FILE} (${String(err)}); using the defaults.`);
      return DEFAULT_CONFIG;
    }
    const { config, problems } = resolveConfig(text, path);
    if (problems.length) {
      warn(
        `kpath: ${CONFIG_FILE} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}, the defaults are used instead: ` +
          problems.map((p: { message: string }) => p.message).join('; '),
      );
    }
    return config;
  }

  connection.onInitialize(async (params): Promise<InitializeResult> => {
    const folder = params.workspaceFolders?.[0]?.uri ?? params.rootUri ?? undefined;
    names = new FileNames(folder?.startsWith('file:') ? fileURLToPath(folder) : (params.rootPath ?? undefined));
    canPullSettings = params.capabilities.workspace?.configuration === true;
    parser = await createCParser(readGrammarBinaries());
    const cacheDir = cacheDirOf(params.initializationOptions as InitializationOptions | undefined, defaults.cacheDir, warn);
    analyzer = new Analyzer({ connection, documents, names, parser, readSettings, lower: hooks.lower ?? lowerFile, cacheDir }, DEFAULT_CONFIG, DEFAULT_SETTINGS);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, SUPPRESS_KIND, MUST_HOLD_KIND, SIMULATE_KIND] },
        hoverProvider: true,
        // kpath.simulate is the client's command (it opens a view); only re-analysis runs here.
        executeCommandProvider: { commands: [Commands.reanalyze] },
      },
      serverInfo: { name: 'kpath' },
    };
  });

  connection.onInitialized(() => {
    analyzer!.setConfig(loadConfig());
    void analyzer!.scanWorkspace().catch((err) => log(`kpath: workspace analysis failed: ${String(err)}`));
  });

  documents.onDidChangeContent((e) => analyzer?.documentChanged(e.document.uri));
  documents.onDidClose((e) => void analyzer?.documentClosed(e.document.uri));

  connection.onDidChangeConfiguration(() => {
    // Include/exclude may have changed: list again, read what is new, re-check everything with the new severities.
    void analyzer?.scanWorkspace(false);
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    if (!analyzer) return;
    if (changes.some((c) => c.uri.endsWith(`/${CONFIG_FILE}`))) {
      analyzer.setConfig(loadConfig());
      void analyzer.scanWorkspace();
      return;
    }
    const files = changes
      .filter((c) => c.uri.startsWith('file:') && /\.[ch]$/.test(c.uri))
      .map((c) => ({ path: fileURLToPath(c.uri), deleted: c.type === FileChangeType.Deleted }));
    if (files.length) void analyzer.filesChanged(files);
  });

  connection.onCodeAction((params) => {
    if (!analyzer) return [];
    const document = analyzer.ensureCurrent(params.textDocument.uri);
    if (!document) return [];
    const findings = analyzer.currentFindings(document.uri);
    const wanted = new Set(
      params.context.diagnostics
        .filter((d) => d.source === 'kpath')
        .map((d) => (d.data as DiagnosticData | undefined)?.id)
        .filter((id): id is string => typeof id === 'string'),
    );
    const actions: CodeAction[] = [];
    for (const f of findings) {
      const diagnostic = analyzer.diagnosticOf(document.uri, f);
      if (!diagnostic) continue;
      const asked = wanted.size ? wanted.has(findingId(f)) : rangesIntersect(diagnostic.range, params.range);
      if (!asked) continue;
      const tree = analyzer.treeOf(document.uri, document.version);
      actions.push(
        ...codeActionsFor(f, {
          uri: document.uri,
          document,
          diagnostic,
          uriOf: (file) => names.uriOf(file),
          headerEnd: (name) => (tree ? declaratorEnd(tree, name) : undefined),
          headerText: (name) => (tree ? headerText(tree, name) : undefined),
          locksFromCallers: (finding) => locksFromCallers(analyzer!.currentProgram, finding),
        }),
      );
    }
    const only = params.context.only;
    return only ? actions.filter((a) => only.some((k) => a.kind === k || a.kind?.startsWith(`${k}.`))) : actions;
  });

  connection.onHover((params) => {
    if (!analyzer) return null;
    const document = analyzer.ensureCurrent(params.textDocument.uri);
    if (!document) return null;
    const { line, column } = pointOf(params.position);
    try {
      return hoverAt(analyzer.currentProgram, names.fileOf(document.uri), line, column, (f) => names.uriOf(f));
    } catch (err) {
      log(`kpath: hover failed: ${String(err)}`);
      return null;
    }
  });

  connection.onRequest(FindingsRequest, (params) => ({ findings: analyzer?.summaries(params.uri) ?? [] }));

  const runSimulation = (params: SimulateParams) => {
    if (!analyzer) throw new ResponseError(ErrorCodes.FindingNotFound, 'kpath: the server is not initialised');
    analyzer.ensureCurrent(params.finding.uri);
    const found = analyzer.findingOf(params.finding.uri, params.finding.id);
    if (!found) {
      throw new ResponseError(
        ErrorCodes.FindingNotFound,
        `kpath: no finding ${params.finding.id} in ${params.finding.uri} any more (edited since?); pick it again`,
      );
    }
    return simulate(found.finding, found.severity, params.finding.uri, params.options ?? {}, analyzer.currentProgram);
  };
  connection.onRequest(SimulateRequest, runSimulation);

  const reanalyze = async () => (analyzer ? analyzer.rescan(loadConfig()) : { files: 0, findings: 0 });
  connection.onRequest(ReanalyzeRequest, reanalyze);
  connection.onExecuteCommand(async (params) => {
    if (params.command === Commands.reanalyze) return reanalyze();
    // Editors other than VS Code send the code action's command here: reply with the trace.
    if (params.command === Commands.simulate && params.arguments?.[0]) {
      const result = runSimulation({ finding: params.arguments[0] as FindingRef });
      log(result.text);
      return result;
    }
    throw new ResponseError(-32601, `kpath: unknown command ${params.command}`);
  });

  connection.onShutdown(() => {
    analyzer?.dispose();
    parser?.delete();
  });

  documents.listen(connection);
  connection.listen();
  return connection;
}

/** The client's cache directory when it sent a usable one, else the command line's (or none). */
function cacheDirOf(init: InitializationOptions | undefined, fallback: string | undefined, warn: (message: string) => void): string | undefined {
  const asked = init?.cacheDir;
  if (asked === undefined || asked === null) return fallback;
  if (typeof asked === 'string' && isAbsolute(asked)) return asked;
  warn(`kpath: initializationOptions.cacheDir must be an absolute path, not ${JSON.stringify(asked)}; ${fallback ? `using ${fallback}` : 'files are read without an IR cache'}.`);
  return fallback;
}
