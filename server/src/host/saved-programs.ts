/**
 * Programs kept between runs in the cache directory (`--cache DIR`), so that a run after an edit
 * recomputes only what the edit affects: `DIR/programs/<place>.jsonl`, one JSON value per line —
 * first the run's key and how many files and headers follow, then one line for each file and header
 * the program was built from (its IR cache entry and its includes, packed), then the engine's saved
 * items (engine/saved-program.ts). A whole tree's program is some hundreds of megabytes: it is
 * written and read a line at a time, never as one string (its 50,000 inputs as one line were a
 * 23 MB string, made when the heap is at its largest).
 *
 * One program per place (the PATHs and the directory they are given from): a run with another
 * configuration or another build of kpath replaces it rather than adding one, as a whole tree's
 * takes hundreds of megabytes. The run's key (run-cache.ts) is saved in it, and a program saved
 * under another key is a miss, as is one that cannot be read or was saved in another format: the
 * run then analyses everything anew. Written to a temporary name and renamed, like the IR entries.
 */
import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { SavedItem } from '../engine/saved-program';
import type { PackedIncludes } from './include-lists';

/** A file the program holds: its IR cache entry (the hash of its bytes) and what it includes. */
export type SavedInput = [file: string, entry: string, includes: PackedIncludes];

/** The first line: the run's key, and how many lines of files, then of headers, follow it. */
interface SavedHead {
  key: string;
  files: number;
  headers: number;
}

/** What a saved program was built from. */
export interface SavedInputs {
  key: string;
  files: SavedInput[];
  headers: SavedInput[];
}

/** Lines are gathered into writes of about this size. */
const WRITE_BYTES = 1 << 22;
const READ_BYTES = 1 << 24;

export class SavedPrograms {
  private readonly dir: string;

  constructor(cacheDir: string) {
    this.dir = join(cacheDir, 'programs');
  }

  /** Saves `items` with what they were built from; failing to write only costs a later full run. */
  store(place: string, inputs: SavedInputs, items: Iterable<SavedItem>): boolean {
    const final = this.pathOf(place);
    const temp = `${final}.${process.pid}.${threadId}.tmp`;
    let fd: number | undefined;
    try {
      mkdirSync(this.dir, { recursive: true });
      fd = openSync(temp, 'w');
      let pending: string[] = [];
      let size = 0;
      const flush = () => {
        if (pending.length === 0) return;
        const bytes = Buffer.from(pending.join('\n') + '\n');
        for (let written = 0; written < bytes.length; ) written += writeSync(fd!, bytes, written);
        pending = [];
        size = 0;
      };
      const head: SavedHead = { key: inputs.key, files: inputs.files.length, headers: inputs.headers.length };
      for (const line of lines(head, inputs, items)) {
        pending.push(line);
        size += line.length;
        if (size >= WRITE_BYTES) flush();
      }
      flush();
      closeSync(fd);
      fd = undefined;
      renameSync(temp, final);
      return true;
    } catch {
      if (fd !== undefined) closeSync(fd);
      rmSync(temp, { force: true });
      return false;
    }
  }

  /**
   * What the program saved at `place` for the run `key` was built from, and its items, read as they are iterated
   * (once; `discard` closes the file when they are not). Undefined when there is none; iterating
   * throws when the file is cut short or not JSON.
   */
  load(place: string, key: string): { inputs: SavedInputs; items: Iterable<SavedItem>; discard(): void } | undefined {
    const lines = readLines(this.pathOf(place));
    try {
      const first = lines.next();
      if (first.done) return undefined;
      const head = JSON.parse(first.value) as Partial<SavedHead>;
      // Another run's program, or one saved in another format (the inputs in the first line).
      if (head.key !== key || !isCount(head.files) || !isCount(head.headers)) {
        lines.return(undefined);
        return undefined;
      }
      const inputs: SavedInputs = { key, files: readInputs(lines, head.files), headers: readInputs(lines, head.headers) };
      const items = (function* () {
        for (const line of lines) yield JSON.parse(line) as SavedItem;
      })();
      return { inputs, items, discard: () => void lines.return(undefined) };
    } catch {
      lines.return(undefined);
      return undefined;
    }
  }

  private pathOf(place: string): string {
    return join(this.dir, `${place}.jsonl`);
  }
}

function* lines(head: SavedHead, inputs: SavedInputs, items: Iterable<SavedItem>): Generator<string> {
  yield JSON.stringify(head);
  for (const input of inputs.files) yield JSON.stringify(input);
  for (const input of inputs.headers) yield JSON.stringify(input);
  for (const item of items) yield JSON.stringify(item);
}

function isCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** The next `count` lines as inputs; throws when there are fewer or one is not an input. */
function readInputs(lines: Iterator<string>, count: number): SavedInput[] {
  const out: SavedInput[] = [];
  for (let i = 0; i < count; i++) {
    const line = lines.next();
    if (line.done) throw new Error('the saved program ends within its inputs');
    const input = JSON.parse(line.value) as unknown;
    if (!Array.isArray(input) || input.length !== 3 || !input.every((x) => typeof x === 'string')) throw new Error(`not a saved input: ${line.value.slice(0, 80)}`);
    out.push(input as SavedInput);
  }
  return out;
}

/** The file's lines, read in large chunks; the last must end with a newline (else it was cut short). */
function* readLines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(READ_BYTES);
    let carry: Buffer = Buffer.alloc(0);
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      const chunk = carry.length ? Buffer.concat([carry, buffer.subarray(0, n)]) : buffer.subarray(0, n);
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        yield chunk.toString('utf8', start, nl);
        start = nl + 1;
      }
      carry = Buffer.from(chunk.subarray(start));
    }
    if (carry.length > 0) throw new Error(`${path} is cut short`);
  } finally {
    closeSync(fd);
  }
}
