/**
 * The workspace's program kept between sessions of the language server, next to its IR cache
 * (`DIR/programs/`, the format of host/saved-programs.ts): a start restores it and analyses only
 * the files whose bytes changed since, instead of running the fixed point over every file again.
 *
 * A saved program is for one workspace root, one `.kpath.json` configuration and one build of
 * kpath; any other is a miss and the start analyses everything. A file is taken as saved only when
 * its IR cache entry (the hash of its bytes) is the saved one and it is selected or included as it
 * was; an open document's text has no entry, so it is always analysed anew.
 */
import { version as KPATH_VERSION } from '../../../package.json';
import type { FileIR } from '../engine/ir';
import { runningEngine } from '../host/analysis';
import { packIncludes } from '../host/include-lists';
import { RunCache } from '../host/run-cache';
import { type SavedInput, SavedPrograms } from '../host/saved-programs';
import { IR_VERSION, Program, type ResolvedConfig, SAVED_PROGRAM_FORMAT } from './engine';

/** What the server holds when it restores or saves: every IR, by engine file name. */
export interface HeldFiles {
  irs: ReadonlyMap<string, FileIR>;
  /** The IR cache entry of each file read from disk (absent for an editor's text). */
  entries: ReadonlyMap<string, string>;
  /** Headers given to the program on demand (reached by `#include`, not selected). */
  included: ReadonlySet<string>;
}

export type Restored =
  | { program: Program; unchanged: number; changed: number; gone: number }
  | { program?: undefined; why: string };

export class KeptPrograms {
  private readonly programs: SavedPrograms;
  private readonly place: string;

  constructor(
    cacheDir: string,
    private readonly root: string,
  ) {
    this.programs = new SavedPrograms(cacheDir);
    this.place = RunCache.keyOf({ lsp: root });
  }

  private keyOf(config: ResolvedConfig): string {
    return RunCache.keyOf({ kpath: KPATH_VERSION, engine: runningEngine(), ir: IR_VERSION, format: SAVED_PROGRAM_FORMAT, root: this.root, config });
  }

  /** The saved program brought up to what `held` is now; `why` not when there is none to use. */
  restore(config: ResolvedConfig, held: HeldFiles): Restored {
    const saved = this.programs.load(this.place, this.keyOf(config));
    if (!saved) return { why: 'no program saved by an earlier session for this workspace, configuration and build of kpath' };
    try {
      const before = new Map<string, { entry: string; onDemand: boolean }>();
      for (const [file, entry] of saved.inputs.files) before.set(file, { entry, onDemand: false });
      for (const [file, entry] of saved.inputs.headers) before.set(file, { entry, onDemand: true });
      const same = (file: string) => {
        const was = before.get(file);
        return was !== undefined && was.entry !== '' && held.irs.has(file) && held.entries.get(file) === was.entry && held.included.has(file) === was.onDemand;
      };
      const program = Program.restore(config, {}, saved.items, (file, index) => (same(file) ? held.irs.get(file)!.functions[index] : undefined));
      let gone = 0;
      let changed = 0;
      // A changed file goes first: it may come back selected where it was included, or the reverse.
      for (const file of before.keys()) {
        if (same(file)) continue;
        program.remove(file);
        if (!held.irs.has(file)) gone++;
      }
      for (const [file, ir] of held.irs) {
        if (same(file)) continue;
        program.update(ir, { onDemand: held.included.has(file) });
        changed++;
      }
      return { program, unchanged: held.irs.size - changed, changed, gone };
    } catch (err) {
      return { why: `the saved program could not be read back (${(err as Error).message})` };
    } finally {
      saved.discard();
    }
  }

  /** Saves the settled `program` for the next session; false when it could not be written. */
  save(config: ResolvedConfig, program: Program, held: HeldFiles): boolean {
    const inputs = (onDemand: boolean): SavedInput[] =>
      [...held.irs].filter(([file]) => held.included.has(file) === onDemand).map(([file, ir]) => [file, held.entries.get(file) ?? '', packIncludes(ir.includes)]);
    return this.programs.store(this.place, { key: this.keyOf(config), files: inputs(false), headers: inputs(true) }, program.save());
  }
}
