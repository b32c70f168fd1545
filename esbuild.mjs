// Builds kpath: copies the two wasm binaries into grammars/ and bundles every entry point into dist/.
// Runs from `npm install` (prepare) and `npm run build`; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { nodeBundleOptions } from './scripts/bundle-options.mjs';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
mkdirSync('grammars', { recursive: true });
copyFileSync(join(dirname(require.resolve('web-tree-sitter')), 'tree-sitter.wasm'), 'grammars/tree-sitter.wasm');
copyFileSync(join(dirname(require.resolve('tree-sitter-c/package.json')), 'tree-sitter-c.wasm'), 'grammars/tree-sitter-c.wasm');

// [bundle, entry point]; every entry listed must exist.
const entries = [
  ['cli', 'server/src/cli/main.ts'],
  ['server', 'server/src/lsp/main.ts'],
  ['worker', 'server/src/host/worker.ts'],
  ['client', 'client/src/extension.ts'],
].filter(([, src]) => existsSync(src));

const common = nodeBundleOptions;

const watch = process.argv.includes('--watch');
for (const [name, src] of entries) {
  const options = { ...common, entryPoints: [src], outfile: `dist/${name}.js` };
  if (watch) await (await esbuild.context(options)).watch();
  else await esbuild.build(options);
}
