/**
 * `kpath`: the command-line entry point, bundled to dist/cli.js and started by bin/kpath.js. It only
 * hands the process to `runCli` and sets `process.exitCode` (never `process.exit()`, which could cut
 * off output still being written to a pipe). It also keeps V8's heap near its live size (heap.ts).
 */
import { limitHeapGrowth } from '../host/heap';
import { EXIT, processIo } from './io';
import { runCli } from './run';

limitHeapGrowth();

// `kpath check | head`: once the reader is gone, nothing more can be said to it; not a crash.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`kpath: internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = EXIT.internal;
  },
);
