/**
 * Cheap access to tree-sitter nodes. In web-tree-sitter every `node.type` is a call into wasm and is
 * not cached, so the lowering reads a node's type and children once and keeps them on the node.
 * Comments (which tree-sitter puts anywhere as "extras") are dropped from the child lists here, so
 * the lowering can read children by position.
 */
import type { Language } from 'web-tree-sitter';
import type { SyntaxNode } from '../syntax/parser';

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

/** Named children except comments (derived from `kids`, so each child node is made once). */
export function named(node: SyntaxNode): SyntaxNode[] {
  const c = node as SyntaxNode & Cached;
  if (c[NAMED]) return c[NAMED];
  const types = namedTypes(node.tree.language);
  return (c[NAMED] = kids(node).filter((k) => types.has(typeOf(k))));
}

const namedTypesOf = new WeakMap<Language, Set<string>>();

/** The names of the grammar's named node types (no name is both named and anonymous in C). */
function namedTypes(language: Language): Set<string> {
  let set = namedTypesOf.get(language);
  if (!set) {
    set = new Set(['ERROR']);
    for (let id = 0; id < language.nodeTypeCount; id++) {
      const name = language.types[id];
      if (name !== undefined && language.nodeTypeIsNamed(id)) set.add(name);
    }
    namedTypesOf.set(language, set);
  }
  return set;
}

/** The first named child that is not a comment. */
export function firstNamed(node: SyntaxNode): SyntaxNode | undefined {
  return named(node)[0];
}

/** Zero-width nodes are the MISSING ones tree-sitter inserts to recover. */
export function isZeroWidth(node: SyntaxNode): boolean {
  return node.startIndex === node.endIndex;
}
