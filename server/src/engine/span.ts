/**
 * Source positions as every layer of kpath speaks them: 1-based lines and columns, columns in UTF-16
 * code units (what web-tree-sitter reports for JavaScript strings and what LSP expects by default),
 * end column exclusive. The engine never converts; the language server subtracts one at its boundary.
 */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A span in a named file. `file` is the path exactly as the caller gave it to the engine. */
export interface Location extends Span {
  file: string;
}

export function spanContains(outer: Span, line: number, column: number): boolean {
  if (line < outer.line || line > outer.endLine) return false;
  if (line === outer.line && column < outer.column) return false;
  if (line === outer.endLine && column > outer.endColumn) return false;
  return true;
}
