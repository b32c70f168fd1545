/** Applying a fix's text edits to a source text, and counting a text's syntax errors (for fix tests). */
import type { CParser, TextEdit } from '../server/src/engine/index';

/** Applies edits (1-based lines and columns, end exclusive), last first so earlier positions hold. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (line: number, column: number) => lineStarts[line - 1]! + column - 1;
  const sorted = [...edits].sort((a, b) => offset(b.line, b.column) - offset(a.line, a.column));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.line, e.column)) + e.newText + out.slice(offset(e.endLine, e.endColumn));
  return out;
}

export function syntaxErrorCount(parser: CParser, text: string): number {
  const tree = parser.parse(text);
  try {
    let count = 0;
    const cursor = tree.walk();
    let done = false;
    while (!done) {
      const node = cursor.currentNode;
      if (node.isError || node.isMissing) count++;
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          done = true;
          break;
        }
      }
    }
    return count;
  } finally {
    tree.delete();
  }
}
