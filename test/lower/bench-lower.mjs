// `npm run bench:lower`: bundles test/lower/bench-lower.ts with esbuild into .cache/bench/ and runs it.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const out = join(repo, '.cache', 'bench');
mkdirSync(out, { recursive: true });
await esbuild.build({
  entryPoints: [join(here, 'bench-lower.ts')],
  outfile: join(out, 'bench-lower.js'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  // web-tree-sitter reads import.meta.url; in a CommonJS bundle it must come from __filename.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
});
const r = spawnSync(process.execPath, [join(out, 'bench-lower.js'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: repo });
process.exit(r.status ?? 1);
