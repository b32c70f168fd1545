/** What the expression and statement lowerings share while one function is lowered. */
import type { CallOp } from '../ir';
import type { SyntaxNode } from '../syntax/parser';
import type { CfgBuilder } from './cfg-builder';
import type { SourceText } from './text';

/** What an evaluated expression yields, as far as the IR cares: the call whose result it is. */
export interface Value {
  call?: CallOp;
  /** The expression whose value it is, when narrower than the evaluated one (a statement expression's last). */
  expr?: SyntaxNode;
}

export interface LowerContext {
  cfg: CfgBuilder;
  text: SourceText;
  /** Names declared in the body so far. */
  locals: string[];
  /** Lowers a statement expression `({ ... })` in place; its value is that of its last statement. */
  statementExpression(compound: SyntaxNode): Value;
}
