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
  message: "pte_offset() may block (persistent kmap, PAGETABLE serie) while 'mm->page_table_lock' is held (taken at mm-highmem.c:11)",
  position: '[Ln 12, Col 8]',
  line: 'pte = pte_offset(pmd, address);',
  fixed: 'pte = pte_offset_atomic(pmd, address);',
  /** The finding's path, as related information. */
  related: "mm-highmem.c [Ln 11, Col 2] : 'mm->page_table_lock' taken by spin_lock()",
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
  const squiggle = page.locator('.editor-group-container .monaco-editor .squiggly-warning');
  await squiggle.first().waitFor({ timeout: TIMEOUT });
  await openProblems(page);
  const rows = await waitFor(page, () => problemRows(page), (r) => r.some((t) => t.includes(SLEEP.position)), 'the sleep-in-atomic problem');
  const sleepRow = rows.find((t) => t.includes(SLEEP.position));
  // The row: message, source, rule id (a link to its documentation), position.
  assert(sleepRow === `${SLEEP.message} kpath ${SLEEP.rule} ${SLEEP.position}`, `Problems row is exact: ${sleepRow}`);
  assert(rows.some((t) => t.includes(REENTRY.rule) && t.includes(REENTRY.position)), `Problems lists the kmap re-entry: ${rows.join(' | ')}`);
  assert(rows.length === 2, `two problems: ${rows.join(' | ')}`);
  const related = await problemRows(page, 3);
  assert(related.includes(SLEEP.related), `related information names where the lock was taken: ${related.join(' | ')}`);
  await page.locator('.statusbar-item', { hasText: 'kpath: 2 findings' }).first().waitFor({ timeout: TIMEOUT });
  await shot('01-squiggle-and-problems');
  log(`squiggle and Problems entry: ${sleepRow}`);

  // 2. The quick fix through the lightbulb menu: click into the squiggle, Control+., Enter.
  const squiggles = await squiggle.count();
  const menu = await openLightbulbMenu(page, squiggle.first(), log);
  await waitFor(page, () => menu.innerText(), (t) => t.includes('pte_offset_atomic'), 'the pte_offset_atomic fix in the menu');
  await shot('02-quick-fix-menu');
  // The preferred fix comes first and is focused: Enter runs it (a click would hit the pointer-block overlay).
  assert((await menu.locator('.monaco-list-row.focused').innerText()).includes('Use pte_offset_atomic()'), 'the preferred fix is focused');
  await page.keyboard.press('Enter');
  await waitFor(page, () => editorText(page), (t) => t.includes(SLEEP.fixed), 'the fixed line in the editor');
  assert(!(await editorText(page)).includes(SLEEP.line), 'the old pte_offset call is gone');
  await waitFor(page, () => problemRows(page), (r) => !r.some((t) => t.includes(SLEEP.position)), 'the sleep-in-atomic problem to go');
  await waitFor(page, () => squiggle.count(), (n) => n < squiggles, 'one squiggle fewer');
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
  const stepCount = await steps.count();
  assert(stepCount > 1, 'the trace has steps');
  assert((await view.locator('#position').innerText()) === `Step 1 of ${stepCount}`, 'the view starts at the first step');
  await shot('04-simulation');
  log(`simulation view: verdict ${REENTRY.verdict}, ${stepCount} steps`);

  // 4. Selecting a step reveals its source line in the editor (the cursor moves to it; the status bar
  // does not show it while the webview has the focus, the editor's active line number does).
  const step = view.locator('#steps li.step.has-source').last();
  const where = await step.locator('.step-where').innerText(); // "mm-highmem.c:23"
  const line = Number(where.slice(where.lastIndexOf(':') + 1));
  await step.click();
  const activeLine = page.locator('.editor-group-container .monaco-editor .line-numbers.active-line-number').first();
  await waitFor(page, () => activeLine.innerText(), (t) => t.trim() === String(line), `the cursor on line ${line}`);
  await shot('05-step-revealed');
  log(`step at ${where} revealed`);

  // 5. The "Simulate this path" code action replays the finding under the cursor with the defaults; the
  // view shows the new trace from its first step.
  await openLightbulbMenu(page, squiggle.first(), log);
  await chooseAction(page, 'Simulate this path');
  await waitFor(page, () => view.locator('#position').innerText(), (t) => t === `Step 1 of ${stepCount}`, 'the new trace at its first step');
  assert((await verdict.innerText()) === REENTRY.verdict, 'the code action replays to the same verdict');
  log('"Simulate this path" code action replayed the finding');

  // 6. "kpath: Re-analyse Workspace": a server command, which the client wraps to report the outcome.
  await runCommand(page, 'kpath: Re-analyse Workspace');
  await page.locator('.notification-toast', { hasText: 'kpath: analysed 1 file, 1 finding.' }).first().waitFor({ timeout: TIMEOUT });
  await shot('06-reanalysed');
  log('workspace re-analysed: 1 file, 1 finding');
}

/**
 * Clicks into `squiggle` and opens the lightbulb menu with Control+. . On a loaded machine the keypress
 * can reach the workbench before the click has moved the editor's focus and cursor, and VS Code then
 * shows no menu; so this waits for the editor to have the focus, and presses again (up to three times,
 * each logged) when no menu came within 10 s.
 */
async function openLightbulbMenu(page, squiggle, log) {
  const menu = page.locator('.action-widget');
  const focusedEditor = page.locator('.editor-group-container .monaco-editor.focused');
  for (let attempt = 1; attempt <= 3; attempt++) {
    const box = await squiggle.boundingBox();
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await focusedEditor.first().waitFor({ timeout: TIMEOUT });
    await page.keyboard.press('Control+.');
    try {
      await menu.waitFor({ timeout: 10_000 });
      return menu;
    } catch {
      log(`no lightbulb menu after Control+. (attempt ${attempt}); pressing Escape and trying again`);
      await page.keyboard.press('Escape');
    }
  }
  throw new Error('the lightbulb menu did not open after three attempts');
}

/** Moves the focus down the open lightbulb menu to the action titled `title` and runs it (Enter, never a click). */
async function chooseAction(page, title) {
  const focused = page.locator('.action-widget .monaco-list-row.focused');
  for (let i = 0; i < 10; i++) {
    if ((await focused.count()) > 0 && (await focused.first().innerText()).includes(title)) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(100);
  }
  throw new Error(`no action "${title}" in the lightbulb menu: ${await page.locator('.action-widget').innerText()}`);
}

function assert(condition, what) {
  if (!condition) throw new Error(`assertion failed: ${what}`);
}
