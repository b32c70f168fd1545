/**
 * Functions stored as values: `.field = fn` in an initialiser (with the struct type of the
 * initialised variable when the declaration names one) and `x->field = fn` / `x.field = fn`.
 */
import type { FunctionRef } from '../ir';
import type { SyntaxNode } from '../syntax/parser';
import { named, typeOf } from './syntax';
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

/** `x->field = ident` / `x.field = ident`; lowerFile keeps it only when ident names a function. */
export function fieldAssignmentRef(text: SourceText, left: SyntaxNode, right: SyntaxNode): FunctionRef | undefined {
  if (typeOf(left) !== 'field_expression') return undefined;
  const value = bareIdentifier(right);
  if (!value) return undefined;
  const parts = named(left);
  const field = parts[parts.length - 1];
  const ref: FunctionRef = { function: text.text(value), span: nodeSpan(value) };
  if (field && typeOf(field) === 'field_identifier') ref.field = text.text(field);
  return ref;
}

/** The `.field = fn` of a file-level declaration's initialiser, nested lists included. */
export function designatedRefs(decl: SyntaxNode, text: SourceText): FunctionRef[] {
  const out: FunctionRef[] = [];
  const visit = (node: SyntaxNode) => {
    for (const child of named(node)) {
      const type = typeOf(child);
      if (type === 'initializer_pair') {
        const ref = designatedRef(child, text);
        if (ref) out.push(ref);
        visit(child);
      } else if (type === 'initializer_list' || type === 'init_declarator') visit(child);
    }
  };
  visit(decl);
  return out;
}

function bareIdentifier(node: SyntaxNode | null): SyntaxNode | undefined {
  if (!node) return undefined;
  const type = typeOf(node);
  if (type === 'identifier') return node;
  if (type === 'pointer_expression' && node.child(0)?.type === '&') {
    const arg = named(node)[0];
    if (arg && typeOf(arg) === 'identifier') return arg;
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
