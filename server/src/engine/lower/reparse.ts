/**
 * A second look at regions tree-sitter misread. `for_each_online_node(nid)` followed by a statement
 * without braces parses as a declaration of type `for_each_online_node(nid)` (or an ERROR), which
 * swallows the statement and often the next one. Such a region is parsed again on its own, as a
 * braced block: the head `NAME(arg)` is replaced by `{` and blanks, a `}` is added after the
 * region, and tree-sitter reads only that range of the file (`includedRanges`), so the new nodes
 * have the file's own indices, rows and columns and lower like any other.
 */
import { Parser, type Language, type Point, type Tree } from 'web-tree-sitter';
import type { SyntaxNode } from '../syntax/parser';
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

/**
 * Parses the text between `head` and the end of `region` as statements. Returns the tree (the
 * caller deletes it once lowered) and the block holding the statements, or undefined.
 */
export function reparseAfterHead(
  text: SourceText,
  head: SyntaxNode,
  region: SyntaxNode,
): { tree: Tree; block: SyntaxNode } | undefined {
  const start = head.startIndex;
  const headEnd = head.endIndex;
  const end = region.endIndex;
  if (end <= headEnd || headEnd - start < 1) return undefined;
  const blankHead = text.slice(start + 1, headEnd).replace(/[^\n]/g, ' ');
  const fragment = '{' + blankHead + text.slice(headEnd, end) + '\n}';
  const last: Point = region.endPosition;
  const tree = parserFor(head.tree.language).parse(
    (index) => (index >= start && index < start + fragment.length ? fragment.slice(index - start) : ''),
    null,
    {
      includedRanges: [
        {
          startIndex: start,
          endIndex: start + fragment.length,
          startPosition: head.startPosition,
          endPosition: { row: last.row + 1, column: 1 },
        },
      ],
    },
  );
  if (!tree) return undefined;
  const block = tree.rootNode.namedChildren.find((n) => n?.type === 'compound_statement');
  if (!block || block.startIndex !== start) {
    tree.delete();
    return undefined;
  }
  return { tree, block };
}
