/** What the expression and statement lowerings share while one function is lowered. */
import type { CallOp, FunctionRef, TypeFacts } from '../ir';
import type { SyntaxNode } from '../syntax/parser';
import type { CfgBuilder } from './cfg-builder';
import type { SourceText } from './text';

/** What an evaluated expression yields, as far as the IR cares: the call whose result it is. */
export interface Value {
  call?: CallOp;
  /** The expression whose value it is, when narrower than the evaluated one (a statement expression's last). */
  expr?: SyntaxNode;
}

/** What the lowering of bodies finds for the file as a whole. */
export interface FileFacts {
  /** `.field = fn` in initialisers. */
  designatedRefs: FunctionRef[];
  /** `x->field = ident`: kept by lowerFile when ident names a function of the file. */
  assignedRefs: FunctionRef[];
  /** Definitions met inside a body (a broken parse nested them): lowered on their own. */
  nestedDefinitions: SyntaxNode[];
  /** The file-level structures, typedefs and variables, read before any body is lowered. */
  types: TypeFacts;
}

export interface LowerContext {
  cfg: CfgBuilder;
  text: SourceText;
  facts: FileFacts;
  /** Names declared in the body so far. */
  locals: string[];
  /** The declared type of a variable in scope (a parameter, a local so far, a global), when a structure or typedef name. */
  typeOfVariable(name: string): string | undefined;
  /** Whether `name` is a parameter or a local declared so far: a call of it is through a pointer. */
  isVariable(name: string): boolean;
  /**
   * Identifier collectors: while an argument or an assigned value is evaluated, the identifiers met
   * on the way are added to the innermost one (and passed up when it closes), so that they are
   * gathered in the same walk that lowers the expression.
   */
  sinks: string[][];
  /** Lowers a statement expression `({ ... })` in place; its value is that of its last statement. */
  statementExpression(compound: SyntaxNode): Value;
}

/** Runs `f` collecting the identifiers it evaluates. */
export function collect<T>(ctx: LowerContext, f: () => T): { value: T; idents: string[] } {
  const sink: string[] = [];
  ctx.sinks.push(sink);
  const value = f();
  ctx.sinks.pop();
  const parent = ctx.sinks[ctx.sinks.length - 1];
  if (parent) for (const id of sink) if (!parent.includes(id)) parent.push(id);
  return { value, idents: sink };
}

export function noteIdent(ctx: LowerContext, name: string): void {
  const sink = ctx.sinks[ctx.sinks.length - 1];
  if (sink && !sink.includes(name)) sink.push(name);
}
