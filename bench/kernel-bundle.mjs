// Builds what the benchmarks run into .cache/bench/ (git-ignored) and starts the orchestrator:
// `node bench/kernel-bundle.mjs <orchestrator.ts>`. Needs only what `npm install` installs: esbuild
// bundles the TypeScript sources (the engine, the host, the worker) the same way esbuild.mjs does.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeBundleOptions } from '../scripts/bundle-options.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(repo, '.cache', 'bench');

export async function buildAndRun(orchestrator) {
  mkdirSync(out, { recursive: true });
  const common = nodeBundleOptions;
  const entries = [
    ['worker', 'server/src/host/worker.ts'],
    ['kernel-phase', 'bench/kernel-phase.ts'],
    [basename(orchestrator, '.ts'), orchestrator],
  ];
  for (const [name, src] of entries) {
    await esbuild.build({ ...common, entryPoints: [join(repo, src)], outfile: join(out, `${name}.js`) });
  }
  const r = spawnSync(process.execPath, [join(out, `${basename(orchestrator, '.ts')}.js`), ...process.argv.slice(2)], {
    stdio: 'inherit',
    cwd: repo,
  });
  process.exit(r.status ?? 1);
}
