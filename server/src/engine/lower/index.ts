/**
 * The lowering: a tree-sitter tree of a C file into its FileIR (one CFG per function, the file's
 * comments, the functions stored as values, the count of syntax errors).
 *
 * Walking a tree from JavaScript costs a call into wasm per node, so nothing here visits the whole
 * tree: comments are lexed from the text (comments.ts), definitions are found among the file-level
 * items only, and each function body is lowered reading only the nodes it needs. What the bodies
 * hold besides code (functions stored into fields, definitions nested by a broken parse) is
 * reported by their lowering into a FileFacts.
 */
import type { FileIR, FunctionIR, FunctionRef, Include, TypeFacts } from '../ir';
import type { SyntaxNode, Tree } from '../syntax/parser';
import { findComments } from './comments';
import { blankConditionalsInExpressions } from './conditionals';
import { braceMacroLoopBodies } from './loop-bodies';
import { orredConstants } from './macro-bits';
import type { FileFacts } from './context';
import { hasMacroCallType, lowerDefinition, type CommentIndex, type Definition } from './functions';
import { leftOut, takenInstead } from './shapes';
import { declaredFunctionNames, designatedRefs } from './refs';
import { blankAttributeCalls } from './annotations';
import { reparseDefinition, reparseFile } from './reparse';
import { isZeroWidth, kids, named, typeOf } from './syntax';
import { SourceText } from './text';
import { declaredVariables, fileLevelTypes } from './types';

/**
 * What an editor keeps between two lowerings of the same document: the definitions lowered last
 * time, by everything their IR depends on (their text, the text between them and the definition
 * before, which holds their leading comment, their column, the types of the file's variables). A
 * definition an edit did not touch is not walked again: its IR is reused,
 * moved by the lines the edit added or removed above it. Batch runs pass none.
 */
export class LoweringMemo {
  /** @internal */ current = new Map<string, MemoEntry>();
}

interface MemoEntry {
  fn: FunctionIR;
  refs: { designated: FunctionRef[]; assigned: FunctionRef[] };
  /** The definition's first line when it was lowered. */
  line: number;
}

export function lowerFile(tree: Tree, file: string, memo?: LoweringMemo): FileIR {
  const src = tree.rootNode.text;
  const mended = readMended(tree, src);
  const before = memo?.current;
  try {
    const first = lowerTree(mended?.tree ?? tree, src, file, memo, '', mended?.errors);
    if (first.swallowed === 0) return first.ir;
    // a definition swallowed another: was it a brace-less macro loop's doing?
    const braced = braceMacroLoopBodies(mended?.text ?? src);
    const again = braced === undefined ? undefined : reparseFile(tree, braced);
    if (!again) return first.ir;
    try {
      const trial = memo && before ? { current: before } : undefined;
      const second = lowerTree(again, src, file, trial, 'braced');
      if (second.swallowed >= first.swallowed) return first.ir;
      if (memo && trial) memo.current = trial.current;
      return second.ir;
    } finally {
      again.delete();
    }
  } finally {
    mended?.tree.delete();
  }
}

/**
 * A file tree-sitter misread for want of a preprocessor is parsed again with what misled it
 * blanked: attribute macros that take arguments (`static inline __alloc_size(1) void *f(...)`,
 * annotations.ts) and conditionals inside expressions (an `#ifdef` among a call's arguments or an
 * initialiser's fields, conditionals.ts). Of the readings, with both blanked and with the attributes
 * alone, the one with the fewest syntax errors is used when it has fewer than the file's own.
 * Positions are unchanged, and the text the IR quotes is the file's own.
 */
function readMended(tree: Tree, src: string): { tree: Tree; text: string; errors: number } | undefined {
  if (!tree.rootNode.hasError) return undefined;
  const withoutAttributes = blankAttributeCalls(src);
  const withoutBoth = blankConditionalsInExpressions(withoutAttributes ?? src);
  if (withoutBoth === undefined && withoutAttributes === undefined) return undefined;
  let best: { tree: Tree; text: string; errors: number } | undefined;
  let fewest = countErrors(tree.rootNode);
  for (const blanked of [withoutBoth, withoutAttributes]) {
    const again = blanked === undefined ? undefined : reparseFile(tree, blanked);
    if (!again) continue;
    const errors = again.rootNode.hasError ? countErrors(again.rootNode) : 0;
    if (errors < fewest) {
      best?.tree.delete();
      best = { tree: again, text: blanked!, errors };
      fewest = errors;
    } else again.delete();
  }
  return best;
}

/**
 * Lowers one reading of the file; `swallowed` counts the function definitions a broken parse nested
 * inside another (macro-shaped ones aside), and `reading` keeps the memo's entries of readings apart.
 * `errors`: the reading's syntax errors, when already counted.
 */
function lowerTree(tree: Tree, src: string, file: string, memo: LoweringMemo | undefined, reading: string, errors?: number): { ir: FileIR; swallowed: number } {
  const root = tree.rootNode;
  const text = new SourceText(src, root.startIndex);
  const found = findComments(src, root.startIndex, root.startPosition);
  const commentIndex: CommentIndex = { starts: [], ends: [], texts: [] };
  for (const c of found) {
    text.addComment(c.start, c.end);
    commentIndex.starts.push(c.start);
    commentIndex.ends.push(c.end);
    commentIndex.texts.push(c.text);
  }

  const facts: FileFacts = { designatedRefs: [], assignedRefs: [], nestedDefinitions: [], types: { members: {}, typedefs: {}, globals: {} } };
  const definitions: Definition[] = [];
  const declaredFunctions = new Set<string>();
  const includes: Include[] = [];
  const macros: string[] = [];
  const macroBits: Record<string, string[]> = {};
  const reparsed: Tree[] = [];
  const statics: string[] = [];
  fileLevel(named(root), text, facts, { definitions, declared: declaredFunctions, includes, macros, macroBits, statics, reparsed }, false);

  const functions: FunctionIR[] = [];
  const next = new Map<string, MemoEntry>();
  const fileLevelCount = definitions.length;
  // A body's calls through fields name the types of the file's variables it uses.
  const globals = memo ? reading + JSON.stringify(facts.types.globals) : '';
  let swallowed = 0;
  let previousEnd = 0;
  try {
    for (let i = 0; i < definitions.length; i++) {
      const def = definitions[i]!;
      // Nested definitions (a broken parse) are lowered afresh; the others are keyed by their text
      // from the end of the definition before them, which holds their leading comment.
      const key = memo && i < fileLevelCount ? memoKey(def, src, root.startIndex, previousEnd, globals) : undefined;
      if (i < fileLevelCount) previousEnd = Math.max(previousEnd, lastNode(def).endIndex - root.startIndex);
      const known = key !== undefined ? memo!.current.get(key) : undefined;
      const line = firstNode(def).startPosition.row + 1;
      if (known && key !== undefined) {
        const delta = line - known.line;
        functions.push(shiftLines(known.fn, delta));
        facts.designatedRefs.push(...shiftLines(known.refs.designated, delta));
        facts.assignedRefs.push(...shiftLines(known.refs.assigned, delta));
        next.set(key, { ...known, fn: functions[functions.length - 1]!, line });
        continue;
      }
      const designatedBefore = facts.designatedRefs.length;
      const assignedBefore = facts.assignedRefs.length;
      const fn = lowerDefinitionSafely(def, text, commentIndex, facts);
      functions.push(fn);
      if (key !== undefined && facts.nestedDefinitions.length === 0) {
        const refs = { designated: facts.designatedRefs.slice(designatedBefore), assigned: facts.assignedRefs.slice(assignedBefore) };
        next.set(key, { fn, refs, line });
      }
      // a definition swallowed by a broken one is lowered on its own
      const ownEnd = lastNode(def).endIndex;
      for (const node of facts.nestedDefinitions.splice(0)) {
        const def = definitionOf(node, node.previousNamedSibling ?? undefined, text, reparsed);
        const misread = def.kind === 'function' && hasMacroCallType(def.node, text);
        // a real definition inside another, or a misread loop that took the enclosing function's `}`
        if (!misread || node.endIndex === ownEnd) swallowed++;
        definitions.push(misread ? { ...def, misread: true } : def);
      }
    }
  } finally {
    for (const t of reparsed) t.delete();
  }
  if (memo) memo.current = next;
  functions.sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column);

  for (const f of functions) declaredFunctions.add(f.name);
  const functionRefs = [...facts.designatedRefs, ...facts.assignedRefs.filter((r) => declaredFunctions.has(r.function))];
  functionRefs.sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column);

  const ir: FileIR = {
    file,
    functions,
    comments: found.map(({ text: t, span }) => ({ text: t, span })),
    functionRefs,
    syntaxErrors: errors ?? (root.hasError ? countErrors(root) : 0),
    includes,
    ...(macros.length ? { macros: [...new Set(macros)] } : {}),
    ...(Object.keys(macroBits).length ? { macroBits } : {}),
    // a header's statics are each including file's: not one file's variable
    ...(statics.length && !file.endsWith('.h') ? { statics: [...new Set(statics)].sort() } : {}),
    ...(hasTypes(facts.types) ? { types: facts.types } : {}),
  };
  return { ir, swallowed };
}

function hasTypes(types: TypeFacts): boolean {
  for (const table of [types.members, types.typedefs, types.globals]) for (const _ in table) return true;
  return false;
}

/**
 * A definition the lowering could not handle (an input that exhausts the stack, a bug) is reported
 * as a function with an empty body rather than losing the file.
 */
function lowerDefinitionSafely(def: Definition, text: SourceText, comments: CommentIndex, facts: FileFacts): FunctionIR {
  try {
    return lowerDefinition(def, text, comments, facts);
  } catch {
    return lowerDefinition(def, text, comments, facts, true);
  }
}

/** Node types that hold file-level items. */
const CONTAINERS = new Set([
  'translation_unit',
  'preproc_if',
  'preproc_ifdef',
  'preproc_else',
  'preproc_elif',
  'preproc_elifdef',
  'ERROR',
  'linkage_specification',
  'declaration_list',
]);

const PREPROC_CONDITIONALS = new Set(['preproc_if', 'preproc_ifdef', 'preproc_elif', 'preproc_elifdef']);
/** The containers whose items a build may leave out. */
const PREPROC_BRANCHES = new Set([...PREPROC_CONDITIONALS, 'preproc_else']);

/** What the walk over the file-level items collects besides the facts of the bodies. */
interface FileItems {
  definitions: Definition[];
  /** Names of the functions the file declares (prototypes). */
  declared: Set<string>;
  includes: Include[];
  /** Function-like macros defined outside any `#if` but the include guard (`FileIR.macros`). */
  macros: string[];
  /** Of those, the ones whose value or-s in constants (`FileIR.macroBits`). */
  macroBits: Record<string, string[]>;
  /** Variables declared `static` at file level (`FileIR.statics`). */
  statics: string[];
  /** Trees of definitions read again (reparse.ts), deleted when the file is lowered. */
  reparsed: Tree[];
}

/**
 * Finds the definitions, prototypes, initialised function tables and `#include` directives among the
 * file-level items, in source order, in every branch of `#if`/`#ifdef` but those a default build
 * leaves out (`#if 0`, `#ifdef FOO_DEBUG`: see shapes.ts).
 */
function fileLevel(items: SyntaxNode[], text: SourceText, facts: FileFacts, found: FileItems, conditional: boolean): void {
  const { definitions, declared } = found;
  for (let i = 0; i < items.length; i++) {
    const node = items[i];
    const type = typeOf(node);
    if (type === 'function_definition') definitions.push(definitionOf(node, items[i - 1], text, found.reparsed));
    else if (type === 'declaration') {
      for (const name of declaredFunctionNames(node, text)) declared.add(name);
      facts.designatedRefs.push(...designatedRefs(node, text));
      fileLevelTypes(node, text, facts.types);
      if (named(node).some((c) => typeOf(c) === 'storage_class_specifier' && text.text(c) === 'static')) found.statics.push(...declaredVariables(node, text));
    } else if (type === 'struct_specifier' || type === 'union_specifier' || type === 'type_definition') {
      fileLevelTypes(node, text, facts.types);
    } else if (type === 'expression_statement') {
      const body = items[i + 1];
      const call = named(node)[0];
      // `SYSCALL_DEFINE3(mremap, ...) { ... }`: a call whose `;` is missing, then a block
      if (body && typeOf(body) === 'compound_statement' && call && typeOf(call) === 'call_expression' && call.endIndex === node.endIndex) {
        definitions.push({ kind: 'macro', head: node, call, body });
        i++;
      }
    } else if (PREPROC_CONDITIONALS.has(type) && leftOut(node)) {
      // `#if 0` (or a debugging switch) around definitions: what is compiled in its place
      fileLevel(takenInstead(named(node).at(-1)), text, facts, found, true);
    } else if (CONTAINERS.has(type) || type === 'compound_statement') {
      // a file-level block is broken code (`u8 t[] __aligned(8) = { ... }` read as a block) that
      // may hold the next definitions
      const inBranch = conditional || (PREPROC_BRANCHES.has(type) && !isIncludeGuard(node, text));
      fileLevel(named(node), text, facts, found, inBranch);
    } else if (type === 'preproc_include') {
      const include = includeOf(node, text);
      if (include) found.includes.push(include);
    } else if (type === 'preproc_function_def' && !conditional) {
      const name = node.childForFieldName('name');
      if (!name) continue;
      const macro = text.text(name);
      found.macros.push(macro);
      const value = node.childForFieldName('value');
      const parameters = node.childForFieldName('parameters');
      const params = parameters ? named(parameters).map((p) => text.text(p)) : [];
      const bits = value ? orredConstants(text.text(value), params) : [];
      // a second definition outside any `#if` replaces the first (or the build fails): the last one
      if (bits.length > 0) found.macroBits[macro] = bits;
      else delete found.macroBits[macro];
    }
  }
}

/** `#ifndef FOO_H` whose first item is `#define FOO_H`: the whole header, not a branch of it. */
function isIncludeGuard(node: SyntaxNode, text: SourceText): boolean {
  if (typeOf(node) !== 'preproc_ifdef' || node.child(0)?.type !== '#ifndef') return false;
  const name = node.childForFieldName('name');
  const first = name?.nextNamedSibling;
  const defined = first && typeOf(first) === 'preproc_def' ? first.childForFieldName('name') : undefined;
  return !!name && !!defined && text.text(defined) === text.text(name);
}

/**
 * A function definition, read again with the declaration before it when an annotation split its
 * header: tree-sitter ends a declaration after `__init` in `void __init f(void) { }` (a MISSING
 * `;`) and reads `f` as the type of a definition named `(void)`.
 */
function definitionOf(node: SyntaxNode, before: SyntaxNode | undefined, text: SourceText, reparsed: Tree[]): Definition {
  if (before && typeOf(before) === 'declaration' && before.endIndex <= node.startIndex) {
    const last = kids(before).at(-1);
    const again = last && isZeroWidth(last) ? reparseDefinition(text, before, node) : undefined;
    if (again) {
      reparsed.push(again.tree);
      return { kind: 'function', node: again.definition, from: before };
    }
  }
  return { kind: 'function', node };
}

/**
 * `#include <a/b.h>` and `#include "b.h"`. A computed include (`#include MACRO`,
 * `#include __stringify(x)`) names no file before the preprocessor runs: it is left out.
 * (An `#include` inside a function body or an initialiser is an x-macro table, not a header of
 * functions; the walk does not go there.)
 */
function includeOf(node: SyntaxNode, text: SourceText): Include | undefined {
  const path = node.childForFieldName('path');
  if (!path) return undefined;
  const kind = typeOf(path);
  if (kind !== 'system_lib_string' && kind !== 'string_literal') return undefined;
  const written = text.text(path);
  const inner = written.slice(1, -1).trim();
  if (inner === '' || written.length < 2) return undefined;
  return { path: inner, system: kind === 'system_lib_string', line: node.startPosition.row + 1 };
}

/**
 * ERROR and MISSING nodes, found by descending only into subtrees that have an error (errors are
 * sparse: this visits a few paths, not the tree).
 */
function countErrors(node: SyntaxNode): number {
  let n = node.type === 'ERROR' || node.isMissing ? 1 : 0;
  // (an ERROR holding a lone stray character may carry no error cost: its hasError is false)
  for (const child of node.children) if (child && (child.hasError || child.type === 'ERROR')) n += countErrors(child);
  return n;
}

function firstNode(def: Definition): SyntaxNode {
  return def.kind === 'function' ? (def.from ?? def.node) : def.head;
}

function lastNode(def: Definition): SyntaxNode {
  return def.kind === 'function' ? def.node : def.body;
}

function memoKey(def: Definition, src: string, base: number, from: number, globals: string): string {
  const first = firstNode(def);
  const end = lastNode(def).endIndex - base;
  return `${def.kind}\0${first.startPosition.column}\0${globals}\0${src.slice(Math.min(from, first.startIndex - base), end)}`;
}

/** A copy of `value` with every `line` and `endLine` moved by `delta` (the value itself when 0). */
function shiftLines<T>(value: T, delta: number): T {
  if (delta === 0) return value;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = (k === 'line' || k === 'endLine') && typeof x === 'number' ? x + delta : walk(x);
    return out;
  };
  return walk(value) as T;
}
