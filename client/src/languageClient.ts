/**
 * Creates the language client: which server to start, which documents it sees, what it is told when
 * settings or files change. The server reads the `kpath` settings itself (workspace/configuration).
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { Commands } from '../../server/src/shared/protocol';
import { plural } from './format';

/** C sources (also unsaved ones) and headers, which VS Code opens as C++ by default. */
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'c' },
  { scheme: 'untitled', language: 'c' },
  { scheme: 'file', pattern: '**/*.h' },
];

export function createLanguageClient(ctx: vscode.ExtensionContext, output: vscode.OutputChannel): LanguageClient {
  const module = ctx.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    // The IR of workspace files, keyed by their bytes, kept in this workspace's storage: reopening
    // the workspace parses only the files that changed since (the server creates the directory).
    initializationOptions: { cacheDir: join((ctx.storageUri ?? ctx.globalStorageUri).fsPath, 'ir-cache') },
    outputChannel: output,
    synchronize: {
      configurationSection: 'kpath',
      // Background analysis follows files changed outside the editor (git checkout, a build).
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/.kpath.json'),
        vscode.workspace.createFileSystemWatcher('**/*.{c,h}'),
      ],
    },
    middleware: {
      // "Re-analyse Workspace" is a server command; wrap it to show progress and the outcome.
      executeCommand: async (command, args, next) => {
        if (command !== Commands.reanalyze) return next(command, args);
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'kpath: re-analysing the workspace' },
          () => Promise.resolve(next(command, args)),
        );
        if (isReanalyzeResult(result)) {
          void vscode.window.showInformationMessage(
            `kpath: analysed ${plural(result.files, 'file')}, ${plural(result.findings, 'finding')}.`,
          );
        }
        return result;
      },
    },
  };
  // The id 'kpath' makes the client honour the `kpath.trace.server` setting.
  return new LanguageClient('kpath', 'kpath', serverOptions, clientOptions);
}

function isReanalyzeResult(value: unknown): value is { files: number; findings: number } {
  const v = value as { files?: unknown; findings?: unknown } | null | undefined;
  return typeof v?.files === 'number' && typeof v.findings === 'number';
}
