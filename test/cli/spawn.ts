/**
 * Builds the CLI bundle and runs `node bin/kpath.js` as a user would. Only the two bundles the CLI
 * needs are built (dist/cli.js and the host's dist/worker.js), with the options of esbuild.mjs, so
 * this suite does not depend on other entry points building at the same moment.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { nodeBundleOptions } from '../../scripts/bundle-options.mjs';

export const REPO = resolve(__dirname, '..', '..');
export const KPATH_BIN = join(REPO, 'bin', 'kpath.js');

export async function buildCliBundles(): Promise<void> {
  for (const [name, src] of [
    ['cli', 'server/src/cli/main.ts'],
    ['worker', 'server/src/host/worker.ts'],
  ]) {
    await build({
      entryPoints: [join(REPO, src)],
      outfile: join(REPO, 'dist', `${name}.js`),
      ...nodeBundleOptions,
      logLevel: 'silent',
    });
  }
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs kpath in `cwd` (default: the repository) with a clean environment: no colour, no CI bar. */
export function kpath(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): RunResult {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env };
  const r = spawnSync(process.execPath, [KPATH_BIN, ...args], { cwd: options.cwd ?? REPO, env, encoding: 'utf8', timeout: 120_000 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
