// Builds kpath: copies the two wasm binaries into grammars/ and bundles every entry point into dist/.
// Runs from `npm install` (prepare) and `npm run build`; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
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

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external: ['vscode'],
  // web-tree-sitter reads import.meta.url; in a CommonJS bundle it must come from __filename.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
};

const watch = process.argv.includes('--watch');
for (const [name, src] of entries) {
  const options = { ...common, entryPoints: [src], outfile: `dist/${name}.js` };
  if (watch) await (await esbuild.context(options)).watch();
  else await esbuild.build(options);
}
