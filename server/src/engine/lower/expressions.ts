/**
 * Expressions: calls in evaluation order (callee, then arguments left to right, nested calls before
 * the call that receives them), assignments, and the operators that branch (`&&`, `||`, `?:`, `!` in a
 * test) lowered as control flow with Condition edges. Children are read by position (see syntax.ts)
 * rather than by field name: each field lookup is a call into wasm.
 */
import type { Arg, AssignOp, CallOp, FieldOwner } from '../ir';
import type { SyntaxNode } from '../syntax/parser';
import type { DraftBlock, Test } from './cfg-builder';
import { collect, noteIdent, type LowerContext, type Value } from './context';
import { isZeroWidth, kids, named, operatorBetween, typeOf } from './syntax';
import { TRANSPARENT_TESTS, WARNING_TESTS } from './annotations';
import { designatedRef, fieldAssignmentRef } from './refs';
import { fieldOwner } from './types';
import { identifiersIn, nodeSpan, spanOf, type SourceText } from './text';

const NOTHING: Value = {};

/** Expressions that hold no calls and no identifiers of interest. */
const INERT = new Set([
  'number_literal',
  'string_literal',
  'concatenated_string',
  'char_literal',
  'true',
  'false',
  'null',
  'field_identifier',
  'type_identifier',
  'primitive_type',
  'type_descriptor',
  'gnu_asm_expression',
  'comment',
  'escape_sequence',
  'string_content',
]);

/** Operands that are not evaluated: their identifiers count, their calls do not run. */
const UNEVALUATED = new Set(['sizeof_expression', 'alignof_expression', 'offsetof_expression']);

/** Evaluates `node` for its effects (calls, stores) into the current block(s). */
export function evalExpr(ctx: LowerContext, node: SyntaxNode): Value {
  const type = typeOf(node);
  if (type === 'update_expression') return lowerStep(ctx, node);
  return evalOther(ctx, node, type);
}

/**
 * `i++`, `--p->refs`: the operand read, then stepped: its value is no longer the one it was set
 * to (`i = 0` decides no `if (i)` after a loop that counted it up).
 */
function lowerStep(ctx: LowerContext, node: SyntaxNode): Value {
  evalOther(ctx, node, 'update_expression');
  const operand = named(node)[0];
  const target = operand && ctx.text.norm(operand);
  if (target !== undefined && PATH.test(target)) ctx.cfg.emit({ kind: 'assign', span: nodeSpan(node), target, idents: [], stepped: true });
  return NOTHING;
}

function evalOther(ctx: LowerContext, node: SyntaxNode, type: string): Value {
  switch (type) {
    case 'identifier':
      if (ctx.sinks.length) noteIdent(ctx, ctx.text.identifier(node));
      return NOTHING;
    case 'call_expression':
      return { call: lowerCall(ctx, node) };
    case 'binary_expression':
    case 'field_expression':
    case 'subscript_expression':
    case 'unary_expression':
    case 'pointer_expression':
    case 'update_expression': {
      // Most operands hold no call, store or branch; their text says so and gives their identifiers
      // without visiting their nodes one by one (each visit is a call into wasm).
      const idents = inertIdentifiers(ctx.text.slice(node.startIndex, node.endIndex));
      if (idents) {
        if (ctx.sinks.length) for (const id of idents) noteIdent(ctx, id);
        return NOTHING;
      }
      break;
    }
  }
  switch (type) {
    case 'parenthesized_expression': {
      const inner = named(node)[0];
      if (!inner) return NOTHING;
      if (typeOf(inner) === 'compound_statement') return ctx.statementExpression(inner);
      return evalExpr(ctx, inner);
    }
    case 'cast_expression': {
      const n = named(node);
      return n.length > 1 ? evalExpr(ctx, n[n.length - 1]) : NOTHING;
    }
    case 'comma_expression': {
      // `a, b, c` nests to the right: walk it as a list (a long one would exhaust the stack)
      let at: SyntaxNode | undefined = node;
      while (at && typeOf(at) === 'comma_expression') {
        const [left, right] = named(at);
        if (left) evalExpr(ctx, left);
        at = right;
      }
      return at ? evalExpr(ctx, at) : NOTHING;
    }
    case 'assignment_expression':
      lowerAssignment(ctx, node);
      return NOTHING;
    case 'conditional_expression':
      lowerConditionalValue(ctx, node);
      return NOTHING;
    case 'binary_expression': {
      const [left, right] = named(node);
      if (!left || !right) break;
      const operator = operatorBetween(ctx.text, left, right);
      if (operator === '&&' || operator === '||') {
        lowerShortCircuitValue(ctx, left, operator, right);
        return NOTHING;
      }
      const value = evalExpr(ctx, left);
      evalExpr(ctx, right);
      // `kmap_atomic(page) + offset` is still that call's mapping: the receiver names it.
      return (operator === '+' || operator === '-') && value.call ? value : NOTHING;
    }
  }
  if (type === 'initializer_pair') {
    const ref = designatedRef(node, ctx.text);
    if (ref) ctx.facts.designatedRefs.push(ref);
  }
  if (INERT.has(type)) return NOTHING;
  if (UNEVALUATED.has(type)) {
    if (ctx.sinks.length) for (const id of identifiersIn(node, ctx.text)) noteIdent(ctx, id);
    return NOTHING;
  }
  for (const child of named(node)) evalExpr(ctx, child);
  return NOTHING;
}

/** Text that can hold no call, statement expression, assignment, `?:`, `&&`, `||` or comment. */
const ACTIVE = /[(?{/]|&&|\|\||(^|[^=!<>])=(?!=)/;
/** String and char literals, member names, numbers, and identifiers (group 1). */
const TOKENS = /"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|(?:\.|->)\s*[A-Za-z_]\w*|\b\d[\w.]*|\b([A-Za-z_]\w*)/g;
/** Words that tree-sitter-c does not read as identifiers. */
const NOT_IDENTIFIERS = new Set(['NULL', 'nullptr', 'true', 'false', 'sizeof', '_Alignof', 'alignof', '__alignof__']);

/**
 * The identifiers of an expression whose text shows it has nothing to lower, or undefined when it
 * may have (then its nodes are visited).
 */
export function inertIdentifiers(text: string): string[] | undefined {
  const code = text.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""');
  if (ACTIVE.test(code)) return undefined;
  const out: string[] = [];
  TOKENS.lastIndex = 0;
  for (let m = TOKENS.exec(text); m; m = TOKENS.exec(text)) {
    const id = m[1];
    if (id !== undefined && !NOT_IDENTIFIERS.has(id) && !out.includes(id)) out.push(id);
  }
  return out;
}

/** `left op right`; a call on the right of `=` receives `assignTo`, anything else is an AssignOp. */
export function lowerAssignment(ctx: LowerContext, node: SyntaxNode): Value {
  const [left, right] = named(node);
  if (!left || !right) return NOTHING;
  const plain = operatorBetween(ctx.text, left, right) === '=';
  evalExpr(ctx, left);
  if (plain) {
    const ref = fieldAssignmentRef(ctx.text, left, right, (name) => ctx.typeOfVariable(name));
    if (ref) ctx.facts.assignedRefs.push(ref);
    return assignValue(ctx, ctx.text.norm(left), right, node);
  }
  // `i += 2`, `flags |= BIT(3)`: stepped from the value it had
  const { idents } = collect(ctx, () => evalExpr(ctx, right));
  const ors = operatorBetween(ctx.text, left, right) === '|=' ? orOperands(ctx.text.norm(right)) : undefined;
  storeInto(ctx, ctx.text.norm(left), NOTHING, idents, node, { stepped: true, ...(ors ? { ors } : {}) });
  return NOTHING;
}

/**
 * Evaluates `value` and stores it into `target`. A conditional value (`p = c ? f() : g()`) stores in
 * each branch, so that each call gets `assignTo`.
 */
export function assignValue(ctx: LowerContext, target: string, value: SyntaxNode, site: SyntaxNode): Value {
  let inner = value;
  while (typeOf(inner) === 'parenthesized_expression' || typeOf(inner) === 'cast_expression') {
    const n = named(inner);
    const next = typeOf(inner) === 'cast_expression' ? n[n.length - 1] : n[0];
    if (!next || typeOf(next) === 'compound_statement' || next === n[0] && typeOf(inner) === 'cast_expression') break;
    inner = next;
  }
  if (typeOf(inner) === 'conditional_expression') {
    const { cond, consequence, alternative } = conditionalParts(inner);
    if (cond && alternative) {
      const { cfg } = ctx;
      const join = cfg.block();
      const ifTrue = cfg.block();
      const ifFalse = cfg.block();
      const { idents: condIdents } = collect(ctx, () => lowerCondition(ctx, cond, ifTrue, ifFalse));
      cfg.enter(ifTrue);
      if (consequence) assignValue(ctx, target, consequence, site);
      else storeInto(ctx, target, NOTHING, condIdents, site); // `c ?: b`: the value is c
      cfg.jump(join);
      cfg.enter(ifFalse);
      assignValue(ctx, target, alternative, site);
      cfg.jump(join);
      cfg.enter(join);
      return NOTHING;
    }
  }
  const { value: result, idents } = collect(ctx, () => evalExpr(ctx, value));
  storeInto(ctx, target, result, idents, site, { constant: constantText(ctx.text, inner), copyOf: copiedPath(ctx.text, inner), test: testText(ctx.text, inner) });
  return result;
}

// `&&` and `||` too: `not_atomic = !in_atomic() && !irqs_disabled()` (dataflow/context-locals.ts)
const TEST_OPERATORS = new Set(['==', '!=', '&', '&&', '||']);
/** A test kept whole is short: the tables' tests are. */
const MAX_TEST_TEXT = 60;

/**
 * `(gfp & GFP_KERNEL) != GFP_KERNEL`, `!gfpflags_allow_blocking(gfp)`: the text of a comparison, a
 * bit test, a negation or a logical and or or, else undefined.
 */
function testText(text: SourceText, node: SyntaxNode): string | undefined {
  const type = typeOf(node);
  const operator = node.childForFieldName('operator')?.type ?? '';
  if (!(type === 'binary_expression' && TEST_OPERATORS.has(operator)) && !(type === 'unary_expression' && operator === '!')) return undefined;
  const test = text.norm(node);
  return test.length <= MAX_TEST_TEXT ? test : undefined;
}

const PATH = /^[A-Za-z_]\w*(?:(?:->|\.)[A-Za-z_]\w*)*$/;

/**
 * `lruvec`, `dentry->d_inode`, `&kvm->arch`: the value when it is a variable or a path of fields, or
 * the address of one, else undefined.
 */
function copiedPath(text: SourceText, node: SyntaxNode): string | undefined {
  const type = typeOf(node);
  if (type === 'pointer_expression') {
    const path = text.norm(node);
    return path.startsWith('&') && PATH.test(path.slice(1)) ? path : undefined;
  }
  if (type !== 'identifier' && type !== 'field_expression') return undefined;
  const path = text.norm(node);
  return PATH.test(path) && path !== 'NULL' ? path : undefined;
}

const CONSTANTS = new Set(['number_literal', 'true', 'false', 'null']);

/** `true`, `0`, `NULL`: the text of a constant value, else undefined. */
function constantText(text: SourceText, node: SyntaxNode): string | undefined {
  const type = typeOf(node);
  if (CONSTANTS.has(type)) return text.norm(node);
  return type === 'identifier' && text.text(node) === 'NULL' ? 'NULL' : undefined;
}

/**
 * `struct iwl_host_cmd cmd = { .id = id, .flags = flags }`: the whole's assign op, marked
 * `zeroFill` when the list names every member it sets (or is `{}`, `{ 0 }`), then an assign op of
 * its own for each member named with a simple value (`cmd.flags` = `flags`). A callee testing
 * `cmd->flags & CMD_ASYNC` then sees what the caller put there.
 */
export function storeList(ctx: LowerContext, target: string, list: SyntaxNode, idents: string[], site: SyntaxNode): void {
  const entries = named(list);
  const zeroOnly = entries.length === 1 && typeOf(entries[0]!) === 'number_literal' && Number(ctx.text.norm(entries[0]!)) === 0;
  const designated = !zeroOnly && entries.every((e) => typeOf(e) === 'initializer_pair');
  ctx.cfg.emit({ kind: 'assign', span: nodeSpan(site), target, idents, ...(zeroOnly || designated ? { zeroFill: true } : {}) });
  if (!designated) return;
  for (const pair of entries) {
    const parts = named(pair);
    const value = parts[parts.length - 1];
    const designators = parts.slice(0, -1);
    if (!value || designators.length === 0 || !designators.every((d) => typeOf(d) === 'field_designator')) continue;
    const member = `${target}${designators.map((d) => ctx.text.norm(d)).join('')}`;
    // `.flags = sync ? 0 : CMD_ASYNC`: the two values on two branches, as a statement would have them
    if (typeOf(value) === 'conditional_expression' && isPlain(value)) {
      assignValue(ctx, member, value, pair);
      continue;
    }
    const constant = constantText(ctx.text, value);
    const copyOf = constant === undefined && typeOf(value) === 'identifier' ? ctx.text.norm(value) : undefined;
    if (constant !== undefined) ctx.cfg.emit({ kind: 'assign', span: nodeSpan(pair), target: member, idents: [], constant });
    else if (copyOf !== undefined) ctx.cfg.emit({ kind: 'assign', span: nodeSpan(pair), target: member, idents: [copyOf], copyOf });
  }
}

/** Names, constants and operators (`++x` is an update_expression, a call a call_expression: neither is here). */
const PLAIN = new Set(['identifier', 'number_literal', 'true', 'false', 'null', 'field_identifier', 'field_expression', 'parenthesized_expression', 'unary_expression', 'binary_expression', 'conditional_expression']);
/** An expression lowering adds nothing to but its value: lowering it a second time changes nothing. */
function isPlain(node: SyntaxNode): boolean {
  return PLAIN.has(typeOf(node)) && named(node).every(isPlain);
}

/** `FOLL_GET|FOLL_FAST_ONLY`, `(A|0x4)`: the names and numbers or-ed, else undefined. */
function orOperands(text: string): string[] | undefined {
  const inner = /^\((.*)\)$/.exec(text)?.[1] ?? text;
  const parts = inner.split('|');
  return parts.every((p) => OR_OPERAND.test(p)) ? parts : undefined;
}
const OR_OPERAND = /^(?:[A-Za-z_]\w*|0[xX][0-9a-fA-F]+|\d+)$/;

/** Records `target = value`: on the call when the value is a call's result, else as an AssignOp. */
export function storeInto(
  ctx: LowerContext,
  target: string,
  value: Value,
  idents: string[],
  site: SyntaxNode,
  { constant, copyOf, test, stepped, ors }: Pick<AssignOp, 'constant' | 'copyOf' | 'test' | 'stepped' | 'ors'> = {},
): void {
  if (value.call && value.call.assignTo === undefined) {
    value.call.assignTo = target;
    return;
  }
  ctx.cfg.emit({
    kind: 'assign',
    span: nodeSpan(site),
    target,
    idents: value.expr ? identifiersIn(value.expr, ctx.text) : idents,
    ...(constant !== undefined ? { constant } : {}),
    ...(copyOf !== undefined ? { copyOf } : {}),
    ...(test !== undefined ? { test } : {}),
    ...(stepped ? { stepped } : {}),
    ...(ors ? { ors } : {}),
  });
}

/** Lowers a call (after the calls in its callee and arguments) and returns its op. */
export function lowerCall(ctx: LowerContext, node: SyntaxNode, macroBlock = false): CallOp {
  const parts = named(node);
  const fn = parts[0];
  const argList = parts.find((p) => typeOf(p) === 'argument_list');
  let callee = '';
  let calleeSpan = nodeSpan(fn ?? node);
  let indirect = false;
  let field: string | undefined;
  let owner: FieldOwner | undefined;
  let macroArgs: Arg[] | undefined;
  let scoped = false;

  const curried = fn && typeOf(fn) === 'call_expression' ? named(fn) : undefined;
  if (curried && curried[0] && typeOf(curried[0]) === 'identifier') {
    // `guard(spinlock)(&l)`, `CLASS(fd, f)(fd)`: a curried macro; its inner arguments are not code.
    callee = ctx.text.identifier(curried[0]);
    calleeSpan = nodeSpan(curried[0]);
    noteIdent(ctx, callee);
    const inner = curried.find((p) => typeOf(p) === 'argument_list');
    macroArgs = inner ? argumentGroups(inner).map((g) => argOf(ctx.text, g)) : [];
    scoped = true;
  } else if (fn) {
    let target = fn;
    for (;;) {
      const t = typeOf(target);
      const deref = t === 'pointer_expression' && ctx.text.slice(target.startIndex, target.startIndex + 1) === '*';
      const inner = t === 'parenthesized_expression' || deref ? named(target)[0] : undefined;
      if (!inner || typeOf(inner) === 'compound_statement') break;
      target = inner;
    }
    if (typeOf(target) === 'identifier') {
      callee = ctx.text.identifier(target);
      noteIdent(ctx, callee);
      // `(*fp)(x)`, or `sync(dev, addr)` with `sync` a parameter: never the function of that name.
      indirect = target !== fn || ctx.isVariable(callee);
    } else {
      evalExpr(ctx, target);
      callee = ctx.text.norm(target);
      indirect = true;
      if (typeOf(target) === 'field_expression') {
        const n = named(target);
        const f = n[n.length - 1];
        if (f && typeOf(f) === 'field_identifier') field = ctx.text.text(f);
        owner = fieldOwner(target, (name) => ctx.typeOfVariable(name), ctx.text);
      }
    }
    calleeSpan = nodeSpan(target);
  }

  const args = argList ? argumentsOf(ctx, argList) : [];
  const op: CallOp = { kind: 'call', id: ctx.cfg.nextOpId(), callee, args, span: nodeSpan(node), calleeSpan };
  if (indirect) op.indirect = true;
  if (field !== undefined) op.field = field;
  if (owner) op.owner = owner;
  if (macroArgs) op.macroArgs = macroArgs;
  if (macroBlock) op.macroBlock = true;
  ctx.cfg.emit(op);
  if (scoped && !macroBlock) ctx.cfg.openScope(op.id);
  return op;
}

/** Evaluates the arguments left to right and describes them. */
function argumentsOf(ctx: LowerContext, argList: SyntaxNode): Arg[] {
  return argumentGroups(argList).map((group) => {
    const idents: string[] = [];
    ctx.sinks.push(idents);
    for (const n of group) evalExpr(ctx, n);
    ctx.sinks.pop();
    const outer = ctx.sinks[ctx.sinks.length - 1];
    if (outer) for (const id of idents) if (!outer.includes(id)) outer.push(id);
    const first = group[0];
    const last = group[group.length - 1];
    return {
      text: ctx.text.normRange(first.startIndex, last.endIndex),
      idents,
      span: spanOf(first.startPosition, last.endPosition),
    };
  });
}

/**
 * The nodes of each argument of an argument list, split at the list's own commas (so that ERROR
 * nodes, e.g. `struct page` in `container_of(p, struct page, lru)`, stay inside their argument).
 */
export function argumentGroups(argList: SyntaxNode): SyntaxNode[][] {
  const args = named(argList);
  // usually one named child per argument; an ERROR inside means splitting at the commas
  if (!args.some((a) => typeOf(a) === 'ERROR')) return args.filter((a) => !isZeroWidth(a)).map((a) => [a]);
  const groups: SyntaxNode[][] = [];
  let group: SyntaxNode[] = [];
  for (const child of kids(argList)) {
    const type = typeOf(child);
    if (type === ',') {
      if (group.length) groups.push(group);
      group = [];
    } else if (type !== '(' && type !== ')' && !isZeroWidth(child)) {
      group.push(child);
    }
  }
  if (group.length) groups.push(group);
  return groups;
}

/** An argument described without evaluating it (macro arguments, macro-defined function heads). */
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

/** The parts of `c ? a : b` (`a` is absent in GNU `c ?: b`). */
function conditionalParts(node: SyntaxNode): { cond?: SyntaxNode; consequence?: SyntaxNode; alternative?: SyntaxNode } {
  const n = named(node);
  if (n.length === 3) return { cond: n[0], consequence: n[1], alternative: n[2] };
  if (n.length === 2) return { cond: n[0], alternative: n[1] }; // GNU `c ?: b`
  return {};
}

/** `c ? a : b` (and `c ?: b`) as a value: a diamond. */
function lowerConditionalValue(ctx: LowerContext, node: SyntaxNode): void {
  const { cfg } = ctx;
  const { cond, consequence, alternative } = conditionalParts(node);
  if (!cond) {
    for (const child of named(node)) evalExpr(ctx, child);
    return;
  }
  const join = cfg.block();
  const ifTrue = consequence ? cfg.block() : join;
  const ifFalse = cfg.block();
  lowerCondition(ctx, cond, ifTrue, ifFalse);
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
function lowerShortCircuitValue(ctx: LowerContext, left: SyntaxNode, op: '&&' | '||', right: SyntaxNode): void {
  const { cfg } = ctx;
  const rest = cfg.block();
  const join = cfg.block();
  if (op === '&&') lowerCondition(ctx, left, rest, join);
  else lowerCondition(ctx, left, join, rest);
  cfg.enter(rest);
  evalExpr(ctx, right);
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
  switch (typeOf(node)) {
    case 'parenthesized_expression': {
      const inner = named(node)[0];
      if (!inner) return cfg.jump(ifTrue);
      if (typeOf(inner) !== 'compound_statement') return lowerCondition(ctx, inner, ifTrue, ifFalse);
      const value = ctx.statementExpression(inner);
      return cfg.branch(testOf(text.norm(node), value), ifTrue, ifFalse);
    }
    case 'unary_expression': {
      const arg = named(node)[0];
      if (arg && text.slice(node.startIndex, node.startIndex + 1) === '!') return lowerCondition(ctx, arg, ifFalse, ifTrue);
      break;
    }
    case 'binary_expression': {
      const [left, right] = named(node);
      if (!left || !right) break;
      const op = operatorBetween(text, left, right);
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
      const { cond, consequence, alternative } = conditionalParts(node);
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
      const [left, right] = named(node);
      if (!right) break;
      evalExpr(ctx, left);
      return lowerCondition(ctx, right, ifTrue, ifFalse);
    }
    case 'assignment_expression': {
      // `if ((x = f()))`: the test is on x; the edge names the call that produced it.
      const value = lowerAssignment(ctx, node);
      const left = named(node)[0];
      return cfg.branch(testOf(text.norm(left ?? node), value), ifTrue, ifFalse);
    }
    case 'call_expression': {
      const inner = transparentTest(ctx, node);
      if (inner) {
        if (!inner.warning) return lowerCondition(ctx, inner.test, ifTrue, ifFalse);
        // The warning's branch starts in a block of its own, marked with the macro's name.
        const warned = cfg.warningBlock(inner.warning);
        lowerCondition(ctx, inner.test, warned, ifFalse);
        cfg.enter(warned);
        return cfg.jump(ifTrue);
      }
      const op = lowerCall(ctx, node);
      return cfg.branch({ expr: text.norm(node), callOp: op.id }, ifTrue, ifFalse);
    }
  }
  const constant = constantValue(ctx, node);
  if (constant !== undefined) return cfg.jump(constant ? ifTrue : ifFalse);
  evalExpr(ctx, node);
  cfg.branch({ expr: text.norm(node) }, ifTrue, ifFalse);
}

/**
 * `unlikely(x)`, `WARN_ON(x)`: the tested expression `x` (see TRANSPARENT_TESTS), and the name of
 * the macro when it warns (WARNING_TESTS).
 */
function transparentTest(ctx: LowerContext, call: SyntaxNode): { test: SyntaxNode; warning?: string } | undefined {
  const [fn, argList] = named(call);
  if (!fn || !argList || typeOf(fn) !== 'identifier') return undefined;
  const name = ctx.text.word(fn.startIndex);
  const warns = WARNING_TESTS.has(name);
  if (!warns && !TRANSPARENT_TESTS.has(name)) return undefined;
  const first = argumentGroups(argList)[0];
  if (first?.length !== 1) return undefined;
  return warns ? { test: first[0], warning: name } : { test: first[0] };
}

function testOf(expr: string, value: Value): Test {
  return value.call ? { expr, callOp: value.call.id } : { expr };
}

/** The truth value of a literal test: `0`, `1`, `0UL`, `true`, `false`, `NULL`; undefined otherwise. */
function constantValue(ctx: LowerContext, node: SyntaxNode): boolean | undefined {
  switch (typeOf(node)) {
    case 'true':
      return true;
    case 'false':
    case 'null':
      return false;
    case 'identifier':
      return ctx.text.word(node.startIndex) === 'NULL' ? false : undefined;
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
