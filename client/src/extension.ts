/**
 * kpath's VS Code extension: a thin client. It starts the language server (dist/server.js, which does
 * all the analysis) over IPC and adds what LSP has no standard UI for: a status bar item, palette
 * commands and the simulation view. Each feature lives in its own file with an `activate(ctx, client)`.
 */
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './languageClient';
import * as status from './status';
import * as commands from './commands';

let client: LanguageClient | undefined;

export async function activate(ctx: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('kpath');
  ctx.subscriptions.push(output);
  client = createLanguageClient(ctx, output);
  // Features register their handlers before start so they survive "Restart Server".
  status.activate(ctx, client);
  commands.activate(ctx, client, output);
  await vscode.commands.executeCommand('setContext', 'kpath.active', true);
  try {
    await client.start();
  } catch (error) {
    // The status item and the output channel say what went wrong; the commands still offer a restart.
    output.appendLine(`kpath: the language server failed to start: ${String(error)}`);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
