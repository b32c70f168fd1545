// The esbuild options every Node bundle of kpath uses (the build, the benchmarks, the tests that
// bundle an entry of their own): one place, so a bundle made for a test is the bundle that ships.
export const nodeBundleOptions = {
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
