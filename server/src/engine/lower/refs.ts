/**
 * Functions stored as values: `.field = fn` in an initialiser (with the struct type of the
 * initialised variable when the declaration names one) and `x->field = fn` / `x.field = fn`.
 */
import type { FunctionRef } from '../ir';
import type { SyntaxNode } from '../syntax/parser';
import { nodeSpan, type SourceText } from './text';

/** `.field = ident` (or `&ident`) in an initializer list. */
export function designatedRef(pair: SyntaxNode, text: SourceText): FunctionRef | undefined {
  const designator = pair.childForFieldName('designator');
  const value = bareIdentifier(pair.childForFieldName('value'));
  if (!designator || designator.type !== 'field_designator' || !value) return undefined;
  const field = designator.lastChild;
  const ref: FunctionRef = { function: text.text(value), span: nodeSpan(value) };
  if (field?.type === 'field_identifier') ref.field = text.text(field);
  const structType = initialisedStructType(pair);
  if (structType) ref.structType = structType;
  return ref;
}

/** `x->field = ident` / `x.field = ident`; the caller keeps it only when ident names a function. */
export function assignedRef(assignment: SyntaxNode, text: SourceText): FunctionRef | undefined {
  if (assignment.childForFieldName('operator')?.type !== '=') return undefined;
  const left = assignment.childForFieldName('left');
  const value = bareIdentifier(assignment.childForFieldName('right'));
  if (!left || left.type !== 'field_expression' || !value) return undefined;
  const field = left.childForFieldName('field');
  const ref: FunctionRef = { function: text.text(value), span: nodeSpan(value) };
  if (field) ref.field = text.text(field);
  return ref;
}

function bareIdentifier(node: SyntaxNode | null): SyntaxNode | undefined {
  if (!node) return undefined;
  if (node.type === 'identifier') return node;
  if (node.type === 'pointer_expression' && node.child(0)?.type === '&') {
    const arg = node.childForFieldName('argument');
    if (arg?.type === 'identifier') return arg;
  }
  return undefined;
}

/** `struct T var = { .f = g }` -> `T`, for a pair directly in the declaration's initializer list. */
function initialisedStructType(pair: SyntaxNode): string | undefined {
  const list = pair.parent;
  const init = list?.parent;
  const decl = init?.parent;
  if (list?.type !== 'initializer_list' || init?.type !== 'init_declarator' || decl?.type !== 'declaration') return undefined;
  const type = decl.childForFieldName('type');
  if (type?.type !== 'struct_specifier') return undefined;
  return type.childForFieldName('name')?.text;
}

/** Names of the functions a declaration declares (`int f(void), *g(int);` -> f, g). */
export function declaredFunctionNames(decl: SyntaxNode, text: SourceText): string[] {
  const names: string[] = [];
  for (const child of decl.namedChildren) {
    let at: SyntaxNode | null | undefined = child;
    let isFunction = false;
    while (at && at.type !== 'identifier') {
      if (at.type === 'function_declarator') isFunction = true;
      if (at.type === 'parenthesized_declarator' || at.type === 'attributed_declarator') at = at.namedChildren[0];
      else if (DECLARATOR_CHAIN.has(at.type)) at = at.childForFieldName('declarator');
      else at = undefined;
    }
    if (at && isFunction) names.push(text.text(at));
  }
  return names;
}

const DECLARATOR_CHAIN = new Set(['function_declarator', 'pointer_declarator', 'array_declarator', 'init_declarator']);
