/**
 * A persistent cache of lowered files: FileIR JSON keyed by a hash of the file's bytes, the IR
 * version and kpath's version, one file per entry at `DIR/<first two hex digits>/<hash>.json`.
 * Used by `kpath check --cache DIR` and, with its own directory, by the language server.
 *
 * Entries are written to a temporary name and renamed, so a reader never sees half an entry, and
 * several processes (or worker threads) can share a directory. An entry that cannot be read or
 * does not look like a FileIR is treated as missing and rewritten by the next `put`.
 *
 * Architecture invariant: the key is the content, not the path. Two files with the same bytes share
 * an entry; the path stored in the IR is replaced by the caller's on the way out. Anything that
 * changes what lowering produces must bump `IR_VERSION` (or kpath's version): the cache does not
 * look at the code that produced an entry.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { IR_VERSION, type FileIR } from '../engine/ir';
import { version as KPATH_VERSION } from '../../../package.json';

/** What an entry file holds: the key again (a check against renamed or truncated files) and the IR. */
interface Entry {
  key: string;
  ir: FileIR;
}

export class IRCache {
  private readonly madeDirs = new Set<string>();
  private readonly salt: string;

  /** `salt` is for tests; by default entries are tied to the IR version and kpath's version. */
  constructor(
    readonly dir: string,
    salt?: string,
  ) {
    this.salt = salt ?? `kpath ${KPATH_VERSION} ir ${IR_VERSION}`;
  }

  /** The key of a file with these bytes. */
  keyOf(bytes: Uint8Array): string {
    return createHash('sha256').update(this.salt).update('\0').update(bytes).digest('hex');
  }

  pathOf(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The cached IR for `key`, reported under `file`; undefined when absent or unusable. */
  get(key: string, file: string): FileIR | undefined {
    let entry: Entry;
    try {
      entry = JSON.parse(readFileSync(this.pathOf(key), 'utf8')) as Entry;
    } catch {
      return undefined;
    }
    if (!isEntry(entry, key)) return undefined;
    entry.ir.file = file;
    return entry.ir;
  }

  /** Stores `ir` under `key`. Failing to write (disk full, read-only) only costs a later miss. */
  /** Whether the entry `key` is there (not whether it is usable: `get` says that). */
  has(key: string): boolean {
    return existsSync(this.pathOf(key));
  }

  put(key: string, ir: FileIR): boolean {
    const dir = join(this.dir, key.slice(0, 2));
    const final = this.pathOf(key);
    const temp = `${final}.${process.pid}.${threadId}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      if (!this.madeDirs.has(dir)) {
        mkdirSync(dir, { recursive: true });
        this.madeDirs.add(dir);
      }
      writeFileSync(temp, JSON.stringify({ key, ir } satisfies Entry));
      renameSync(temp, final);
      return true;
    } catch {
      try {
        rmSync(temp, { force: true });
      } catch {
        // The directory itself is unusable; nothing was written.
      }
      return false;
    }
  }
}

function isEntry(x: unknown, key: string): x is Entry {
  if (typeof x !== 'object' || x === null) return false;
  const e = x as Partial<Entry>;
  const ir = e.ir as Partial<FileIR> | undefined;
  return (
    e.key === key &&
    typeof ir === 'object' &&
    ir !== null &&
    Array.isArray(ir.functions) &&
    Array.isArray(ir.comments) &&
    Array.isArray(ir.functionRefs) &&
    typeof ir.syntaxErrors === 'number'
  );
}
