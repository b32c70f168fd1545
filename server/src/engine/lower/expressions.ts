/**
 * Expressions: calls in evaluation order (callee, then arguments left to right, nested calls before
 * the call that receives them), assignments, and the operators that branch (`&&`, `||`, `?:`, `!` in a
 * test) lowered as control flow with Condition edges.
 */
import type { Arg, CallOp } from '../ir';
import type { SyntaxNode } from '../syntax/parser';
import type { Test } from './cfg-builder';
import type { DraftBlock } from './cfg-builder';
import type { LowerContext, Value } from './context';
import { identifiersIn, nodeSpan, spanOf, type SourceText } from './text';

const NOTHING: Value = {};

/** Expressions whose operands are not evaluated, or that hold no calls. */
const INERT = new Set([
  'identifier',
  'number_literal',
  'string_literal',
  'concatenated_string',
  'char_literal',
  'true',
  'false',
  'null',
  'field_identifier',
  'type_descriptor',
  'sizeof_expression',
  'alignof_expression',
  'offsetof_expression',
  'gnu_asm_expression',
  'comment',
]);

/** Evaluates `node` for its effects (calls, stores) into the current block(s). */
export function evalExpr(ctx: LowerContext, node: SyntaxNode): Value {
  const type = node.type;
  if (INERT.has(type)) return NOTHING;
  switch (type) {
    case 'call_expression':
      return { call: lowerCall(ctx, node) };
    case 'parenthesized_expression': {
      const inner = innerOf(node);
      if (!inner) return NOTHING;
      if (inner.type === 'compound_statement') return ctx.statementExpression(inner);
      return evalExpr(ctx, inner);
    }
    case 'cast_expression': {
      const value = node.childForFieldName('value');
      return value ? evalExpr(ctx, value) : NOTHING;
    }
    case 'comma_expression': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left) evalExpr(ctx, left);
      return right ? evalExpr(ctx, right) : NOTHING;
    }
    case 'assignment_expression':
      lowerAssignment(ctx, node);
      return NOTHING;
    case 'conditional_expression':
      lowerConditionalValue(ctx, node);
      return NOTHING;
    case 'binary_expression': {
      const op = node.child(1)?.type;
      if (op === '&&' || op === '||') {
        lowerShortCircuitValue(ctx, node, op);
        return NOTHING;
      }
      break;
    }
  }
  for (const child of node.namedChildren) if (child) evalExpr(ctx, child);
  return NOTHING;
}

/** `left op right`; a call on the right of `=` receives `assignTo`, anything else is an AssignOp. */
export function lowerAssignment(ctx: LowerContext, node: SyntaxNode): Value {
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const plain = node.childForFieldName('operator')?.type === '=';
  const value = right ? evalExpr(ctx, right) : NOTHING;
  if (!left) return NOTHING;
  if (left.type !== 'identifier') evalExpr(ctx, left);
  storeInto(ctx, ctx.text.norm(left), plain ? value : NOTHING, right, node);
  return plain ? value : NOTHING;
}

/** Records `target = value`: on the call when the value is a call's result, else as an AssignOp. */
export function storeInto(
  ctx: LowerContext,
  target: string,
  value: Value,
  valueNode: SyntaxNode | null,
  site: SyntaxNode,
): void {
  if (value.call && value.call.assignTo === undefined) {
    value.call.assignTo = target;
    return;
  }
  ctx.cfg.emit({
    kind: 'assign',
    span: nodeSpan(site),
    target,
    idents: value.expr ? identifiersIn(value.expr, ctx.text) : valueNode ? identifiersIn(valueNode, ctx.text) : [],
  });
}

/** Lowers a call (after the calls in its callee and arguments) and returns its op. */
export function lowerCall(ctx: LowerContext, node: SyntaxNode, macroBlock = false): CallOp {
  const fn = node.childForFieldName('function');
  const argList = node.childForFieldName('arguments');
  let callee = '';
  let calleeSpan = nodeSpan(fn ?? node);
  let indirect = false;
  let field: string | undefined;
  let macroArgs: Arg[] | undefined;
  let scoped = false;

  if (fn?.type === 'call_expression' && fn.childForFieldName('function')?.type === 'identifier') {
    // `guard(spinlock)(&l)`, `CLASS(fd, f)(fd)`: a curried macro; its inner arguments are not code.
    const name = fn.childForFieldName('function')!;
    callee = ctx.text.text(name);
    calleeSpan = nodeSpan(name);
    const inner = fn.childForFieldName('arguments');
    macroArgs = inner ? argumentsOf(ctx, inner, false) : [];
    scoped = true;
  } else if (fn) {
    let target = fn;
    for (;;) {
      if (target.type === 'parenthesized_expression') {
        const inner = innerOf(target);
        if (!inner || inner.type === 'compound_statement') break;
        target = inner;
      } else if (target.type === 'pointer_expression' && target.child(0)?.type === '*') {
        const arg = target.childForFieldName('argument');
        if (!arg) break;
        target = arg;
      } else break;
    }
    if (target.type === 'identifier') {
      callee = ctx.text.text(target);
      calleeSpan = nodeSpan(target);
      indirect = target !== fn && !target.equals(fn);
    } else {
      evalExpr(ctx, target);
      callee = ctx.text.norm(target);
      calleeSpan = nodeSpan(target);
      indirect = true;
      if (target.type === 'field_expression') {
        const f = target.childForFieldName('field');
        if (f) field = ctx.text.text(f);
      }
    }
  }

  const args = argList ? argumentsOf(ctx, argList, true) : [];
  const op: CallOp = { kind: 'call', id: ctx.cfg.nextOpId(), callee, args, span: nodeSpan(node), calleeSpan };
  if (indirect) op.indirect = true;
  if (field !== undefined) op.field = field;
  if (macroArgs) op.macroArgs = macroArgs;
  if (macroBlock) op.macroBlock = true;
  ctx.cfg.emit(op);
  if (scoped && !macroBlock) ctx.cfg.openScope(op.id);
  return op;
}

/**
 * The arguments of a call, split at the commas of the argument list itself (so that ERROR nodes,
 * e.g. `struct page` in `container_of(p, struct page, lru)`, stay inside their argument).
 */
export function argumentsOf(ctx: LowerContext, argList: SyntaxNode, evaluate: boolean): Arg[] {
  return argumentGroups(argList).map((group) => {
    if (evaluate) for (const n of group) evalExpr(ctx, n);
    return argOf(ctx.text, group);
  });
}

/** The nodes of each argument of an argument list. */
export function argumentGroups(argList: SyntaxNode): SyntaxNode[][] {
  const groups: SyntaxNode[][] = [];
  let group: SyntaxNode[] = [];
  for (const child of argList.children) {
    if (!child) continue;
    const type = child.type;
    if (type === ',') {
      if (group.length) groups.push(group);
      group = [];
    } else if (type !== '(' && type !== ')' && type !== 'comment' && child.startIndex !== child.endIndex) {
      group.push(child);
    }
  }
  if (group.length) groups.push(group);
  return groups;
}

export function argOf(text: SourceText, group: SyntaxNode[]): Arg {
  const first = group[0];
  const last = group[group.length - 1];
  const idents: string[] = [];
  for (const n of group) for (const id of identifiersIn(n, text)) if (!idents.includes(id)) idents.push(id);
  return {
    text: text.normRange(first.startIndex, last.endIndex),
    idents,
    span: spanOf(first.startPosition, last.endPosition),
  };
}

/** `c ? a : b` (and `c ?: b`) as a value: a diamond. */
function lowerConditionalValue(ctx: LowerContext, node: SyntaxNode): void {
  const { cfg } = ctx;
  const cond = node.childForFieldName('condition');
  const consequence = node.childForFieldName('consequence');
  const alternative = node.childForFieldName('alternative');
  const join = cfg.block();
  const ifTrue = consequence ? cfg.block() : join;
  const ifFalse = cfg.block();
  if (cond) lowerCondition(ctx, cond, ifTrue, ifFalse);
  else cfg.jump(ifTrue);
  if (consequence) {
    cfg.enter(ifTrue);
    evalExpr(ctx, consequence);
    cfg.jump(join);
  }
  cfg.enter(ifFalse);
  if (alternative) evalExpr(ctx, alternative);
  cfg.jump(join);
  cfg.enter(join);
}

/** `a && b` / `a || b` as a value: `b` is evaluated on one edge only. */
function lowerShortCircuitValue(ctx: LowerContext, node: SyntaxNode, op: '&&' | '||'): void {
  const { cfg } = ctx;
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  const rest = cfg.block();
  const join = cfg.block();
  if (left) {
    if (op === '&&') lowerCondition(ctx, left, rest, join);
    else lowerCondition(ctx, left, join, rest);
  } else cfg.jump(rest);
  cfg.enter(rest);
  if (right) evalExpr(ctx, right);
  cfg.jump(join);
  cfg.enter(join);
}

/**
 * Lowers `node` as a test: evaluates it and ends the current block with edges to `ifTrue` and
 * `ifFalse`. `!`, `&&`, `||`, `?:`, `== 0`/`!= NULL` become control flow, so every edge tests one
 * plain expression; constant tests (`while (1)`, `do { } while (0)`) get a single edge.
 */
export function lowerCondition(ctx: LowerContext, node: SyntaxNode, ifTrue: DraftBlock, ifFalse: DraftBlock): void {
  const { cfg, text } = ctx;
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = innerOf(node);
      if (!inner) return cfg.jump(ifTrue);
      if (inner.type !== 'compound_statement') return lowerCondition(ctx, inner, ifTrue, ifFalse);
      const value = ctx.statementExpression(inner);
      return cfg.branch(testOf(text.norm(node), value), ifTrue, ifFalse);
    }
    case 'unary_expression': {
      const arg = node.childForFieldName('argument');
      if (node.child(0)?.type === '!' && arg) return lowerCondition(ctx, arg, ifFalse, ifTrue);
      break;
    }
    case 'binary_expression': {
      const op = node.child(1)?.type;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) break;
      if (op === '&&' || op === '||') {
        const rest = cfg.block();
        if (op === '&&') lowerCondition(ctx, left, rest, ifFalse);
        else lowerCondition(ctx, left, ifTrue, rest);
        cfg.enter(rest);
        return lowerCondition(ctx, right, ifTrue, ifFalse);
      }
      if (op === '==' || op === '!=') {
        // `x == NULL`, `f() != 0`: test the other side, so it correlates with `if (x)` / `if (!f())`.
        const other = isZero(ctx, right) ? left : isZero(ctx, left) ? right : undefined;
        if (other) {
          if (op === '==') return lowerCondition(ctx, other, ifFalse, ifTrue);
          return lowerCondition(ctx, other, ifTrue, ifFalse);
        }
      }
      break;
    }
    case 'conditional_expression': {
      const cond = node.childForFieldName('condition');
      const consequence = node.childForFieldName('consequence');
      const alternative = node.childForFieldName('alternative');
      if (!cond || !alternative) break;
      const onTrue = cfg.block();
      const onFalse = cfg.block();
      lowerCondition(ctx, cond, onTrue, onFalse);
      cfg.enter(onTrue);
      if (consequence) lowerCondition(ctx, consequence, ifTrue, ifFalse);
      else cfg.jump(ifTrue); // `c ?: b`: c was true
      cfg.enter(onFalse);
      return lowerCondition(ctx, alternative, ifTrue, ifFalse);
    }
    case 'comma_expression': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!right) break;
      if (left) evalExpr(ctx, left);
      return lowerCondition(ctx, right, ifTrue, ifFalse);
    }
    case 'assignment_expression': {
      // `if ((x = f()))`: the test is on x; the edge names the call that produced it.
      const value = lowerAssignment(ctx, node);
      const left = node.childForFieldName('left');
      return cfg.branch(testOf(left ? text.norm(left) : text.norm(node), value), ifTrue, ifFalse);
    }
    case 'call_expression': {
      const op = lowerCall(ctx, node);
      return cfg.branch({ expr: text.norm(node), callOp: op.id }, ifTrue, ifFalse);
    }
  }
  const constant = constantValue(ctx, node);
  if (constant !== undefined) return cfg.jump(constant ? ifTrue : ifFalse);
  evalExpr(ctx, node);
  cfg.branch({ expr: text.norm(node) }, ifTrue, ifFalse);
}

function testOf(expr: string, value: Value): Test {
  return value.call ? { expr, callOp: value.call.id } : { expr };
}

/** The first named child that is not a comment. */
export function innerOf(node: SyntaxNode): SyntaxNode | undefined {
  for (const child of node.namedChildren) if (child && child.type !== 'comment') return child;
  return undefined;
}

/** The truth value of a literal test: `0`, `1`, `0UL`, `true`, `false`, `NULL`; undefined otherwise. */
function constantValue(ctx: LowerContext, node: SyntaxNode): boolean | undefined {
  switch (node.type) {
    case 'true':
      return true;
    case 'false':
    case 'null':
      return false;
    case 'identifier':
      return ctx.text.text(node) === 'NULL' ? false : undefined;
    case 'number_literal': {
      const n = Number(ctx.text.text(node).replace(/[uUlL]+$/, ''));
      return Number.isNaN(n) ? undefined : n !== 0;
    }
  }
  return undefined;
}

function isZero(ctx: LowerContext, node: SyntaxNode): boolean {
  return constantValue(ctx, node) === false;
}
