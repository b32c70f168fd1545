/**
 * The result of a whole run, kept in the cache directory (`--cache DIR`) next to the IR entries and
 * served again when nothing the run read has changed: the same PATHs from the same directory, the
 * same configuration and kpath, the same files under the PATHs, and every file and included header
 * with the same bytes. Any difference and the run is done again — from the program the last run
 * saved (resume.ts), recomputing only what the difference reaches, or from nothing when there is
 * none.
 *
 * A record is one JSON file, `DIR/runs/<key>.json`, written to a temporary name and renamed like
 * the IR entries. One that cannot be read or does not match is a miss.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Finding, InputError } from '../engine/finding';

/** What a run produced that a report needs. */
export interface RunResult {
  findings: Finding[];
  /** Problems with the files asked for (unreadable files, annotations without a reason, ...). */
  errors: InputError[];
  headerErrors: InputError[];
  files: string[];
  headers: string[];
  /** The note about unresolved includes (empty when there is none). */
  includeNote: string;
}

/** A file the run read, with the hash of its bytes (null when it could not be read). */
export type Input = readonly [file: string, hash: string | null];

interface RunRecord {
  key: string;
  files: Input[];
  headers: Input[];
  result: RunResult;
}

export class RunCache {
  private readonly dir: string;

  constructor(cacheDir: string) {
    this.dir = join(cacheDir, 'runs');
  }

  /** The key of a run: what it was asked (PATHs, directory) and with what (kpath, configuration). */
  static keyOf(what: unknown): string {
    return createHash('sha256').update(JSON.stringify(what)).digest('hex');
  }

  /**
   * The stored result when `files` (the files under the PATHs now) are the run's, and each of them
   * and of its headers hashes as it did. `hash` reads a file (null when it cannot be read).
   */
  lookup(key: string, files: readonly string[], hash: (file: string) => string | null): RunResult | undefined {
    let record: RunRecord;
    try {
      record = JSON.parse(readFileSync(this.pathOf(key), 'utf8')) as RunRecord;
    } catch {
      return undefined;
    }
    if (record.key !== key || record.files.length !== files.length) return undefined;
    if (record.files.some(([file], i) => file !== files[i])) return undefined;
    for (const [file, before] of [...record.files, ...record.headers]) if (hash(file) !== before) return undefined;
    return record.result;
  }

  /** Records a run; failing to write (disk full, read-only) only costs a later miss. */
  store(key: string, files: Input[], headers: Input[], result: RunResult): void {
    const final = this.pathOf(key);
    const temp = `${final}.${process.pid}.${threadId}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(temp, JSON.stringify({ key, files, headers, result } satisfies RunRecord));
      renameSync(temp, final);
    } catch {
      rmSync(temp, { force: true });
    }
  }

  private pathOf(key: string): string {
    return join(this.dir, `${key}.json`);
  }
}
