/**
 * The status bar item: what the server is doing (analysing n/m files) and how many findings it
 * currently publishes. Clicking it opens the Problems panel.
 */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { StatusNotification } from '../../server/src/shared/protocol';
import { describeStatus, type StatusShown } from './statusText';

export function activate(ctx: vscode.ExtensionContext, client: LanguageClient): void {
  const item = vscode.window.createStatusBarItem('kpath.status', vscode.StatusBarAlignment.Left, 0);
  item.name = 'kpath';
  item.command = 'workbench.actions.view.problems';
  render(item, { kind: 'starting' });
  item.show();
  ctx.subscriptions.push(
    item,
    client.onNotification(StatusNotification, (params) => render(item, { kind: 'status', params })),
    client.onDidChangeState(({ newState }) => {
      if (newState === State.Stopped) render(item, { kind: 'stopped' });
      if (newState === State.Starting) render(item, { kind: 'starting' });
    }),
  );
}

function render(item: vscode.StatusBarItem, shown: StatusShown): void {
  const { text, tooltip } = describeStatus(shown);
  item.text = text;
  item.tooltip = tooltip;
}
