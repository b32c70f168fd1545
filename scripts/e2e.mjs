#!/usr/bin/env node
// `npm run test:e2e`: kpath in a real VS Code. Installs code-server once (cached under .cache/e2e/),
// packages the extension, installs the .vsix into a fresh code-server, drives it in Debian's headless
// Chromium through test/e2e/scenario.mjs and saves screenshots and logs in test-results/e2e/.
// Exit status 0 when every assertion held, 1 otherwise.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setupCodeServer, codeServerBin } from './e2e-setup.mjs';
import { freePort, installExtension, isolatedEnv, prepareRun, startCodeServer, stopProcessGroup } from '../test/e2e/codeServer.mjs';
import { launchBrowser } from '../test/e2e/workbench.mjs';
import { runScenario } from '../test/e2e/scenario.mjs';
import { checkVsix } from '../test/e2e/vsix.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(repoRoot, 'test-results', 'e2e');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (message) => process.stderr.write(`[e2e ${elapsed()}] ${message}\n`);

rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

setupCodeServer();
log('code-server ready');

// The extension exactly as users get it: `npm run package` (build + vsce). KPATH_E2E_NO_BUILD=1 packages
// the dist/ already there (while iterating on the scenario).
const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const packageCommand = process.env.KPATH_E2E_NO_BUILD ? ['exec', '--', 'vsce', 'package', '--no-dependencies'] : ['run', '--silent', 'package'];
execFileSync('npm', packageCommand, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
const vsix = join(repoRoot, `kpath-${version}.vsix`);
const entries = checkVsix(vsix);
log(`packaged ${vsix}: ${entries.length} entries, ${(statSync(vsix).size / 1024).toFixed(0)} KiB, contents as allowed`);

// A fresh run folder per run: the web workbench auto-saves, so the fixture must start pristine.
const run = mkdtempSync(join(tmpdir(), 'kpath-e2e-'));
const workspace = join(run, 'workspace');
cpSync(join(repoRoot, 'test', 'e2e', 'fixtures'), workspace, { recursive: true });
prepareRun(run, {
  'workbench.startupEditor': 'none',
  // Dark, as most kernel developers' editors: the screenshots show the webview follows the theme.
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'kpath.simulation.tasks': 2,
  'kpath.simulation.cpus': 2,
  'kpath.simulation.pool': 2,
});
installExtension(codeServerBin, run, vsix);
log('extension installed');

let server;
let browser;
let failed = false;
const cleanup = async () => {
  await browser?.close().catch(() => {});
  await stopProcessGroup(server);
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => void cleanup().then(() => process.exit(130)));
}
try {
  const port = await freePort();
  server = await startCodeServer({ codeServerEntry: codeServerBin, run, port, workspace, logFile: join(results, 'code-server.log') });
  log(`code-server listening on 127.0.0.1:${port}`);
  browser = await launchBrowser(isolatedEnv(run));
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    await runScenario({ page, port, workspace, results, log });
  } catch (error) {
    failed = true;
    await page.screenshot({ path: join(results, 'failure.png') }).catch(() => {});
    log(`FAILED: ${error?.stack ?? error}`);
  }
} catch (error) {
  failed = true;
  log(`FAILED: ${error?.stack ?? error}`);
} finally {
  await cleanup();
  // The extension host's logs say why a server did not start; keep them with the screenshots.
  try {
    cpSync(join(run, 'user-data', 'logs'), join(results, 'logs'), { recursive: true });
  } catch {
    log('code-server wrote no logs');
  }
  rmSync(run, { recursive: true, force: true });
}
log(failed ? `end-to-end test FAILED (artifacts in ${results})` : `end-to-end test passed (screenshots in ${results})`);
process.exit(failed ? 1 : 0);
