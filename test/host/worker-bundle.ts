/**
 * Tests run from source, but Node cannot start a TypeScript file as a worker thread: build the
 * worker bundle (as esbuild.mjs builds dist/worker.js) into a temporary directory once per test
 * file. Grammars reach workers as bytes, so the bundle may live anywhere.
 */
import * as esbuild from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** Returns the bundle's path; the caller removes its directory. `lowerStub`: a module that replaces engine/lower/index.ts for the pipeline (fault injection). */
export async function buildWorkerBundle(lowerStub?: string): Promise<string> {
  const plugins: esbuild.Plugin[] = [];
  if (lowerStub) {
    plugins.push({
      name: 'lower-stub',
      setup(build) {
        build.onResolve({ filter: /lower\/index$/ }, (args) =>
          args.importer.endsWith('pipeline.ts') ? { path: resolve(lowerStub) } : undefined,
        );
      },
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'kpath-worker-'));
  const outfile = join(dir, 'worker.js');
  await esbuild.build({
    entryPoints: [resolve(__dirname, '../../server/src/host/worker.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
    logLevel: 'error',
    plugins,
  });
  return outfile;
}
