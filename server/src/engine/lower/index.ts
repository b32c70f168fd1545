/**
 * The lowering: a tree-sitter tree of a C file into its FileIR (one CFG per function, the file's
 * comments, the functions stored as values, the count of syntax errors). One query over the whole
 * tree finds comments, errors, definitions and function references; each definition's body is then
 * lowered on its own, reading only the nodes it needs.
 */
import type { Comment, FileIR, FunctionRef } from '../ir';
import { Query, type Language } from 'web-tree-sitter';
import type { SyntaxNode, Tree } from '../syntax/parser';
import { definitionStart, lowerDefinition, type CommentIndex, type Definition } from './functions';
import { isMacroShapedDefinition } from './statements';
import { assignedRef, declaredFunctionNames, designatedRef } from './refs';
import { nodeSpan, SourceText } from './text';

export function lowerFile(tree: Tree, file: string): FileIR {
  const root = tree.rootNode;
  const text = new SourceText(root.text, root.startIndex);
  const scan = scanFile(tree, text);
  const definitions = scan.definitions.sort((a, b) => definitionStart(a) - definitionStart(b));
  const functions = definitions.map((def) => lowerDefinition(def, text, scan.commentIndex));

  const functionNames = new Set(scan.declaredFunctions);
  for (const f of functions) functionNames.add(f.name);
  const functionRefs = [...scan.designatedRefs, ...scan.assignedRefs.filter((r) => functionNames.has(r.function))];
  functionRefs.sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column);

  return { file, functions, comments: scan.comments, functionRefs, syntaxErrors: scan.syntaxErrors };
}

interface FileScan {
  comments: Comment[];
  commentIndex: CommentIndex;
  syntaxErrors: number;
  definitions: Definition[];
  designatedRefs: FunctionRef[];
  /** Candidates, kept when the identifier names a function of the file. */
  assignedRefs: FunctionRef[];
  /** Functions declared (prototypes) at file level. */
  declaredFunctions: string[];
}

/**
 * Everything the file-level scan needs, matched in one pass inside tree-sitter (far cheaper than
 * walking every node from JavaScript): comments, errors, definitions, function references.
 */
const SCAN_QUERY = `
(comment) @comment
(ERROR) @error
(MISSING) @missing
(function_definition) @function
(translation_unit (compound_statement) @body)
(preproc_if (compound_statement) @body)
(preproc_ifdef (compound_statement) @body)
(preproc_else (compound_statement) @body)
(preproc_elif (compound_statement) @body)
(ERROR (compound_statement) @body)
(initializer_pair designator: (field_designator) value: [(identifier) (pointer_expression argument: (identifier))]) @pair
(assignment_expression left: (field_expression) right: [(identifier) (pointer_expression argument: (identifier))]) @assign
(declaration declarator: [(function_declarator) (pointer_declarator declarator: (function_declarator))]) @prototype
`;

const queries = new WeakMap<Language, Query>();

function scanQuery(language: Language): Query {
  let q = queries.get(language);
  if (!q) {
    q = new Query(language, SCAN_QUERY);
    queries.set(language, q);
  }
  return q;
}

function scanFile(tree: Tree, text: SourceText): FileScan {
  const scan: FileScan = {
    comments: [],
    commentIndex: { starts: [], ends: [], texts: [] },
    syntaxErrors: 0,
    definitions: [],
    designatedRefs: [],
    assignedRefs: [],
    declaredFunctions: [],
  };
  for (const { name, node } of scanQuery(tree.language).captures(tree.rootNode)) {
    switch (name) {
      case 'comment': {
        const start = node.startIndex;
        const end = node.endIndex;
        const body = text.slice(start, end);
        text.addComment(start, end);
        scan.comments.push({ text: body, span: nodeSpan(node) });
        scan.commentIndex.starts.push(start);
        scan.commentIndex.ends.push(end);
        scan.commentIndex.texts.push(body);
        break;
      }
      case 'error':
      case 'missing':
        scan.syntaxErrors++;
        break;
      case 'function':
        // `for_each_online_node(nid) { ... }` inside a body is lowered there, as a macro block
        if (!(isMacroShapedDefinition(node) && insideBody(node))) scan.definitions.push({ kind: 'function', node });
        break;
      case 'body': {
        const def = macroDefinition(node);
        if (def) scan.definitions.push(def);
        break;
      }
      case 'pair': {
        const ref = designatedRef(node, text);
        if (ref) scan.designatedRefs.push(ref);
        break;
      }
      case 'assign': {
        const ref = assignedRef(node, text);
        if (ref) scan.assignedRefs.push(ref);
        break;
      }
      case 'prototype':
        scan.declaredFunctions.push(...declaredFunctionNames(node, text));
        break;
    }
  }
  return scan;
}

function insideBody(node: SyntaxNode): boolean {
  for (let up = node.parent; up; up = up.parent) {
    const type = up.type;
    if (type === 'compound_statement') return true;
    if (type === 'translation_unit') return false;
  }
  return false;
}

/** `NAME(args)` with a missing `;` right before a file-level `{ ... }`: `SYSCALL_DEFINE3(...) { }`. */
function macroDefinition(body: SyntaxNode): Definition | undefined {
  const head = body.previousSibling;
  if (!head || head.type !== 'expression_statement') return undefined;
  const call = head.firstChild;
  const semicolon = head.lastChild;
  if (call?.type !== 'call_expression' || !semicolon || semicolon.startIndex !== semicolon.endIndex) return undefined;
  // an ERROR region inside a function body is not file level
  for (let up = body.parent; up; up = up.parent) if (up.type === 'function_definition') return undefined;
  return { kind: 'macro', head, call, body };
}

