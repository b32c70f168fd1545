// Driving the VS Code workbench in Chromium: the few gestures the kpath scenario needs, each waiting
// for the element that proves the previous step landed (see VSCODE-E2E notes in ARCHITECTURE.md (the client section)).
import { chromium } from 'playwright-core';

export const TIMEOUT = 30_000;

export async function launchBrowser(env) {
  return chromium.launch({
    env,
    executablePath: process.env.KPATH_E2E_CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
      // Nothing leaves the machine: only the loopback code-server resolves.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
  });
}

/** Opens the workbench on `folder` with `file` in an editor (the authority must be exactly host:port). */
export async function openWorkbench(page, port, folder, file) {
  const payload = JSON.stringify([['openFile', `vscode-remote://127.0.0.1:${port}${file}`]]);
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);
  // The workbench paints before the remote side is usable; the explorer rows mean it is.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
  const name = file.slice(file.lastIndexOf('/') + 1);
  await page.locator(`.tabs-container .tab[aria-label*="${name}"]`).first().waitFor({ timeout: TIMEOUT });
  await page.locator('.editor-group-container .monaco-editor .view-lines').first().waitFor({ timeout: TIMEOUT });
}

/** The active editor's text, one string: `.view-lines` has no newlines and uses U+00A0 for spaces. */
export async function editorText(page) {
  const text = await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText();
  return text.replace(/\u00a0/g, ' ');
}

/** Waits until `predicate(text)` holds for the active editor's text; returns that text. */
export async function waitForEditorText(page, predicate, what) {
  const deadline = Date.now() + TIMEOUT;
  let text = '';
  while (Date.now() < deadline) {
    text = await editorText(page);
    if (predicate(text)) return text;
    await page.waitForTimeout(200);
  }
  throw new Error(`editor text never ${what}; last text: ${text.slice(0, 400)}`);
}

/** Runs a palette command by its full title ("kpath: Simulate Flagged Path..."). */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: TIMEOUT });
  await input.fill(`>${title}`);
  // Fuzzy matching lists other commands too: wait until the focused row is ours.
  await page
    .locator('.quick-input-widget .monaco-list-row.focused', { hasText: title.replace(/\.\.\.$/, '') })
    .first()
    .waitFor({ timeout: TIMEOUT });
  await page.keyboard.press('Enter');
}

/** Waits for a quick pick row containing `text` to be the focused one, then accepts it. */
export async function acceptQuickPick(page, text) {
  await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: text }).first().waitFor({ timeout: TIMEOUT });
  await page.keyboard.press('Enter');
}

/**
 * The Problems panel's rows as text, after opening it: level 2 are the problems (level 1 the files),
 * level 3 a problem's related information.
 */
export async function problemRows(page, level = 2) {
  const rows = page.locator(`.markers-panel .monaco-list-row[aria-level="${level}"]`);
  return (await rows.allInnerTexts()).map((t) => t.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim());
}

export async function openProblems(page) {
  await page.keyboard.press('Control+Shift+M');
  await page.locator('.markers-panel').first().waitFor({ timeout: TIMEOUT });
}

/** Polls `read()` until `predicate` holds on its value. */
export async function waitFor(page, read, predicate, what) {
  const deadline = Date.now() + TIMEOUT;
  let value;
  while (Date.now() < deadline) {
    value = await read();
    if (predicate(value)) return value;
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
}

/** The webview's document (two nested iframes in the web workbench). */
export function webviewFrame(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}
