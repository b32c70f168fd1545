/**
 * The lowering: a tree-sitter tree of a C file into its FileIR (one CFG per function, the file's
 * comments, the functions stored as values, the count of syntax errors). One cursor walk over the
 * whole tree finds comments, errors, definitions and function references; each definition's body is
 * then lowered on its own.
 */
import type { Comment, FileIR, FunctionRef } from '../ir';
import type { SyntaxNode, Tree } from '../syntax/parser';
import { definitionStart, lowerDefinition, type CommentIndex, type Definition } from './functions';
import { assignedRef, declaredFunctionNames, designatedRef } from './refs';
import { SourceText, spanOf } from './text';

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

/** Node types that hold file-level items (where a macro-defined function can appear). */
const FILE_LEVEL = new Set(['translation_unit', 'preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef', 'ERROR', 'linkage_specification', 'declaration_list']);

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
  const cursor = tree.walk();
  try {
    let depth = 0;
    let functionDepth = -1; // depth of the function_definition we are in, -1 at file level
    let parentTypes: string[] = [];
    for (;;) {
      const type = cursor.nodeType;
      switch (type) {
        case 'comment': {
          const start = cursor.startIndex;
          const end = cursor.endIndex;
          const body = text.slice(start, end);
          text.addComment(start, end);
          scan.comments.push({ text: body, span: spanOf(cursor.startPosition, cursor.endPosition) });
          scan.commentIndex.starts.push(start);
          scan.commentIndex.ends.push(end);
          scan.commentIndex.texts.push(body);
          break;
        }
        case 'ERROR':
          scan.syntaxErrors++;
          break;
        case 'function_definition':
          scan.definitions.push({ kind: 'function', node: cursor.currentNode });
          if (functionDepth < 0) functionDepth = depth;
          break;
        case 'compound_statement':
          if (functionDepth < 0 && FILE_LEVEL.has(parentTypes[depth - 1] ?? '')) {
            const def = macroDefinition(cursor.currentNode);
            if (def) scan.definitions.push(def);
          }
          break;
        case 'initializer_pair': {
          const ref = designatedRef(cursor.currentNode, text);
          if (ref) scan.designatedRefs.push(ref);
          break;
        }
        case 'assignment_expression': {
          const ref = assignedRef(cursor.currentNode, text);
          if (ref) scan.assignedRefs.push(ref);
          break;
        }
        case 'declaration':
          if (functionDepth < 0) scan.declaredFunctions.push(...declaredFunctionNames(cursor.currentNode, text));
          break;
        default:
          if (cursor.nodeIsMissing) scan.syntaxErrors++;
      }
      parentTypes[depth] = type;
      if (cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      for (;;) {
        if (depth === functionDepth) functionDepth = -1;
        if (cursor.gotoNextSibling()) break;
        if (!cursor.gotoParent()) return scan;
        depth--;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** `NAME(args)` with a missing `;` right before a file-level `{ ... }`: `SYSCALL_DEFINE3(...) { }`. */
function macroDefinition(body: SyntaxNode): Definition | undefined {
  const head = body.previousSibling;
  if (!head || head.type !== 'expression_statement') return undefined;
  const call = head.firstChild;
  const semicolon = head.lastChild;
  if (call?.type !== 'call_expression' || !semicolon || semicolon.startIndex !== semicolon.endIndex) return undefined;
  return { kind: 'macro', head, call, body };
}

