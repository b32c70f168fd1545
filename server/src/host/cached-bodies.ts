/**
 * Function bodies read back from the IR cache, for a program restored from a saved one
 * (saved-programs.ts): every file it was saved with is in the IR cache under the hash of its bytes,
 * so a body is one entry read and parsed. A restored program re-analyses only what an edit affects,
 * a few files' functions and their callers; the last files read are kept parsed, as a callee and its
 * callers are often in one header.
 *
 * A file updated in this run whose IR is not in the cache (the cache could not be written) keeps its
 * bodies in memory.
 */
import type { FileIR, FunctionIR } from '../engine/ir';
import type { BodyStore } from '../engine/program';
import type { IRCache } from './cache';

/** Parsed IRs kept: a header's helpers are loaded one after another. */
const KEEP_PARSED = 16;

export class CachedBodies implements BodyStore {
  private readonly entries = new Map<string, string>();
  private readonly kept = new Map<string, readonly FunctionIR[]>();
  private readonly parsed = new Map<string, FileIR>();

  constructor(private readonly cache: IRCache) {}

  /** `file`'s bodies are those of the cache entry `entry`. */
  at(file: string, entry: string): void {
    this.entries.set(file, entry);
    this.kept.delete(file);
    this.parsed.delete(file);
  }

  /** Whether every file given by `at` still has its entry (a cache pruned meanwhile does not). */
  complete(): boolean {
    for (const entry of this.entries.values()) if (!this.cache.has(entry)) return false;
    return true;
  }

  keep(file: string, functions: readonly FunctionIR[]): void {
    this.parsed.delete(file);
    if (this.entries.has(file)) return;
    this.kept.set(file, functions);
  }

  load(file: string, index: number): FunctionIR {
    const kept = this.kept.get(file);
    if (kept) return kept[index]!;
    let ir = this.parsed.get(file);
    if (ir) this.parsed.delete(file); // re-inserted below: most recently used last
    else {
      const entry = this.entries.get(file);
      ir = entry === undefined ? undefined : this.cache.get(entry, file);
      if (!ir) throw new Error(`the IR cache no longer has ${file}`);
    }
    this.parsed.set(file, ir);
    if (this.parsed.size > KEEP_PARSED) this.parsed.delete(this.parsed.keys().next().value!);
    const fn = ir.functions[index];
    if (!fn) throw new Error(`the IR cache's entry of ${file} has no function ${index}`);
    return fn;
  }

  close(): void {
    this.parsed.clear();
    this.kept.clear();
  }
}
