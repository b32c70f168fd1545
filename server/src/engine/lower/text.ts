/**
 * Source text and positions as the IR speaks them: spans are 1-based with an exclusive end, columns
 * in UTF-16 units (web-tree-sitter's positions are 0-based and already UTF-16), and "normalised"
 * text is the source with comments and all whitespace removed, so that `&dst -> lock` and
 * `&dst->lock` compare equal.
 */
import type { Span } from '../span';
import type { SyntaxNode } from '../syntax/parser';

export interface Point {
  row: number;
  column: number;
}

export function spanOf(start: Point, end: Point): Span {
  return { line: start.row + 1, column: start.column + 1, endLine: end.row + 1, endColumn: end.column + 1 };
}

export function nodeSpan(node: SyntaxNode): Span {
  return spanOf(node.startPosition, node.endPosition);
}

const WHITESPACE = /\s+/g;
const WORD = /[A-Za-z0-9_$]+/y;

/**
 * The file's text, addressed by tree-sitter indices (UTF-16 units, like JavaScript strings), with
 * the ranges of its comments so that they can be cut out of normalised text without re-walking.
 */
export class SourceText {
  /** Comment ranges, sorted by start. */
  private readonly commentStarts: number[] = [];
  private readonly commentEnds: number[] = [];

  constructor(
    private readonly src: string,
    /** The index of `src[0]` in the tree (the root node's start). */
    private readonly base: number,
  ) {}

  /** Registers a comment; called in document order. */
  addComment(start: number, end: number): void {
    this.commentStarts.push(start);
    this.commentEnds.push(end);
  }

  slice(start: number, end: number): string {
    return this.src.slice(start - this.base, end - this.base);
  }

  text(node: SyntaxNode): string {
    return this.slice(node.startIndex, node.endIndex);
  }

  /** The identifier (or keyword, number) starting at `start`, read without asking the tree for its end. */
  word(start: number): string {
    WORD.lastIndex = start - this.base;
    return WORD.exec(this.src)?.[0] ?? '';
  }

  /** An identifier's text: `word`, or the node's own text for a name outside ASCII. */
  identifier(node: SyntaxNode): string {
    return this.word(node.startIndex) || this.text(node);
  }

  /** The text of [start, end) without its comments. */
  withoutComments(start: number, end: number): string {
    const raw = this.slice(start, end);
    if (!raw.includes('/*') && !raw.includes('//')) return raw;
    let i = this.firstCommentAtOrAfter(start);
    if (i >= this.commentStarts.length || this.commentStarts[i] >= end) return raw;
    let out = '';
    let at = start;
    for (; i < this.commentStarts.length && this.commentEnds[i] <= end; i++) {
      out += this.slice(at, this.commentStarts[i]) + ' ';
      at = this.commentEnds[i];
    }
    return out + this.slice(at, end);
  }

  /** Source text with comments and all whitespace removed. */
  norm(node: SyntaxNode): string {
    return this.normRange(node.startIndex, node.endIndex);
  }

  normRange(start: number, end: number): string {
    return this.withoutComments(start, end).replace(WHITESPACE, '');
  }

  private firstCommentAtOrAfter(index: number): number {
    let lo = 0;
    let hi = this.commentStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.commentStarts[mid] < index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Identifiers (not field or type names) in a subtree, in order, without duplicates. */
export function identifiersIn(node: SyntaxNode, text: SourceText): string[] {
  if (node.type === 'identifier') return [text.text(node)];
  const out: string[] = [];
  const cursor = node.walk();
  try {
    let depth = 0;
    for (;;) {
      if (cursor.nodeType === 'identifier') {
        const name = text.slice(cursor.startIndex, cursor.endIndex);
        if (!out.includes(name)) out.push(name);
      } else if (cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (depth === 0 || !cursor.gotoParent()) return out;
        depth--;
        if (depth === 0) return out;
      }
    }
  } finally {
    cursor.delete();
  }
}
