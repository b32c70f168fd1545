/**
 * The C parser: web-tree-sitter with tree-sitter-c's grammar. The engine does no I/O, so the two wasm
 * binaries are handed in as bytes by the host (CLI, language server, worker, test).
 *
 * Trees live in the wasm heap, which is capped at 2 GiB: whoever parses a file owns the tree and
 * must `delete()` it once it is lowered (or, in the language server, when the document closes).
 */
import { Language, Parser, type Tree } from 'web-tree-sitter';

export interface GrammarBinaries {
  /** web-tree-sitter's runtime, `tree-sitter.wasm`. */
  runtime: Uint8Array;
  /** tree-sitter-c's grammar, `tree-sitter-c.wasm`. */
  c: Uint8Array;
}

let language: Promise<Language> | undefined;

/** Initialises the runtime once per thread and returns a new parser for C. */
export async function createCParser(wasm: GrammarBinaries): Promise<CParser> {
  language ??= Parser.init({ wasmBinary: wasm.runtime }).then(() => Language.load(wasm.c));
  const c = await language; // no Parser may be constructed before the runtime is initialised
  const parser = new Parser();
  parser.setLanguage(c);
  return new CParser(parser);
}

export class CParser {
  constructor(private readonly parser: Parser) {}

  /** Parses `text`; with `old` (already `edit()`ed), reuses its unchanged parts. */
  parse(text: string, old?: Tree): Tree {
    const tree = this.parser.parse(text, old ?? null);
    if (!tree) throw new Error('tree-sitter returned no tree (parse cancelled?)');
    return tree;
  }

  delete(): void {
    this.parser.delete();
  }
}

export type { Tree, Node as SyntaxNode, Edit as TreeEdit } from 'web-tree-sitter';
