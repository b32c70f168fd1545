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
 * - a definition whose header an annotation split (`void __init f(void) { }` read as a declaration
 *   `void __init` and a definition of type `f` named `(void)`) is re-read at file level with the
 *   annotations of its header blanked.
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

export interface ReparsedDefinition {
  /** To delete once the definition has been lowered. */
  tree: Tree;
  definition: SyntaxNode;
}

/**
 * Re-reads `first` (a declaration cut short by an annotation) and `definition` (the rest of the
 * header and the body) as one file-level definition, with the annotations of the header blanked
 * (the body is read as written). The word the cut declaration took for its name is blanked too
 * when it starts with `__`: an annotation the table does not list (`void __init_memblock f(void)`).
 * Undefined unless that gives a single definition spanning both (but for the blanked words) whose
 * declarator is a function's and whose header has no error.
 */
export function reparseDefinition(text: SourceText, first: SyntaxNode, definition: SyntaxNode): ReparsedDefinition | undefined {
  const body = definition.childForFieldName('body');
  if (!body) return undefined;
  const start = first.startIndex;
  const end = definition.endIndex;
  let header = blankAnnotations(text.slice(start, body.startIndex));
  let cutName = first.namedChildren.at(-1);
  while (cutName && cutName.type === 'pointer_declarator') cutName = cutName.childForFieldName('declarator');
  if (cutName && cutName.type === 'identifier' && text.slice(cutName.startIndex, cutName.startIndex + 2) === '__') {
    const at = cutName.startIndex - start;
    header = header.slice(0, at) + ' '.repeat(cutName.endIndex - cutName.startIndex) + header.slice(cutName.endIndex - start);
  }
  const fragment = header + text.slice(body.startIndex, end);
  const tree = parserFor(first.tree.language).parse(
    (index) => (index >= start && index < end ? fragment.slice(index - start) : ''),
    null,
    { includedRanges: [{ startIndex: start, endIndex: end, startPosition: first.startPosition, endPosition: definition.endPosition }] },
  );
  if (!tree) return undefined;
  const items = tree.rootNode.namedChildren.filter((n) => n && n.type !== 'comment');
  const again = items.length === 1 ? items[0] : null;
  // the definition may start after the words blanked at its beginning (`noinline struct page *f(...)`)
  const whole = again && again.type === 'function_definition' && again.endIndex === end && !/\S/.test(fragment.slice(0, again.startIndex - start));
  if (!again || !whole || !declaresFunction(again) || headerHasError(again)) {
    tree.delete();
    return undefined;
  }
  return { tree, definition: again };
}

/** The declarator of a definition leads to a function declarator (through pointers, parentheses). */
function declaresFunction(definition: SyntaxNode): boolean {
  let at = definition.childForFieldName('declarator');
  while (at && at.type !== 'function_declarator') {
    at = at.type === 'parenthesized_declarator' ? at.namedChildren[0] : at.childForFieldName('declarator');
  }
  return at !== null && at !== undefined;
}

function headerHasError(definition: SyntaxNode): boolean {
  for (const child of definition.children) {
    if (!child || child.type === 'compound_statement') break;
    if (child.hasError || child.type === 'ERROR' || child.isMissing) return true;
  }
  return false;
}

/**
 * The whole file parsed again from `blanked` (the file's text with some words blanked, every
 * position unchanged); undefined when the tree does not start at the file's beginning.
 */
export function reparseFile(tree: Tree, blanked: string): Tree | undefined {
  const root = tree.rootNode;
  if (root.startIndex !== 0 || root.startPosition.row !== 0 || root.startPosition.column !== 0) return undefined;
  return parserFor(tree.language).parse(blanked) ?? undefined;
}
