/**
 * One function definition into a FunctionIR: its name, parameters, header text (where `__must_hold`
 * and friends are written), the comment above it, and the CFG of its body.
 */
import type { FunctionIR } from '../ir';
import type { FileFacts } from './context';
import type { SyntaxNode } from '../syntax/parser';
import { argOf, argumentGroups } from './expressions';
import { TYPEOF, declaratorName } from './shapes';
import { FunctionLowering } from './statements';
import { firstNamed, named as namedChildren, typeOf } from './syntax';
import { nodeSpan, type SourceText } from './text';
import { typeName } from './types';

/** Comment ranges of the file, sorted, to find the block above a definition. */
export interface CommentIndex {
  starts: number[];
  ends: number[];
  texts: string[];
}

/** A definition as found in the tree: a function_definition, or `MACRO(name, ...) { body }`. */
export type Definition =
  /** `from`: where the header starts when it is not the node's start (a header read again, reparse.ts). */
  | { kind: 'function'; node: SyntaxNode; from?: SyntaxNode; misread?: true }
  | { kind: 'macro'; head: SyntaxNode; call: SyntaxNode; body: SyntaxNode };

export function lowerDefinition(
  def: Definition,
  text: SourceText,
  comments: CommentIndex,
  facts: FileFacts,
  /** Give the function an empty body (when lowering the real one failed). */
  emptyBody = false,
): FunctionIR {
  const first = def.kind === 'function' ? (def.from ?? def.node) : def.head;
  const start = first.startIndex;
  const body = def.kind === 'function' ? def.node.childForFieldName('body') : def.body;
  const end = def.kind === 'function' ? def.node : def.body;
  const named = def.kind === 'function' ? nameOfDefinition(def.node, text) : nameOfMacroDefinition(def.call, text);

  const lowering = new FunctionLowering(text, facts);
  lowering.declareParameters(named.params, named.types ?? {});
  lowering.body(emptyBody ? null : body, body);
  const { blocks, entry, exit } = lowering.cfg.finish();

  const headerEnd = body ? body.startIndex : end.endIndex;
  const header = text.withoutComments(start, headerEnd).replace(/\s+/g, ' ').trim();
  const beforeName = named.node ? text.slice(start, named.node.startIndex) : header;
  return {
    name: named.name,
    span: { ...nodeSpan(first), ...endOf(end) },
    nameSpan: nodeSpan(named.node ?? (def.kind === 'function' ? def.node : def.head)),
    params: named.params,
    ...(named.exact ? { exactArity: true as const } : {}),
    locals: lowering.locals,
    isStatic: /(^|[^\w])static([^\w]|$)/.test(text.withoutComments(start, start + beforeName.length)),
    header,
    leadingComment: leadingComment(start, text, comments),
    blocks,
    entry,
    exit,
    ...(def.kind === 'function' && (def.misread || isMisread(def.node, text)) ? { misread: true as const } : {}),
  };
}

/**
 * Whether a definition's type is a macro call (`for_each_possible_cpu(cpu)`; GNU C's `typeof(x)`
 * aside). Nested in a function, that is statements misread, not a function a broken parse swallowed.
 */
export function hasMacroCallType(node: SyntaxNode, text: SourceText): boolean {
  const type = node.childForFieldName('type');
  if (!type || typeOf(type) !== 'macro_type_specifier') return false;
  return !TYPEOF.test(text.text(type).replace(/\s*\(.*$/s, ''));
}

/**
 * Statements misread as a definition at any level: a macro call for its type and parameters that
 * are bare names, read as an old-style identifier list or as types without a parameter name (no
 * kernel definition has either): `for_each_online_cpu(cpu) per_cpu(var, cpu).sampling = 0; ... {`
 * read as a function `per_cpu(var, cpu)`.
 */
function isMisread(node: SyntaxNode, text: SourceText): boolean {
  if (!hasMacroCallType(node, text)) return false;
  let declarator: SyntaxNode | null = node.childForFieldName('declarator');
  while (declarator && typeOf(declarator) !== 'function_declarator') declarator = declarator.childForFieldName('declarator');
  const params = declarator?.childForFieldName('parameters');
  const bare = (p: SyntaxNode) =>
    typeOf(p) === 'identifier' || (typeOf(p) === 'parameter_declaration' && !p.childForFieldName('declarator') && text.text(p).trim() !== 'void');
  return params ? namedChildren(params).some(bare) : false;
}

function endOf(node: SyntaxNode): { endLine: number; endColumn: number } {
  const s = nodeSpan(node);
  return { endLine: s.endLine, endColumn: s.endColumn };
}

interface Named {
  name: string;
  node: SyntaxNode | null;
  params: (string | null)[];
  /** Declared types of the parameters that are structures or typedef names. */
  types?: Record<string, string>;
  /** A prototype: a call passes exactly `params.length` arguments. */
  exact?: boolean;
}

/** Walks the declarator down to the innermost function_declarator and its identifier. */
function nameOfDefinition(def: SyntaxNode, text: SourceText): Named {
  let at: SyntaxNode | null | undefined = def.childForFieldName('declarator');
  let fn: SyntaxNode | undefined;
  while (at && at.type !== 'identifier') {
    if (at.type === 'function_declarator') fn = at;
    at = at.type === 'parenthesized_declarator' || at.type === 'attributed_declarator' ? firstNamed(at) : at.childForFieldName('declarator');
  }
  const { params, types, exact } = fn ? paramsOf(fn, text) : { params: [], types: {}, exact: false };
  if (at) return { name: text.text(at), node: at, params, types, exact };
  const line = def.startPosition.row + 1;
  return { name: `<unnamed@${line}>`, node: null, params, types, exact };
}

/**
 * Parameter names in order (`(void)` has none; unnamed ones are null), their types that are
 * structures, and whether the list is a prototype a call must match in number: not with `...`, not
 * `()` (unspecified), not with anything tree-sitter could not read as a declaration.
 */
function paramsOf(fn: SyntaxNode, text: SourceText): { params: (string | null)[]; types: Record<string, string>; exact: boolean } {
  const list = fn.childForFieldName('parameters');
  const types: Record<string, string> = {};
  if (!list) return { params: [], types, exact: false };
  const params: (string | null)[] = [];
  const declarations = list.namedChildren.filter((p) => p !== null && p.type !== 'comment');
  const exact = declarations.length > 0 && declarations.every((p) => p!.type === 'parameter_declaration');
  for (const p of list.namedChildren) {
    if (!p || p.type !== 'parameter_declaration') continue;
    const name = declaratorName(p.childForFieldName('declarator'), text);
    params.push(name);
    const type = name === null ? undefined : typeName(p.childForFieldName('type'), text);
    if (name !== null && type !== undefined) types[name] = type;
  }
  if (params.length === 1 && params[0] === null && list.namedChildren.length === 1) {
    const only = list.namedChildren[0];
    if (only && text.norm(only) === 'void') return { params: [], types, exact };
  }
  return { params, types, exact };
}

/**
 * `SYSCALL_DEFINE3(mremap, unsigned long, addr, ...) { }`: named after the first argument; when the
 * rest come in (type, name) pairs, the names are the parameters.
 */
function nameOfMacroDefinition(call: SyntaxNode, text: SourceText): Named {
  const list = call.childForFieldName('arguments');
  const first = list?.namedChildren.find((c) => c && c.type !== 'comment') ?? null;
  const args = list ? argumentGroups(list).map((g) => argOf(text, g)) : [];
  const params: (string | null)[] = [];
  if (args.length > 1 && (args.length - 1) % 2 === 0) {
    for (let i = 2; i < args.length; i += 2) params.push(/^\w+$/.test(args[i].text) ? args[i].text : null);
  }
  if (first && first.type === 'identifier') return { name: text.text(first), node: first, params };
  const fn = call.childForFieldName('function');
  return { name: fn ? text.text(fn) : `<unnamed@${call.startPosition.row + 1}>`, node: fn, params };
}

/** The comments directly above `start`: no code and no blank line between them and the definition. */
function leadingComment(start: number, text: SourceText, comments: CommentIndex): string {
  let lo = 0;
  let hi = comments.ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (comments.ends[mid] <= start) lo = mid + 1;
    else hi = mid;
  }
  const parts: string[] = [];
  let at = start;
  for (let i = lo - 1; i >= 0; i--) {
    const gap = text.slice(comments.ends[i], at);
    if (/\S/.test(gap) || gap.indexOf('\n') !== gap.lastIndexOf('\n')) break; // code or a blank line between
    parts.unshift(comments.texts[i]);
    at = comments.starts[i];
  }
  return parts.join('\n');
}
