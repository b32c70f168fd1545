/**
 * Positions across the boundary: the engine's spans are 1-based with an exclusive end column,
 * LSP's ranges 0-based with an exclusive end character; both count UTF-16 code units.
 */
import type { Position, Range } from 'vscode-languageserver/node';
import type { Span } from '../engine/span';

export function rangeOf(span: Span): Range {
  return {
    start: { line: span.line - 1, character: span.column - 1 },
    end: { line: span.endLine - 1, character: span.endColumn - 1 },
  };
}

/** The engine's 1-based (line, column) of an LSP position. */
export function pointOf(position: Position): { line: number; column: number } {
  return { line: position.line + 1, column: position.character + 1 };
}

export function rangesIntersect(a: Range, b: Range): boolean {
  const before = (p: Position, q: Position) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
