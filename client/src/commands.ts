/**
 * The palette commands of category "kpath" that the client implements: "Simulate Flagged Path..."
 * and "Restart Server". ("Re-analyse Workspace" is a server command; languageClient.ts wraps it.)
 */
import * as vscode from 'vscode';
import { LSPErrorCodes, ResponseError, type LanguageClient } from 'vscode-languageclient/node';
import {
  Commands,
  ErrorCodes,
  FindingsRequest,
  SimulateRequest,
  type FindingRef,
  type FindingSummary,
  type SimulationOptions,
} from '../../server/src/shared/protocol';
import { findingPicks } from './findingPicks';
import { validateCount, type CountParameter } from './parameters';
import { simulationDefaults, type SimulationDefaults } from './settings';
import { SimulationPanel } from './simulationView';

export function activate(ctx: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel): void {
  ctx.subscriptions.push(
    // Code actions pass a FindingRef; the editor context menu passes the document's URI, the palette nothing.
    vscode.commands.registerCommand(Commands.simulate, (arg?: unknown) =>
      simulate(ctx, client, output, isFindingRef(arg) ? arg : undefined),
    ),
    vscode.commands.registerCommand(Commands.restartServer, async () => {
      output.appendLine('kpath: restarting the language server');
      await client.restart();
    }),
  );
}

/**
 * From a code action ("Simulate this path") the finding is given and the settings' defaults are used;
 * from the palette the user picks a finding, then the parameters.
 */
async function simulate(
  ctx: vscode.ExtensionContext,
  client: LanguageClient,
  output: vscode.OutputChannel,
  given: FindingRef | undefined,
): Promise<void> {
  if (!client.isRunning()) {
    void vscode.window.showErrorMessage('kpath: the language server is not running. Try "kpath: Restart Server".');
    return;
  }
  const ref = given ?? (await pickFinding(client));
  if (!ref) return;
  const defaults = simulationDefaults(vscode.Uri.parse(ref.uri));
  const options = given ? defaults : await pickOptions(defaults);
  if (!options) return;
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'kpath: simulating', cancellable: true },
      (_progress, token) => client.sendRequest(SimulateRequest, { finding: ref, options }, token),
    );
    SimulationPanel.show(ctx, result);
  } catch (error) {
    if (error instanceof vscode.CancellationError) return;
    if (error instanceof ResponseError && error.code === LSPErrorCodes.RequestCancelled) return;
    if (error instanceof ResponseError && error.code === ErrorCodes.FindingNotFound) {
      void vscode.window.showWarningMessage('kpath: that finding has changed since it was listed; pick it again.');
    } else if (error instanceof ResponseError && error.code === ErrorCodes.SimulationFailed) {
      void vscode.window.showErrorMessage(error.message); // the server's words name the bad parameter
    } else {
      output.appendLine(`kpath: simulate failed: ${String(error)}`);
      void vscode.window.showErrorMessage(`kpath: the simulation failed: ${String(error)}`);
    }
  }
}

async function pickFinding(client: LanguageClient): Promise<FindingRef | undefined> {
  const { findings } = await client.sendRequest(FindingsRequest, {});
  if (findings.length === 0) {
    void vscode.window.showInformationMessage('kpath: no findings to simulate in this workspace.');
    return undefined;
  }
  // With the simulation view focused there is no active editor: the visible one stands in.
  const editor = vscode.window.activeTextEditor ?? vscode.window.visibleTextEditors[0];
  const activeUri = editor?.document.uri.toString();
  const picks = findingPicks(findings, activeUri, (uri) => vscode.workspace.asRelativePath(vscode.Uri.parse(uri)));
  type Item = vscode.QuickPickItem & { finding?: FindingSummary };
  const items: Item[] = [];
  for (const [i, pick] of picks.entries()) {
    if (i === 0 || picks[i - 1].group !== pick.group) {
      items.push({ label: pick.group, kind: vscode.QuickPickItemKind.Separator });
    }
    items.push({ label: pick.label, description: pick.description, detail: pick.detail, finding: pick.finding });
  }
  const chosen = await vscode.window.showQuickPick(items, {
    title: 'kpath: Simulate Flagged Path',
    placeHolder: 'Pick the finding whose path to replay',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return chosen?.finding && { uri: chosen.finding.uri, id: chosen.finding.id };
}

function isFindingRef(value: unknown): value is FindingRef {
  const v = value as Partial<FindingRef> | null | undefined;
  return typeof v?.uri === 'string' && typeof v.id === 'string';
}

type OptionsItem = vscode.QuickPickItem & { choice: 'defaults' | 'min-tasks' | 'custom' };

async function pickOptions(defaults: SimulationDefaults): Promise<SimulationOptions | undefined> {
  const machine = `${defaults.cpus} CPUs, pool of ${defaults.pool}, ${defaults.preempt ? 'preemptible' : 'no preemption'}`;
  const items: OptionsItem[] = [
    { choice: 'defaults', label: `${defaults.tasks} tasks, ${machine}`, description: 'settings kpath.simulation.*' },
    { choice: 'min-tasks', label: 'Smallest number of tasks that fails', description: machine },
    { choice: 'custom', label: 'Choose tasks, CPUs, pool and preemption...' },
  ];
  const chosen = await vscode.window.showQuickPick(items, {
    title: 'kpath: Simulate Flagged Path: parameters',
    placeHolder: 'How to run the replay',
  });
  if (!chosen) return undefined;
  if (chosen.choice === 'defaults') return { ...defaults };
  if (chosen.choice === 'min-tasks') return { ...defaults, minTasks: true };
  const tasks = await askCount('tasks', 'Concurrent tasks running the path', defaults.tasks);
  if (tasks === undefined) return undefined;
  const cpus = await askCount('cpus', 'CPUs', defaults.cpus);
  if (cpus === undefined) return undefined;
  const pool = await askCount('pool', 'Slots in each kmap serie pool', defaults.pool);
  if (pool === undefined) return undefined;
  const preempt = await vscode.window.showQuickPick(
    [
      { label: 'No preemption', description: 'Linux 2.4', preempt: false },
      { label: 'Preemptible outside atomic sections', description: 'modern kernels', preempt: true },
    ],
    { title: 'kpath: Simulate Flagged Path: preemption model' },
  );
  if (!preempt) return undefined;
  return { tasks, cpus, pool, preempt: preempt.preempt };
}

async function askCount(name: CountParameter, prompt: string, value: number): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title: `kpath: Simulate Flagged Path: ${name}`,
    prompt,
    value: String(value),
    validateInput: (input) => validateCount(name, input),
  });
  return text === undefined ? undefined : Number(text);
}
