// `npm run bench:sim`: the simulator's speed (see bench/sim.ts). Bundles the driver with esbuild into
// .cache/bench/ (esbuild is already a dependency; no TypeScript runner needed), then runs it.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(repo, '.cache', 'bench');
mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: [join(repo, 'bench', 'sim.ts')],
  outfile: join(out, 'sim.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, [join(out, 'sim.js'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: repo });
process.exit(r.status ?? 1);
