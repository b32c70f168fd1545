/**
 * A worker thread of a batch run (bundled to dist/worker.js; started by pool.ts). It owns one
 * web-tree-sitter parser and runs the file pipeline for each file the main thread sends, replying
 * with the FileIR (or the file's InputError). Trees never leave the worker: they are freed as soon
 * as the file is lowered.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createCParser } from '../engine/syntax/parser';
import { FilePipeline } from './pipeline';
import type { WorkerReply, WorkerSetup, WorkerTask } from './pool';

const setup = workerData as WorkerSetup;
const port = parentPort!;
const pipeline = createCParser(setup.grammars).then((parser) => new FilePipeline(parser, setup));

port.on('message', (task: WorkerTask) => {
  void pipeline.then((p) => {
    port.postMessage({ index: task.index, result: p.run(task.file) } satisfies WorkerReply);
  });
});
