/**
 * Function bodies spilled to disk for a whole-tree run: the Program keeps heads and summaries, and
 * reads one function's IR back when it explores that function. Each file's bodies are appended to
 * one file in a temporary directory as JSON, one function after another; the offsets stay in
 * memory. A function is read back with one positioned read and one `JSON.parse` of its own text,
 * so the cost of a load is the size of the function, not of its file (a header's IR holds
 * thousands of helpers, and callees-first order visits them from everywhere).
 *
 * The operating system's page cache keeps the hot part in memory; the process does not.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FunctionIR } from '../engine/ir';
import type { BodyStore } from '../engine/program';

export class SpilledBodies implements BodyStore {
  private readonly dir = mkdtempSync(join(tmpdir(), 'kpath-bodies-'));
  private readonly fd = openSync(join(this.dir, 'bodies.json'), 'w+');
  /**
   * The file is unlinked as soon as it is open: the descriptor keeps it, and the system frees it
   * when the process ends however it ends (a whole tree's bodies are 2.5 GB; an interrupted
   * `kpath check` must not leave them behind). Where unlinking an open file fails, `close()` does it.
   */
  private readonly unlinked = tryRemove(this.dir);
  private end = 0;
  /**
   * Per file: start and end offsets of each function's text, in function order. (A plain array:
   * a typed array per file costs a backing store each, 33 MB for drivers/net/ethernet.)
   */
  private readonly spans = new Map<string, number[]>();
  /** Files whose bodies could not be written (the disk is full): kept in memory instead. */
  private readonly kept = new Map<string, readonly FunctionIR[]>();
  private buffer = Buffer.alloc(1 << 16);

  keep(file: string, functions: readonly FunctionIR[]): void {
    const texts = functions.map((fn) => Buffer.from(JSON.stringify(fn)));
    const spans: number[] = new Array<number>(texts.length + 1).fill(0);
    const all = Buffer.concat(texts);
    try {
      for (let written = 0; written < all.length; ) written += writeSync(this.fd, all, written, all.length - written, this.end + written);
    } catch {
      this.kept.set(file, functions);
      this.spans.delete(file);
      return;
    }
    let at = this.end;
    for (const [i, text] of texts.entries()) {
      spans[i] = at;
      at += text.length;
    }
    spans[texts.length] = at;
    this.end = at;
    this.spans.set(file, spans);
    this.kept.delete(file);
  }

  load(file: string, index: number): FunctionIR {
    const kept = this.kept.get(file);
    if (kept) return kept[index]!;
    const spans = this.spans.get(file);
    if (!spans || index + 1 >= spans.length) throw new Error(`no stored body for function ${index} of ${file}`);
    const start = spans[index]!;
    const length = spans[index + 1]! - start;
    if (this.buffer.length < length) this.buffer = Buffer.alloc(Math.max(length, this.buffer.length * 2));
    for (let read = 0; read < length; ) {
      const n = readSync(this.fd, this.buffer, read, length - read, start + read);
      if (n === 0) throw new Error(`the stored body of function ${index} of ${file} is truncated`);
      read += n;
    }
    return JSON.parse(this.buffer.toString('utf8', 0, length)) as FunctionIR;
  }

  /** Closes the file (and removes it, if it could not be unlinked while open). */
  close(): void {
    closeSync(this.fd);
    if (!this.unlinked) rmSync(this.dir, { recursive: true, force: true });
  }
}

function tryRemove(dir: string): boolean {
  try {
    rmSync(dir, { recursive: true });
    return true;
  } catch {
    return false;
  }
}
