/**
 * Finds and reads the two wasm binaries the parser needs. The build copies them into `grammars/`
 * next to the bundles; running from source (tests), they are read from node_modules.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { GrammarBinaries } from '../engine/syntax/parser';

function firstExisting(candidates: string[]): string | undefined {
  return candidates.find((p) => existsSync(p));
}

/** `from`: a directory inside the installed kpath (the bundle's or a source file's). */
export function readGrammarBinaries(from: string = __dirname): GrammarBinaries {
  const shipped = [join(from, '..', 'grammars'), join(from, '..', '..', 'grammars'), join(from, '..', '..', '..', 'grammars')];
  const runtime = firstExisting(shipped.map((d) => join(d, 'tree-sitter.wasm')));
  const c = firstExisting(shipped.map((d) => join(d, 'tree-sitter-c.wasm')));
  if (runtime && c) return { runtime: readFileSync(runtime), c: readFileSync(c) };
  const require = createRequire(join(from, 'noop.js'));
  const fromModules = {
    runtime: join(dirname(require.resolve('web-tree-sitter')), 'tree-sitter.wasm'),
    c: join(dirname(require.resolve('tree-sitter-c/package.json')), 'tree-sitter-c.wasm'),
  };
  return { runtime: readFileSync(fromModules.runtime), c: readFileSync(fromModules.c) };
}
