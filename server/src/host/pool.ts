/**
 * A pool of worker threads that run the file pipeline (pipeline.ts) over a list of files. Work is
 * handed out one file at a time from a shared queue, largest files first, so no worker is left with
 * a big file at the end while the others idle. A worker that dies (an abort in the wasm parser,
 * out of memory) costs only the file it was working on: that file gets an `InputError` and a new
 * worker takes over the rest of the queue.
 *
 * Workers run the bundle `dist/worker.js` (built from worker.ts by esbuild.mjs): Node cannot start
 * a TypeScript file as a worker, so running from source (tests) needs that bundle built first.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { GrammarBinaries } from '../engine/syntax/parser';
import type { FileResult, PipelineOptions } from './pipeline';

/** What every worker is started with. */
export interface WorkerSetup extends PipelineOptions {
  grammars: GrammarBinaries;
}

/** main -> worker */
export interface WorkerTask {
  index: number;
  file: string;
}

/** worker -> main */
export interface WorkerReply {
  index: number;
  result: FileResult;
}

/** Where the worker bundle is: next to the running bundle, or in dist/ when running from source. */
export function defaultWorkerScript(): string {
  const candidates = [join(__dirname, 'worker.js'), join(__dirname, '..', '..', '..', 'dist', 'worker.js')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`kpath: worker bundle not found (looked for ${candidates.join(', ')}); run \`npm run build\``);
  return found;
}

/** A worker that exits this many times in a row without finishing a file means a broken setup. */
const MAX_STARTUP_FAILURES = 3;

export function runInWorkers(
  files: { file: string; size: number }[],
  count: number,
  setup: WorkerSetup,
  script: string,
  onResult: (index: number, result: FileResult) => void,
): Promise<void> {
  const queue = files.map((_, i) => i).sort((a, b) => files[b].size - files[a].size || a - b);
  let next = 0;
  let remaining = files.length;
  let startupFailures = 0;
  const live = new Set<Worker>();

  return new Promise<void>((resolve, reject) => {
    if (remaining === 0) return resolve();
    let failed = false;
    const finish = (err?: Error) => {
      if (failed) return;
      if (err) failed = true;
      for (const w of live) void w.terminate();
      live.clear();
      if (err) reject(err);
      else resolve();
    };

    const start = () => {
      const worker = new Worker(script, { workerData: setup });
      live.add(worker);
      let current: number | undefined;
      let finishedOne = false;
      const feed = () => {
        if (next < queue.length) {
          current = queue[next++];
          worker.postMessage({ index: current, file: files[current].file } satisfies WorkerTask);
        } else {
          current = undefined;
          live.delete(worker);
          void worker.terminate();
        }
      };
      worker.on('message', (reply: WorkerReply) => {
        finishedOne = true;
        startupFailures = 0;
        current = undefined;
        onResult(reply.index, reply.result);
        if (--remaining === 0) return finish();
        feed();
      });
      worker.on('error', (err) => {
        lastError = err;
      });
      let lastError: Error | undefined;
      worker.on('exit', (code) => {
        if (!live.has(worker)) return; // terminated by us
        live.delete(worker);
        if (current !== undefined) {
          const why = lastError ? lastError.message : `the worker thread exited with code ${code}`;
          onResult(current, { file: files[current].file, error: { file: files[current].file, message: `worker crashed on this file: ${why}` }, timings: { parseMs: 0, lowerMs: 0, totalMs: 0 } });
          current = undefined;
          if (--remaining === 0) return finish();
        }
        if (!finishedOne && ++startupFailures >= MAX_STARTUP_FAILURES) {
          return finish(new Error(`kpath: worker threads fail to start: ${lastError?.message ?? `exit code ${code}`}`));
        }
        if (next < queue.length) start();
      });
      feed();
    };

    for (let i = 0; i < Math.min(count, files.length); i++) start();
  });
}
