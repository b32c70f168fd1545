/**
 * Cheap access to tree-sitter nodes. In web-tree-sitter every `node.type` is a call into wasm and is
 * not cached, so the lowering reads a node's type and children once and keeps them on the node.
 * Comments (which tree-sitter puts anywhere as "extras") are dropped from the child lists here, so
 * the lowering can read children by position.
 */
import type { SyntaxNode } from '../syntax/parser';
import type { SourceText } from './text';

const TYPE = Symbol('type');
const KIDS = Symbol('kids');
const NAMED = Symbol('named');

interface Cached {
  [TYPE]?: string;
  [KIDS]?: SyntaxNode[];
  [NAMED]?: SyntaxNode[];
}

export function typeOf(node: SyntaxNode): string {
  const c = node as SyntaxNode & Cached;
  return (c[TYPE] ??= node.type);
}

/** All children (tokens included) except comments. */
export function kids(node: SyntaxNode): SyntaxNode[] {
  const c = node as SyntaxNode & Cached;
  return (c[KIDS] ??= node.children.filter((k): k is SyntaxNode => k !== null && typeOf(k) !== 'comment'));
}

/** Named children except comments. */
export function named(node: SyntaxNode): SyntaxNode[] {
  const c = node as SyntaxNode & Cached;
  return (c[NAMED] ??= node.namedChildren.filter((k): k is SyntaxNode => k !== null && typeOf(k) !== 'comment'));
}

/**
 * The operator between two operands, read from the source text (no wasm call, no token node):
 * `a && b` -> `&&`, `x = y` -> `=`.
 */
export function operatorBetween(text: SourceText, left: SyntaxNode, right: SyntaxNode): string {
  return text.normRange(left.endIndex, right.startIndex);
}

/** The first named child that is not a comment. */
export function firstNamed(node: SyntaxNode): SyntaxNode | undefined {
  return named(node)[0];
}

/** Zero-width nodes are the MISSING ones tree-sitter inserts to recover. */
export function isZeroWidth(node: SyntaxNode): boolean {
  return node.startIndex === node.endIndex;
}
