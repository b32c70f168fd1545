/**
 * Finds where a function's declarator ends in a syntax tree, the place where sparse annotations
 * such as `__must_hold(x)` are written: `static void f(struct mm_struct *mm) __must_hold(...)`.
 */
import type { SyntaxNode, Tree } from '../engine/syntax/parser';

function nameOfDeclarator(node: SyntaxNode | null): string | undefined {
  // Down the declarator chain (pointer, function, parenthesised declarators) to the identifier.
  let n = node;
  while (n && n.type !== 'identifier') n = n.childForFieldName('declarator') ?? n.namedChild(0);
  return n?.text;
}

/** The first definition of `name` in the tree. */
function definitionOf(tree: Tree, name: string): { definition: SyntaxNode; declarator: SyntaxNode } | undefined {
  const stack: SyntaxNode[] = [tree.rootNode];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'function_definition') {
      const declarator = node.childForFieldName('declarator');
      if (declarator && nameOfDeclarator(declarator) === name) return { definition: node, declarator };
      continue;
    }
    // Definitions sit at top level or under preprocessor conditionals and linkage blocks.
    for (let i = node.namedChildCount - 1; i >= 0; i--) {
      const child = node.namedChild(i);
      if (child && child.type !== 'compound_statement') stack.push(child);
    }
  }
  return undefined;
}

/** The end (0-based line, UTF-16 character) of `name`'s declarator, for its first definition. */
export function declaratorEnd(tree: Tree, name: string): { line: number; character: number } | undefined {
  const found = definitionOf(tree, name);
  return found && { line: found.declarator.endPosition.row, character: found.declarator.endPosition.column };
}

/** The text of `name`'s definition before its body (where the annotations are), whitespace removed. */
export function headerText(tree: Tree, name: string): string | undefined {
  const found = definitionOf(tree, name);
  if (!found) return undefined;
  const body = found.definition.childForFieldName('body');
  const text = found.definition.text;
  return (body ? text.slice(0, body.startIndex - found.definition.startIndex) : text).replace(/\s+/g, '');
}
