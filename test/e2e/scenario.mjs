// The end-to-end scenario: what a kernel developer does with kpath in VS Code, asserted step by step
// on the fixture test/e2e/fixtures/mm-highmem.c (copied fresh into `workspace` for every run):
// the squiggle and its Problems entry, the quick fix through the lightbulb menu, and the simulation
// of the other finding from the palette, its webview, and a step revealing its source line.
import { join } from 'node:path';
import {
  TIMEOUT,
  acceptQuickPick,
  editorText,
  openProblems,
  openWorkbench,
  problemRows,
  runCommand,
  waitFor,
  webviewFrame,
} from './workbench.mjs';

/** What kpath must report on the fixture (1-based lines and columns, as the Problems panel shows them). */
const SLEEP = {
  rule: 'sleep-in-atomic',
  message: "pte_offset() may sleep while 'mm->page_table_lock' is held",
  position: '[Ln 12, Col 8]',
  line: 'pte = pte_offset(pmd, address);',
  fixed: 'pte = pte_offset_atomic(pmd, address);',
};
const REENTRY = {
  rule: 'kmap-serie-reentry',
  position: '[Ln 23, Col 8]',
  verdict: 'deadlock',
};

export async function runScenario({ page, port, workspace, results, log }) {
  const shot = (name) => page.screenshot({ path: join(results, `${name}.png`) });
  await openWorkbench(page, port, workspace, join(workspace, 'mm-highmem.c'));
  log('workbench open with mm-highmem.c');

  // 1. The squiggle, and the Problems entry with the exact message and position.
  const errors = page.locator('.editor-group-container .monaco-editor .squiggly-error');
  await errors.first().waitFor({ timeout: TIMEOUT });
  await openProblems(page);
  const rows = await waitFor(page, () => problemRows(page), (r) => r.some((t) => t.includes(SLEEP.position)), 'the sleep-in-atomic problem');
  const sleepRow = rows.find((t) => t.includes(SLEEP.position));
  assert(sleepRow.includes(SLEEP.message), `Problems row has the message: ${sleepRow}`);
  assert(sleepRow.includes(SLEEP.rule), `Problems row names the rule: ${sleepRow}`);
  assert(rows.some((t) => t.includes(REENTRY.rule) && t.includes(REENTRY.position)), `Problems lists the kmap re-entry: ${rows.join(' | ')}`);
  await page.locator('.statusbar-item', { hasText: `kpath: ${rows.length} finding` }).first().waitFor({ timeout: TIMEOUT });
  await shot('01-squiggle-and-problems');
  log(`squiggle and Problems entry: ${sleepRow}`);

  // 2. The quick fix through the lightbulb menu: click into the squiggle, Control+., Enter.
  const squiggles = await errors.count();
  const box = await errors.first().boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.press('Control+.');
  const menu = page.locator('.action-widget');
  await menu.waitFor({ timeout: TIMEOUT });
  await waitFor(page, () => menu.innerText(), (t) => t.includes('pte_offset_atomic'), 'the pte_offset_atomic fix in the menu');
  await shot('02-quick-fix-menu');
  await page.keyboard.press('Enter'); // the preferred fix is focused; a click would hit the pointer-block overlay
  await waitFor(page, () => editorText(page), (t) => t.includes(SLEEP.fixed), 'the fixed line in the editor');
  assert(!(await editorText(page)).includes(SLEEP.line), 'the old pte_offset call is gone');
  await waitFor(page, () => problemRows(page), (r) => !r.some((t) => t.includes(SLEEP.position)), 'the sleep-in-atomic problem to go');
  await waitFor(page, () => errors.count(), (n) => n < squiggles, 'one squiggle fewer');
  await shot('03-fixed');
  log('quick fix applied: pte_offset -> pte_offset_atomic, diagnostic gone');

  // 3. "kpath: Simulate Flagged Path..." from the palette: pick the re-entry, keep the defaults.
  await runCommand(page, 'kpath: Simulate Flagged Path...');
  await acceptQuickPick(page, REENTRY.rule);
  await acceptQuickPick(page, '2 tasks, 2 CPUs, pool of 2');
  const view = webviewFrame(page);
  const verdict = view.locator('#verdict');
  await verdict.waitFor({ timeout: TIMEOUT });
  assert((await verdict.innerText()) === REENTRY.verdict, `verdict is ${REENTRY.verdict}: ${await verdict.innerText()}`);
  const steps = view.locator('#steps li.step');
  assert((await steps.count()) > 1, 'the trace has steps');
  await shot('04-simulation');
  log(`simulation view: verdict ${REENTRY.verdict}, ${await steps.count()} steps`);

  // 4. Selecting a step reveals its source line in the editor (the cursor moves to it).
  const step = view.locator('#steps li.step.has-source').last();
  const where = await step.locator('.step-where').innerText(); // "mm-highmem.c:23"
  const line = Number(where.slice(where.lastIndexOf(':') + 1));
  await step.click();
  await page.locator('.statusbar-item', { hasText: `Ln ${line}, Col 1` }).first().waitFor({ timeout: TIMEOUT });
  await shot('05-step-revealed');
  log(`step at ${where} revealed`);
}

function assert(condition, what) {
  if (!condition) throw new Error(`assertion failed: ${what}`);
}
