/**
 * Tests run from source, but Node cannot start a TypeScript file as a worker thread: build the
 * worker bundle (as esbuild.mjs builds dist/worker.js) into a temporary directory once per test
 * file. Grammars reach workers as bytes, so the bundle may live anywhere.
 */
import * as esbuild from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export async function buildWorkerBundle(): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'kpath-worker-')), 'worker.js');
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
  });
  return outfile;
}
