/**
 * The comments of a file, found by lexing its text (C comment syntax is simple; this is much
 * cheaper than visiting every node of the tree to find tree-sitter's comment nodes, and finds the
 * same ones: comments are extras that tree-sitter keeps wherever they are, even in broken code).
 */
import type { Comment } from '../ir';
import type { Point } from './text';

export interface FoundComment extends Comment {
  /** Tree indices (UTF-16 units), end exclusive. */
  start: number;
  end: number;
}

/**
 * Comments of `src`, whose first character is at tree index `base` and position `at`. String and
 * character literals are skipped (a literal ends at its closing quote or at the end of the line).
 */
export function findComments(src: string, base: number, at: Point): FoundComment[] {
  const out: FoundComment[] = [];
  let row = at.row;
  let lineStart = -at.column; // index in src of the current line's column 0
  const n = src.length;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 10 /* \n */) {
      row++;
      lineStart = i + 1;
      i++;
    } else if (c === 34 /* " */ || c === 39 /* ' */) {
      i++;
      while (i < n) {
        const d = src.charCodeAt(i);
        if (d === 92 /* \ */ && i + 1 < n && src.charCodeAt(i + 1) !== 10) i += 2;
        else if (d === c) {
          i++;
          break;
        } else if (d === 10) break;
        else i++;
      }
    } else if (c === 47 /* / */ && (src.charCodeAt(i + 1) === 42 /* * */ || src.charCodeAt(i + 1) === 47)) {
      const block = src.charCodeAt(i + 1) === 42;
      const start = i;
      const startRow = row;
      const startColumn = i - lineStart;
      i += 2;
      if (block) {
        const close = src.indexOf('*/', i);
        const stop = close < 0 ? n : close + 2;
        for (let k = src.indexOf('\n', i); k >= 0 && k < stop; k = src.indexOf('\n', k + 1)) {
          row++;
          lineStart = k + 1;
        }
        i = stop;
      } else {
        // a line comment runs to the end of the line, continued by a backslash before the newline
        for (;;) {
          const nl = src.indexOf('\n', i);
          if (nl < 0) {
            i = n;
            break;
          }
          let back = nl - 1;
          if (back >= 0 && src.charCodeAt(back) === 13) back--;
          if (back >= i && src.charCodeAt(back) === 92) {
            row++;
            lineStart = nl + 1;
            i = nl + 1;
            continue;
          }
          i = nl;
          break;
        }
      }
      out.push({
        text: src.slice(start, i),
        start: start + base,
        end: i + base,
        span: { line: startRow + 1, column: startColumn + 1, endLine: row + 1, endColumn: i - lineStart + 1 },
      });
    } else i++;
  }
  return out;
}
