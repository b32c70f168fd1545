/**
 * The little of C's types kpath reads: which structure a variable is declared with, and which
 * members of the structures a file defines are structures themselves. That is enough to know which
 * structure holds the field a call goes through: in `in->ops.dsi->update(...)` with `struct
 * omap_dss_device *in`, the call is through `update` of whatever type `ops.dsi` has in struct
 * omap_dss_device, which the Program finds in the members of every file (a header defines it).
 *
 * Types are named as written: a struct or union tag (`omap_dss_device`), or a typedef name
 * (`foo_t`), which the Program follows through `typedefs`. A structure defined inside another
 * without a tag is named after its place (`omap_dss_device.ops`); one without a member name
 * (a C11 anonymous union) lends its members to the structure around it.
 */
import type { FieldOwner, TypeFacts } from '../ir';
import type { SyntaxNode } from '../syntax/parser';
import { named, typeOf } from './syntax';
import type { SourceText } from './text';

const RECORDS = new Set(['struct_specifier', 'union_specifier']);

/** The type a declaration's type node names, when it is a structure or a typedef name. */
export function typeName(type: SyntaxNode | null, text: SourceText): string | undefined {
  if (!type) return undefined;
  const kind = typeOf(type);
  if (kind === 'type_identifier') return text.text(type);
  if (!RECORDS.has(kind)) return undefined;
  const name = type.childForFieldName('name');
  return name ? text.text(name) : undefined;
}

/** The names a declaration declares as variables (not functions), with their declarators. */
export function declaredVariables(decl: SyntaxNode, text: SourceText): string[] {
  const out: string[] = [];
  for (const child of named(decl)) {
    let at: SyntaxNode | undefined = child;
    for (;;) {
      const kind: string | undefined = at && typeOf(at);
      if (kind === 'identifier') break;
      if (kind === 'function_declarator') return out; // a prototype: no variable
      if (kind === 'init_declarator' || kind === 'pointer_declarator' || kind === 'array_declarator' || kind === 'attributed_declarator' || kind === 'parenthesized_declarator') {
        const parts = named(at!);
        at = kind === 'pointer_declarator' ? parts[parts.length - 1] : parts[0];
      } else {
        at = undefined;
        break;
      }
    }
    if (at) out.push(text.text(at));
  }
  return out;
}

/** A file-level item's contribution to the file's types: structures it defines, typedefs, globals. */
export function fileLevelTypes(node: SyntaxNode, text: SourceText, facts: TypeFacts): void {
  const kind = typeOf(node);
  if (RECORDS.has(kind)) {
    record(node, undefined, text, facts);
    return;
  }
  if (kind !== 'declaration' && kind !== 'type_definition') return;
  const type = node.childForFieldName('type');
  const written = typeName(type, text);
  if (type && RECORDS.has(typeOf(type))) record(type, undefined, text, facts);
  if (kind === 'type_definition') {
    for (const name of typedefNames(node, text)) {
      if (written !== undefined) {
        if (written !== name) facts.typedefs[name] = written;
      } else if (type && RECORDS.has(typeOf(type))) record(type, name, text, facts); // typedef struct { ... } name;
    }
    return;
  }
  if (written === undefined) return;
  for (const name of declaredVariables(node, text)) facts.globals[name] = written;
}

/** The members of a structure definition that are structures, under its tag (or `as`). */
function record(spec: SyntaxNode, as: string | undefined, text: SourceText, facts: TypeFacts): void {
  const body = spec.childForFieldName('body');
  const tag = as ?? typeName(spec, text);
  if (!body || tag === undefined) return;
  const members: Record<string, string> = {};
  membersOf(body, tag, members, text, facts);
  // (a structure holding no structures, only function pointers and scalars, is not a step on any path: left out)
  for (const _ in members) {
    facts.members[tag] = Object.assign(facts.members[tag] ?? {}, members);
    break;
  }
}

function membersOf(body: SyntaxNode, owner: string, into: Record<string, string>, text: SourceText, facts: TypeFacts): void {
  for (const field of named(body)) {
    if (typeOf(field) !== 'field_declaration') continue;
    const type = field.childForFieldName('type');
    if (!type) continue;
    const parts = named(field);
    const names = parts.filter((n) => n !== type && DECLARATORS.has(typeOf(n))).flatMap((d) => memberName(d, text, parts) ?? []);
    const inner = RECORDS.has(typeOf(type)) ? type.childForFieldName('body') : null;
    const tag = typeName(type, text);
    if (inner && names.length === 0 && tag === undefined) {
      membersOf(inner, owner, into, text, facts); // an anonymous union: its members are the owner's
      continue;
    }
    if (inner) record(type, tag ?? `${owner}.${names[0]}`, text, facts);
    const memberType = tag ?? (inner ? `${owner}.${names[0]}` : undefined);
    if (memberType === undefined) continue;
    for (const name of names) into[name] = memberType;
  }
}

const DECLARATORS = new Set(['field_identifier', 'pointer_declarator', 'array_declarator', 'attributed_declarator', 'parenthesized_declarator']);

/**
 * `*ops`, `ops[4]` -> `ops`; a function pointer member (`(*open)(...)`) holds no structure: none.
 * A trailing attribute macro (`const struct nft_object_ops *ops ____cacheline_aligned;`) parses
 * as the name, with the real one in an ERROR before it: the member is `ops`.
 */
function memberName(node: SyntaxNode, text: SourceText, parts = [node]): string | undefined {
  let at: SyntaxNode | undefined = node;
  while (at) {
    const kind = typeOf(at);
    if (kind === 'field_identifier') return nameBeforeAttribute(at, parts, text) ?? text.text(at);
    if (kind === 'function_declarator') return undefined;
    parts = named(at);
    at = kind === 'pointer_declarator' ? parts[parts.length - 1] : parts[0];
  }
  return undefined;
}

/** The name in an ERROR just before `name` among `siblings`, when `name` is an attribute's (`__...`). */
function nameBeforeAttribute(name: SyntaxNode, siblings: readonly SyntaxNode[], text: SourceText): string | undefined {
  if (!text.text(name).startsWith('__')) return undefined;
  const before = siblings[siblings.indexOf(name) - 1];
  const inside = before && typeOf(before) === 'ERROR' ? named(before) : [];
  return inside.length === 1 && typeOf(inside[0]!) === 'field_identifier' ? text.text(inside[0]!) : undefined;
}

function typedefNames(node: SyntaxNode, text: SourceText): string[] {
  const out: string[] = [];
  for (const child of named(node).slice(1)) {
    let at: SyntaxNode | undefined = child;
    while (at && typeOf(at) === 'pointer_declarator') at = named(at).at(-1);
    if (at && typeOf(at) === 'type_identifier') out.push(text.text(at));
  }
  return out;
}

/**
 * Where the field of `expr` (a field_expression, `a->b.c`) is: the declared type of the variable the
 * path starts from and the fields between it and the last one (`{ type: 'dev', via: ['b'] }`).
 * Undefined when the path starts anywhere but a variable of known type (a call, a cast, an index).
 */
export function fieldOwner(expr: SyntaxNode, typeOfVariable: (name: string) => string | undefined, text: SourceText): FieldOwner | undefined {
  const via: string[] = [];
  let at = named(expr)[0];
  while (at && typeOf(at) === 'field_expression') {
    const parts = named(at);
    const field = parts[parts.length - 1];
    if (!field || typeOf(field) !== 'field_identifier') return undefined;
    via.unshift(text.text(field));
    at = parts[0];
  }
  if (!at || typeOf(at) !== 'identifier') return undefined;
  const type = typeOfVariable(text.text(at));
  if (type === undefined) return undefined;
  return via.length ? { type, via } : { type };
}
