// `npm run bench:lsp`: edit-to-diagnostics latency of the language server (see bench/lsp-run.ts).
// Bundles the server and the driver into .cache/bench/ the way esbuild.mjs does, then runs the driver.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundleOptions } from '../scripts/bundle-options.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(repo, '.cache', 'bench');
mkdirSync(out, { recursive: true });
const common = nodeBundleOptions;
for (const [name, src] of [
  ['lsp-server', 'server/src/lsp/main.ts'],
  // the server lowers a workspace of 64 files or more in workers, from the bundle next to it
  ['worker', 'server/src/host/worker.ts'],
  ['lsp-run', 'bench/lsp-run.ts'],
]) {
  await esbuild.build({ ...common, entryPoints: [join(repo, src)], outfile: join(out, `${name}.js`) });
}
const r = spawnSync(process.execPath, [join(out, 'lsp-run.js'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: repo });
process.exit(r.status ?? 1);
