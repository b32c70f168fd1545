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
import type { FileIR, FunctionIR } from '../ir';
import type { SyntaxNode, Tree } from '../syntax/parser';
import { findComments } from './comments';
import type { FileFacts } from './context';
import { lowerDefinition, type CommentIndex, type Definition } from './functions';
import { declaredFunctionNames, designatedRefs } from './refs';
import { named, typeOf } from './syntax';
import { SourceText } from './text';

export function lowerFile(tree: Tree, file: string): FileIR {
  const root = tree.rootNode;
  const src = root.text;
  const text = new SourceText(src, root.startIndex);
  const found = findComments(src, root.startIndex, root.startPosition);
  const commentIndex: CommentIndex = { starts: [], ends: [], texts: [] };
  for (const c of found) {
    text.addComment(c.start, c.end);
    commentIndex.starts.push(c.start);
    commentIndex.ends.push(c.end);
    commentIndex.texts.push(c.text);
  }

  const facts: FileFacts = { designatedRefs: [], assignedRefs: [], nestedDefinitions: [] };
  const definitions: Definition[] = [];
  const declaredFunctions = new Set<string>();
  fileLevel(root, text, facts, definitions, declaredFunctions);

  const functions: FunctionIR[] = [];
  for (let i = 0; i < definitions.length; i++) {
    functions.push(lowerDefinitionSafely(definitions[i], text, commentIndex, facts));
    // a definition swallowed by a broken one is lowered on its own
    for (const node of facts.nestedDefinitions.splice(0)) definitions.push({ kind: 'function', node });
  }
  functions.sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column);

  for (const f of functions) declaredFunctions.add(f.name);
  const functionRefs = [...facts.designatedRefs, ...facts.assignedRefs.filter((r) => declaredFunctions.has(r.function))];
  functionRefs.sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column);

  return {
    file,
    functions,
    comments: found.map(({ text: t, span }) => ({ text: t, span })),
    functionRefs,
    syntaxErrors: root.hasError ? countErrors(root) : 0,
  };
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

/** Finds the definitions, prototypes and initialised function tables among the file-level items. */
function fileLevel(
  container: SyntaxNode,
  text: SourceText,
  facts: FileFacts,
  definitions: Definition[],
  declared: Set<string>,
): void {
  const items = named(container);
  for (let i = 0; i < items.length; i++) {
    const node = items[i];
    const type = typeOf(node);
    if (type === 'function_definition') definitions.push({ kind: 'function', node });
    else if (type === 'declaration') {
      for (const name of declaredFunctionNames(node, text)) declared.add(name);
      facts.designatedRefs.push(...designatedRefs(node, text));
    } else if (type === 'expression_statement') {
      const body = items[i + 1];
      const call = named(node)[0];
      // `SYSCALL_DEFINE3(mremap, ...) { ... }`: a call whose `;` is missing, then a block
      if (body && typeOf(body) === 'compound_statement' && call && typeOf(call) === 'call_expression' && call.endIndex === node.endIndex) {
        definitions.push({ kind: 'macro', head: node, call, body });
        i++;
      }
    } else if (CONTAINERS.has(type) || type === 'compound_statement') {
      // a file-level block is broken code (`u8 t[] __aligned(8) = { ... }` read as a block) that
      // may hold the next definitions
      fileLevel(node, text, facts, definitions, declared);
    }
  }
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
