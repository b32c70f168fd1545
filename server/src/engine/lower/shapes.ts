/**
 * Recognising tree shapes in function bodies: which nodes are statements (ERROR regions opened,
 * the `#if` branch of a conditional), the heads of kernel macro blocks in the shapes tree-sitter
 * gives them, declarator names, the span of a closing brace.
 */
import type { Span } from '../span';
import type { SyntaxNode } from '../syntax/parser';
import { kids, named, typeOf } from './syntax';
import type { SourceText } from './text';

/** Statement kinds that can be the body of a macro block written without braces. */
export const BODY_TYPES = new Set([
  'compound_statement',
  'expression_statement',
  'if_statement',
  'for_statement',
  'while_statement',
  'do_statement',
  'switch_statement',
  'return_statement',
  'break_statement',
  'continue_statement',
  'goto_statement',
]);


/**
 * The statements among `nodes`, with ERROR nodes opened (the broken region is skipped, what can be
 * recognised inside it is kept) and preprocessor conditionals replaced by their first (`#if`) branch,
 * or the next one when a default build leaves the first out.
 */
export function statementItems(nodes: SyntaxNode[], out: SyntaxNode[] = [], skipped?: SyntaxNode[]): SyntaxNode[] {
  for (const n of nodes) {
    const type = typeOf(n);
    switch (type) {
      case '{':
      case '}':
      case 'comment':
      case 'attribute_declaration':
        continue;
      case 'preproc_else':
      case 'preproc_elif':
      case 'preproc_elifdef':
        // not lowered; but a broken parse may have put the next function definitions in here
        if (skipped) definitionsIn(n, skipped);
        continue;
      case 'ERROR': {
        // anything goes inside an ERROR: keep its named children only, unless it is a misread
        // macro loop (`for_each_node(n) stmt;`), which expandMisread re-reads as a whole
        // or a dangling `else` (`else` read as a type name), which the lowering takes as a whole
        const parts = named(n);
        const first = parts[0] && typeOf(parts[0]);
        if (first === 'macro_type_specifier' || first === 'type_identifier' || isBareElse(n)) out.push(n);
        else statementItems(parts, out, skipped);
        continue;
      }
      case 'attributed_statement':
        statementItems(named(n), out, skipped);
        continue;
      case 'preproc_if':
      case 'preproc_ifdef': {
        // child 0 is the condition or name; the alternatives are skipped, unless the first branch
        // is one a default build leaves out (`#if 0`, `#ifdef FOO_DEBUG`): then the next is read
        const parts = named(n);
        const branch = leftOut(n) ? takenInstead(parts[parts.length - 1]) : parts.slice(1);
        statementItems(branch, out, skipped);
        continue;
      }
    }
    if (type.startsWith('#')) continue; // `#endif` and other directive tokens
    out.push(n);
  }
  return out;
}

/**
 * Whether a conditional's first branch is one a default build leaves out: `#if 0`, `#if X` for a
 * macro the file defines as 0 and nothing else (qla1280's `#define DUMP_IT_BACK 0`), and code for
 * a file's own debugging switch (`#ifdef EXT2FS_DEBUG`, `#if defined(DEBUG)`), which kernel builds
 * leave undefined (ext2's free-block count under its superblock lock is debug-only code).
 */
export function leftOut(conditional: SyntaxNode): boolean {
  const first = named(conditional)[0];
  if (!first) return false;
  const directive = typeOf(conditional) === 'preproc_ifdef' || typeOf(conditional) === 'preproc_elifdef' ? kids(conditional)[0]?.type ?? '' : 'if';
  return leftOutCondition(directive, first.text, zeroMacrosOf(conditional.tree));
}

/**
 * The same for a directive's text: `directive` is the word after `#` (`if`, `ifdef`, `elifndef`,
 * ...), `condition` what follows it; `zero`, the macros the file defines as 0 (`zeroMacros`).
 */
export function leftOutCondition(directive: string, condition: string, zero?: ReadonlySet<string>): boolean {
  if (directive.endsWith('ndef')) return false;
  if (directive.endsWith('def')) return DEBUG_SWITCH.test(condition.trim());
  const bare = condition.replace(/\s+/g, '');
  return LEFT_OUT_CONDITION.test(bare) || (zero?.has(bare.replace(/^\((.*)\)$/, '$1')) ?? false);
}

/** Every object-like macro definition: its name, and what follows it up to a comment. */
const DEFINE = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(?![\w(])[ \t]*(.*?)[ \t]*(?:\/[*/].*)?$/gm;

/** The object-like macros `text` defines as 0 (or `(0)`) and as nothing else. */
export function zeroMacros(text: string): ReadonlySet<string> {
  const zero = new Set<string>();
  const other = new Set<string>();
  if (!text.includes('define')) return zero;
  for (const m of text.matchAll(DEFINE)) (/^\(?0\)?$/.test(m[2]!) ? zero : other).add(m[1]!);
  for (const name of other) zero.delete(name);
  return zero;
}

const zeroOfTree = new WeakMap<object, ReadonlySet<string>>();
function zeroMacrosOf(tree: SyntaxNode['tree']): ReadonlySet<string> {
  let zero = zeroOfTree.get(tree);
  if (!zero) zeroOfTree.set(tree, (zero = zeroMacros(tree.rootNode.text)));
  return zero;
}

/** A source file's own debugging switch; a Kconfig option (CONFIG_DEBUG_FS) is a build's choice, often on. */
const DEBUG_SWITCH = /^(?!CONFIG_)\w*DEBUG\w*$/;
const LEFT_OUT_CONDITION = /^(?:0|\(0\)|(?!CONFIG_)\w*DEBUG\w*|defined\(?(?!CONFIG_)\w*DEBUG\w*\)?)$/;

/** What is read in place of a left-out first branch: the `#else`'s items, an `#elif` as a conditional of its own, or nothing. */
export function takenInstead(alternative: SyntaxNode | undefined): SyntaxNode[] {
  if (!alternative) return [];
  const kind = typeOf(alternative);
  if (kind === 'preproc_else') return named(alternative);
  if (kind === 'preproc_elif' || kind === 'preproc_elifdef') {
    const parts = named(alternative);
    return leftOut(alternative) ? takenInstead(parts[parts.length - 1]) : parts.slice(1);
  }
  return [];
}

/**
 * An `else` alone, cut from its `if` by a conditional and from its body by the `#endif`:
 * `#ifdef CONFIG_KEXEC_JUMP if (c) { ... } else #endif { ... }`.
 */
export function isBareElse(node: SyntaxNode | undefined): boolean {
  return node !== undefined && typeOf(node) === 'ERROR' && named(node).length === 0 && node.text.trim() === 'else';
}

/** Function definitions in a skipped preprocessor branch (and the branches nested in it). */
function definitionsIn(branch: SyntaxNode, out: SyntaxNode[]): void {
  for (const n of named(branch)) {
    const type = typeOf(n);
    if (type === 'function_definition' && !isMacroShapedDefinition(n)) out.push(n);
    else if (type.startsWith('preproc_') || type === 'ERROR') definitionsIn(n, out);
  }
}

/**
 * The head of a macro block: `NAME(args)` whose `;` is missing (tree-sitter's reading of
 * `list_for_each_entry(p, h, m) {`), a bare call left by an ERROR region, or `NAME(arg)` read as a
 * macro type (see expandMisread).
 */
export function macroHeadOf(node: SyntaxNode): SyntaxNode | undefined {
  let call: SyntaxNode | undefined;
  const type = typeOf(node);
  if (type === 'macro_type_specifier') return node;
  if (type === 'call_expression') call = node;
  else if (type === 'expression_statement') {
    // the `;` is MISSING: the statement ends where the call does
    const expr = named(node)[0];
    if (expr && typeOf(expr) === 'call_expression' && expr.endIndex === node.endIndex) call = expr;
  }
  const fn = call && named(call)[0];
  return fn && typeOf(fn) === 'identifier' ? call : undefined;
}

/** A statement that can be a macro block's body: not a lone `;` (the one a misread head lacked). */
export function isBody(node: SyntaxNode): boolean {
  const type = typeOf(node);
  return BODY_TYPES.has(type) && !(type === 'expression_statement' && named(node).length === 0);
}

/**
 * The macro head (an expression statement whose `;` is MISSING) that ends an if without else or a
 * loop, as the last statement of its last branch or body: its block follows the whole statement.
 */
export function innerMacroHead(node: SyntaxNode): SyntaxNode | undefined {
  let at: SyntaxNode | undefined = node;
  for (let depth = 0; at && depth < 8; depth++) {
    const type = typeOf(at);
    if (type === 'expression_statement') return macroHeadOf(at) && at !== node ? at : undefined;
    if (type !== 'if_statement' && type !== 'while_statement' && type !== 'for_statement' && type !== 'else_clause') return undefined;
    const parts = named(at);
    at = parts[parts.length - 1];
  }
  return undefined;
}

/**
 * A definition with no function declarator, `NAME(arg) { ... }`: inside a function body this is a
 * macro block (`for_each_online_node(nid) { ... }`), at file level a macro-defined function.
 */
export function isMacroShapedDefinition(def: SyntaxNode): boolean {
  const parts = named(def);
  return (
    parts.some((p) => typeOf(p) === 'parenthesized_declarator') &&
    !parts.some((p) => typeOf(p) === 'function_declarator' || typeOf(p) === 'pointer_declarator')
  );
}

export function endsWithMissingSemicolon(node: SyntaxNode): boolean {
  const k = kids(node);
  const last = k[k.length - 1];
  return last !== undefined && typeOf(last) === ';' && last.startIndex === last.endIndex;
}

/** Statements re-read whole when an annotation breaks them (see recoverAnnotated). */
export const SIMPLE_STATEMENTS = new Set(['declaration', 'expression_statement', 'return_statement']);

/** What follows a misread macro type in a declaration: a statement read as a declarator. */
export const MISREAD_DECLARATORS = new Set(['function_declarator', 'init_declarator', 'ERROR']);

/** GNU C's own type operators, which really are `NAME(arg)` types. */
export const TYPEOF = /^(typeof|__typeof__|__typeof|typeof_unqual|__typeof_unqual__)$/;

/** The name a declarator declares (`*p`, `a[4]`, `(*fp)(int)` -> `p`, `a`, `fp`); null when none. */
export function declaratorName(node: SyntaxNode | null, text: SourceText): string | null {
  let at: SyntaxNode | undefined = node ?? undefined;
  while (at) {
    switch (typeOf(at)) {
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
        return text.text(at);
      case 'pointer_declarator':
      case 'abstract_pointer_declarator': {
        const n = named(at); // type qualifiers come first, the declarator last
        at = n[n.length - 1];
        break;
      }
      case 'parenthesized_declarator':
      case 'attributed_declarator':
      case 'array_declarator':
      case 'function_declarator':
      case 'init_declarator':
        at = named(at)[0];
        break;
      default:
        return null;
    }
  }
  return null;
}

/** The span of a node's last character (a block's closing brace). */
export function lastCharSpan(node: SyntaxNode): Span {
  const end = node.endPosition;
  const column = Math.max(1, end.column);
  return { line: end.row + 1, column, endLine: end.row + 1, endColumn: column + 1 };
}

export function closingSpan(node: SyntaxNode): Span {
  return lastCharSpan(node);
}
