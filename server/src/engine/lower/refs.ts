/**
 * Functions stored as values: `.field = fn` in an initialiser and `x->field = fn` / `x.field = fn`,
 * with where the field is when a declared type says (types.ts).
 */
import type { FieldOwner, FunctionRef } from '../ir';
import type { SyntaxNode } from '../syntax/parser';
import { named, typeOf } from './syntax';
import { nodeSpan, type SourceText } from './text';
import { fieldOwner, typeName } from './types';

/**
 * `.field = ident` (or `&ident`) in an initializer list; `owner` is where its fields are, when the
 * caller knows (a file-level table, nested lists included), else the type of a declaration whose
 * list holds the pair directly.
 */
export function designatedRef(pair: SyntaxNode, text: SourceText, owner = initialisedOwner(pair, text)): FunctionRef | undefined {
  const designator = pair.childForFieldName('designator');
  const value = bareIdentifier(pair.childForFieldName('value'));
  if (!designator || designator.type !== 'field_designator' || !value) return undefined;
  const field = designator.lastChild;
  const ref: FunctionRef = { function: text.text(value), span: nodeSpan(value) };
  if (field?.type === 'field_identifier') ref.field = text.text(field);
  if (owner) ref.owner = owner;
  return ref;
}

/**
 * `x->field = ident` / `x.field = ident`; lowerFile keeps it only when ident names a function.
 * `typeOfVariable` gives the declared types the path may start from.
 */
export function fieldAssignmentRef(text: SourceText, left: SyntaxNode, right: SyntaxNode, typeOfVariable: (name: string) => string | undefined): FunctionRef | undefined {
  if (typeOf(left) !== 'field_expression') return undefined;
  const value = bareIdentifier(right);
  if (!value) return undefined;
  const parts = named(left);
  const field = parts[parts.length - 1];
  const ref: FunctionRef = { function: text.text(value), span: nodeSpan(value) };
  if (field && typeOf(field) === 'field_identifier') ref.field = text.text(field);
  const owner = fieldOwner(left, typeOfVariable, text);
  if (owner) ref.owner = owner;
  return ref;
}

/**
 * The `.field = fn` of a file-level declaration's initialiser, nested lists included: in `struct
 * omap_dss_driver d = { .ops = { .dsi = { .update = f } } }`, `update` is reached through `ops.dsi`.
 * An array's elements (`{ { .open = f }, ... }`, `[2] = { ... }`) are where the array is.
 */
export function designatedRefs(decl: SyntaxNode, text: SourceText): FunctionRef[] {
  const out: FunctionRef[] = [];
  const type = typeOf(decl) === 'declaration' ? typeName(decl.childForFieldName('type'), text) : undefined;
  const visit = (node: SyntaxNode, via: string[] | undefined) => {
    for (const child of named(node)) {
      const kind = typeOf(child);
      if (kind === 'initializer_pair') {
        const owner = type === undefined || via === undefined ? undefined : via.length ? { type, via } : { type };
        const ref = designatedRef(child, text, owner);
        if (ref) out.push(ref);
        visit(child, deeper(child, via, text));
      } else if (kind === 'initializer_list' || kind === 'init_declarator') visit(child, via);
    }
  };
  visit(decl, []);
  return out;
}

/** The path into a pair's value: one field further for `.f = { ... }`; unknown past anything else. */
function deeper(pair: SyntaxNode, via: string[] | undefined, text: SourceText): string[] | undefined {
  const designators = named(pair).slice(0, -1);
  if (via === undefined) return undefined;
  const fields: string[] = [];
  for (const d of designators) {
    const kind = typeOf(d);
    if (kind === 'field_designator') {
      const name = d.lastChild;
      if (name?.type !== 'field_identifier') return undefined;
      fields.push(text.text(name));
    } else if (kind !== 'subscript_designator') return undefined;
  }
  return [...via, ...fields];
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

/** `struct T var = { .f = g }` -> `{ type: 'T' }`, for a pair directly in a declaration's initializer list. */
function initialisedOwner(pair: SyntaxNode, text: SourceText): FieldOwner | undefined {
  const list = pair.parent;
  const init = list?.parent;
  const decl = init?.parent;
  if (list?.type !== 'initializer_list' || init?.type !== 'init_declarator' || decl?.type !== 'declaration') return undefined;
  const type = typeName(decl.childForFieldName('type'), text);
  return type === undefined ? undefined : { type };
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
