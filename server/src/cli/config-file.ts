/**
 * Finding and reading `.kpath.json` for a command-line run. The engine validates the text
 * (`resolveConfig`); this module only decides which file and reads it. Problems never stop the run:
 * they are returned as input errors and the defaults (or the valid part) are used.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { DEFAULT_CONFIG, resolveConfig, type InputError, type ResolvedConfig } from '../engine/index';

export const CONFIG_FILE_NAME = '.kpath.json';

/** The nearest `.kpath.json` in `startDir` or one of its parents. */
export function findConfigFile(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export interface LoadedConfig {
  config: ResolvedConfig;
  /** The file read, if any (its directory is what `ignore` patterns are relative to). */
  file?: string;
  problems: InputError[];
}

/** `explicit`: the `--config` argument, relative to `cwd`. */
export function loadConfig(explicit: string | undefined, cwd: string): LoadedConfig {
  const file = explicit !== undefined ? resolve(cwd, explicit) : findConfigFile(cwd);
  if (file === undefined) return { config: DEFAULT_CONFIG, problems: [] };
  // Named as the user wrote it, or relative to where kpath runs (`../.kpath.json`).
  const shown = explicit ?? relative(cwd, file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code ?? err);
    return { config: DEFAULT_CONFIG, problems: [{ file: shown, message: `cannot read configuration: ${reason}; using the defaults` }] };
  }
  const { config, problems } = resolveConfig(text, shown);
  return { config, file, problems };
}
