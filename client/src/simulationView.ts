/**
 * The simulation view: one webview panel showing the latest replay (verdict, the server's SVG
 * timeline, the steps). Selecting a step in it reveals the step's source line in an editor and
 * highlights it. The webview only sends step indexes; file names come from the trace held here.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { SimulateResult } from '../../server/src/shared/protocol';
import { simulationHtml } from './simulationHtml';
import { readTrace, type TraceStep } from './trace';

/** Messages the webview script (media/simulation.js) posts. */
type FromWebview = { type: 'select'; step: number };

export class SimulationPanel {
  private static current: SimulationPanel | undefined;
  private readonly highlight: vscode.TextEditorDecorationType;
  private result: SimulateResult | undefined;
  private steps: TraceStep[] = [];

  static show(ctx: vscode.ExtensionContext, result: SimulateResult): void {
    if (!SimulationPanel.current) {
      const media = vscode.Uri.joinPath(ctx.extensionUri, 'media');
      const panel = vscode.window.createWebviewPanel(
        'kpath.simulation',
        'kpath: Simulation',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
        { enableScripts: true, localResourceRoots: [media], enableFindWidget: true },
      );
      panel.iconPath = vscode.Uri.joinPath(media, 'icon.png');
      SimulationPanel.current = new SimulationPanel(panel, media);
    }
    SimulationPanel.current.render(result);
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly media: vscode.Uri,
  ) {
    this.highlight = vscode.window.createTextEditorDecorationType({
      isWholeLine: true,
      backgroundColor: new vscode.ThemeColor('editor.rangeHighlightBackground'),
      overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.rangeHighlightForeground'),
      overviewRulerLane: vscode.OverviewRulerLane.Full,
    });
    panel.webview.onDidReceiveMessage((message: FromWebview) => {
      if (message?.type === 'select' && Number.isInteger(message.step)) void this.reveal(message.step);
    });
    panel.onDidDispose(() => {
      this.highlight.dispose();
      SimulationPanel.current = undefined;
    });
  }

  private render(result: SimulateResult): void {
    this.result = result;
    this.steps = readTrace(result.trace).steps;
    const webview = this.panel.webview;
    this.panel.title = `kpath: ${result.verdict} (${result.finding.function})`;
    webview.html = simulationHtml(
      result,
      {
        cspSource: webview.cspSource,
        nonce: randomBytes(16).toString('base64'),
        scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.media, 'simulation.js')).toString(),
        styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.media, 'simulation.css')).toString(),
      },
      (uri) => vscode.workspace.asRelativePath(vscode.Uri.parse(uri)),
    );
    this.panel.reveal(undefined, false);
  }

  /** Shows the step's line beside the panel and highlights it; keeps the focus in the panel. */
  private async reveal(index: number): Promise<void> {
    const step = this.steps[index];
    if (!this.result || step?.file === undefined || step.line === undefined) return;
    const uri = stepUri(step.file, vscode.Uri.parse(this.result.finding.uri));
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(uri);
    } catch {
      void vscode.window.showWarningMessage(`kpath: cannot open ${step.file}`);
      return;
    }
    const line = Math.min(step.line - 1, document.lineCount - 1);
    const range = document.lineAt(line).range;
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === document.uri.toString());
    const column =
      visible?.viewColumn ?? (this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One);
    const editor = await vscode.window.showTextDocument(document, { viewColumn: column, preserveFocus: true });
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    for (const other of vscode.window.visibleTextEditors) other.setDecorations(this.highlight, []);
    editor.setDecorations(this.highlight, [range]);
  }
}

/** A step's file as the server reports it: a URI, an absolute path, or a path relative to the finding's folder. */
function stepUri(file: string, findingUri: vscode.Uri): vscode.Uri {
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(file)) return vscode.Uri.parse(file);
  if (file.startsWith('/') || /^[a-z]:[\\/]/i.test(file)) return vscode.Uri.file(file);
  const folder = vscode.workspace.getWorkspaceFolder(findingUri)?.uri ?? vscode.Uri.joinPath(findingUri, '..');
  return vscode.Uri.joinPath(folder, file);
}
