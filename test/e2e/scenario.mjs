// The end-to-end scenario: what a kernel developer does with kpath in VS Code, asserted step by step
// on the fixture test/e2e/fixtures/mm-highmem.c (copied fresh into `workspace` for every run).
import { join } from 'node:path';
import {
  TIMEOUT,
  acceptQuickPick,
  openProblems,
  openWorkbench,
  problemRows,
  runCommand,
  waitFor,
  waitForEditorText,
  webviewFrame,
} from './workbench.mjs';

export async function runScenario({ page, port, workspace, results, log }) {
  const shot = (name) => page.screenshot({ path: join(results, `${name}.png`) });
  await openWorkbench(page, port, workspace, join(workspace, 'mm-highmem.c'));
  log('workbench open with mm-highmem.c');

  // The extension activated on the C file: its status bar item is there.
  await page.locator('.statusbar-item', { hasText: 'kpath' }).first().waitFor({ timeout: TIMEOUT });
  await shot('01-opened');
  log('kpath status bar item shown');
}
