/**
 * A second look at regions tree-sitter misread, parsed again on their own as a braced block laid
 * out at the file's own indices, rows and columns: the parser reads only that range of the file
 * (`includedRanges`) from a callback that serves the block's text, so the new nodes lower exactly
 * like the file's. Two uses:
 * - `for_each_online_node(nid)` followed by a statement without braces parses as a declaration of
 *   type `for_each_online_node(nid)` (or an ERROR) swallowing the statement and often the next one:
 *   the text after the head is re-read, the head's first character becoming the `{`.
 * - a statement broken by an annotation (`copy((void __user *)q);` read as a declaration) is re-read
 *   with the annotations blanked, the indentation before it becoming the `{`.
 * - an `else` that an `#ifdef` cut from its `if` (read as a declaration of type `else`) is re-read
 *   after the `else`, which becomes the `{`.
 */
import { Parser, type Language, type Point, type Tree } from 'web-tree-sitter';
import type { SyntaxNode } from '../syntax/parser';
import { blankAnnotations } from './annotations';
import type { SourceText } from './text';

const parsers = new WeakMap<Language, Parser>();

function parserFor(language: Language): Parser {
  let parser = parsers.get(language);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(language);
    parsers.set(language, parser);
  }
  return parser;
}

export interface Reparsed {
  /** To delete once the nodes have been lowered. */
  tree: Tree;
  /** The `{ ... }` holding the re-read statements. */
  block: SyntaxNode;
}

/**
 * Parses `{` at (openIndex, openPosition) followed by `body` (the same length as the file's text it
 * stands for, newlines kept) and a closing `}` after `lastRow`.
 */
function parseBlock(language: Language, openIndex: number, openPosition: Point, body: string, lastRow: number): Reparsed | undefined {
  const fragment = '{' + body + '\n}';
  const tree = parserFor(language).parse(
    (index) => (index >= openIndex && index < openIndex + fragment.length ? fragment.slice(index - openIndex) : ''),
    null,
    {
      includedRanges: [
        {
          startIndex: openIndex,
          endIndex: openIndex + fragment.length,
          startPosition: openPosition,
          endPosition: { row: lastRow + 1, column: 1 },
        },
      ],
    },
  );
  if (!tree) return undefined;
  const block = tree.rootNode.namedChildren.find((n) => n?.type === 'compound_statement');
  if (!block || block.startIndex !== openIndex) {
    tree.delete();
    return undefined;
  }
  return { tree, block };
}

/** Re-reads the text between `head` and the end of `region` as statements. */
export function reparseAfterHead(text: SourceText, head: SyntaxNode, region: SyntaxNode): Reparsed | undefined {
  return reparseAfter(text, head.startIndex, head.endIndex, region);
}

/**
 * Re-reads the text between [start, headEnd) (a head starting the region, replaced by `{` and
 * blanks) and the end of `region` as statements.
 */
export function reparseAfter(text: SourceText, start: number, headEnd: number, region: SyntaxNode): Reparsed | undefined {
  const end = region.endIndex;
  if (end <= headEnd || headEnd - start < 1 || start !== region.startIndex) return undefined;
  const blankHead = text.slice(start + 1, headEnd).replace(/[^\n]/g, ' ');
  return parseBlock(region.tree.language, start, region.startPosition, blankHead + text.slice(headEnd, end), region.endPosition.row);
}

/**
 * Re-reads the statements from `first` to `last` with annotations blanked; undefined when that
 * does not give an error-free reading (or `first` starts a line: no room for the `{`).
 */
export function reparseWithoutAnnotations(text: SourceText, first: SyntaxNode, last: SyntaxNode): Reparsed | undefined {
  const at = first.startPosition;
  if (at.column === 0) return undefined;
  const body = blankAnnotations(text.slice(first.startIndex, last.endIndex));
  const again = parseBlock(first.tree.language, first.startIndex - 1, { row: at.row, column: at.column - 1 }, body, last.endPosition.row);
  if (again && again.tree.rootNode.hasError) {
    again.tree.delete();
    return undefined;
  }
  return again;
}
