/**
 * Statements of one function body into its CFG: compound statements (with the scopes of the
 * `guard(...)` calls they hold), if/else, loops, switch with fall-through, break/continue/goto/labels,
 * returns, declarations, and kernel macro blocks (`list_for_each_entry(p, h, m) { ... }`), which
 * tree-sitter parses as a call missing its `;` followed by the body.
 */
import type { ReturnOp } from '../ir';
import type { Span } from '../span';
import type { SyntaxNode } from '../syntax/parser';
import { CfgBuilder } from './cfg-builder';
import type { LowerContext, Value } from './context';
import { evalExpr, innerOf, lowerCall, lowerCondition, storeInto } from './expressions';
import { identifiersIn, nodeSpan, type SourceText } from './text';

const NOTHING: Value = {};

/** Statement kinds that can be the body of a macro block written without braces. */
const BODY_TYPES = new Set([
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

/** Declarations and definitions that hold no code to run. */
const NOT_CODE = new Set([
  'function_definition', // a definition nested by a broken parse: lowered as its own function
  'type_definition',
  'struct_specifier',
  'union_specifier',
  'enum_specifier',
  'macro_type_specifier',
  'preproc_def',
  'preproc_function_def',
  'preproc_call',
  'preproc_include',
  'preproc_else',
  'preproc_elif',
  'preproc_elifdef',
  'comment',
  'statement_identifier',
  'primitive_type',
  'type_identifier',
  'sized_type_specifier',
  'storage_class_specifier',
  'type_qualifier',
]);

const DECLARATOR_TYPES = new Set([
  'identifier',
  'pointer_declarator',
  'array_declarator',
  'attributed_declarator',
  'parenthesized_declarator',
]);

interface SwitchFrame {
  head: ReturnType<CfgBuilder['block']>;
  hasDefault: boolean;
}

export class FunctionLowering implements LowerContext {
  readonly cfg = new CfgBuilder();
  readonly locals: string[] = [];
  private readonly switches: SwitchFrame[] = [];

  constructor(readonly text: SourceText) {}

  /** Lowers a function body; falling off its end is a return at the closing brace. */
  body(body: SyntaxNode | null): void {
    if (body) this.compound(body, false);
    if (this.cfg.current) {
      const span = body ? closingSpan(body) : { line: 1, column: 1, endLine: 1, endColumn: 1 };
      this.cfg.emit({ kind: 'return', span, idents: [] });
      this.cfg.jump(this.cfg.exit);
    }
  }

  statementExpression(compound: SyntaxNode): Value {
    return this.compound(compound, true);
  }

  private compound(node: SyntaxNode, wantValue: boolean): Value {
    this.cfg.pushScope();
    const value = this.sequence(statementItems(node.children), wantValue);
    this.cfg.popScope(closingSpan(node));
    return value;
  }

  private sequence(items: SyntaxNode[], wantValue: boolean): Value {
    let value = NOTHING;
    for (let i = 0; i < items.length; ) {
      const r = this.item(items, i, wantValue && i === items.length - 1);
      value = r.value;
      i = r.next;
    }
    return value;
  }

  /** Lowers items[i], and the body following it when it is a macro block head; returns the next index. */
  private item(items: SyntaxNode[], i: number, wantValue: boolean): { next: number; value: Value } {
    const node = items[i];
    const following = items[i + 1];
    if (following && BODY_TYPES.has(following.type)) {
      const call = macroCallOf(node);
      if (call) return { next: this.macroBlock(call, items, i + 1), value: NOTHING };
      if (node.type === 'labeled_statement') {
        const inner = labeledStatements(node);
        const labeledCall = inner.length === 1 ? macroCallOf(inner[0]) : undefined;
        if (labeledCall) {
          this.label(node);
          return { next: this.macroBlock(labeledCall, items, i + 1), value: NOTHING };
        }
      }
    }
    return { next: i + 1, value: this.statement(node, wantValue) };
  }

  /**
   * `NAME(args) body`: head block H holds the call (macroBlock) and branches to the body and to an
   * exit block whose ScopeExitOp closes it; the body loops back to H. `break` leaves through the exit
   * block, `continue` goes to H. Whether it is a loop or a scoped lock is decided by the tables.
   */
  private macroBlock(call: SyntaxNode, items: SyntaxNode[], bodyIndex: number): number {
    const { cfg } = this;
    const head = cfg.block();
    cfg.jump(head);
    cfg.enter(head);
    const op = lowerCall(this, call, true);
    const body = cfg.block();
    const out = cfg.block();
    cfg.edge(head, body);
    cfg.edge(head, out);
    cfg.enter(body);
    cfg.pushScope(op.id);
    cfg.pushTarget(out, head);
    const next = this.item(items, bodyIndex, false).next;
    const end = lastCharSpan(items[next - 1]);
    cfg.popTarget();
    cfg.popScope(end);
    cfg.jump(head);
    out.ops.push({ kind: 'scope-exit', of: op.id, span: end });
    cfg.enter(out);
    return next;
  }

  private statement(node: SyntaxNode, wantValue = false): Value {
    const { cfg } = this;
    switch (node.type) {
      case 'compound_statement':
        return this.compound(node, wantValue);
      case 'expression_statement': {
        const expr = innerOf(node);
        if (!expr) return NOTHING;
        const value = evalExpr(this, expr);
        return wantValue && !value.call ? { expr } : value;
      }
      case 'declaration':
        this.declaration(node);
        return NOTHING;
      case 'if_statement':
        this.ifStatement(node);
        return NOTHING;
      case 'while_statement':
        this.whileStatement(node);
        return NOTHING;
      case 'for_statement':
        this.forStatement(node);
        return NOTHING;
      case 'do_statement':
        this.doStatement(node);
        return NOTHING;
      case 'switch_statement':
        this.switchStatement(node);
        return NOTHING;
      case 'case_statement':
        this.caseStatement(node);
        return NOTHING;
      case 'return_statement':
        this.returnStatement(node);
        return NOTHING;
      case 'break_statement':
        cfg.doBreak(nodeSpan(node));
        return NOTHING;
      case 'continue_statement':
        cfg.doContinue(nodeSpan(node));
        return NOTHING;
      case 'goto_statement': {
        const label = node.childForFieldName('label');
        if (label) cfg.doGoto(this.text.text(label), nodeSpan(node));
        return NOTHING;
      }
      case 'labeled_statement':
        this.label(node);
        return this.sequence(labeledStatements(node), wantValue);
      case 'attributed_statement':
      case 'ERROR':
      case 'preproc_if':
      case 'preproc_ifdef':
        return this.sequence(statementItems([node]), wantValue);
    }
    if (NOT_CODE.has(node.type)) return NOTHING;
    return evalExpr(this, node);
  }

  private label(node: SyntaxNode): void {
    const label = node.childForFieldName('label');
    if (label) this.cfg.placeLabel(this.text.text(label));
  }

  /** The body of an if/loop: its own scope even without braces (a `guard()` there ends with it). */
  private subStatement(node: SyntaxNode | null): void {
    if (!node) return;
    if (node.type === 'compound_statement') {
      this.compound(node, false);
      return;
    }
    this.cfg.pushScope();
    this.statement(node);
    this.cfg.popScope(lastCharSpan(node));
  }

  private declaration(node: SyntaxNode): void {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'init_declarator') {
        const name = declaratorName(child.childForFieldName('declarator'), this.text);
        const value = child.childForFieldName('value');
        if (name !== null) this.addLocal(name);
        if (!value) continue;
        const result = evalExpr(this, value);
        if (name !== null) storeInto(this, name, value.type === 'initializer_list' ? NOTHING : result, value, child);
      } else if (DECLARATOR_TYPES.has(child.type)) {
        const name = declaratorName(child, this.text);
        if (name !== null) this.addLocal(name);
      }
    }
  }

  private addLocal(name: string): void {
    if (!this.locals.includes(name)) this.locals.push(name);
  }

  private ifStatement(node: SyntaxNode): void {
    const { cfg } = this;
    const cond = node.childForFieldName('condition');
    const alternative = node.childForFieldName('alternative');
    const join = cfg.block();
    const ifTrue = cfg.block();
    const ifFalse = alternative ? cfg.block() : join;
    if (cond) lowerCondition(this, cond, ifTrue, ifFalse);
    else cfg.jump(ifTrue);
    cfg.enter(ifTrue);
    this.subStatement(node.childForFieldName('consequence'));
    cfg.jump(join);
    if (alternative) {
      cfg.enter(ifFalse);
      // else_clause holds the statement
      this.subStatement(alternative.type === 'else_clause' ? (innerOf(alternative) ?? null) : alternative);
      cfg.jump(join);
    }
    cfg.enter(join);
  }

  private whileStatement(node: SyntaxNode): void {
    const { cfg } = this;
    const head = cfg.block();
    cfg.jump(head);
    cfg.enter(head);
    const body = cfg.block();
    const after = cfg.block();
    const cond = node.childForFieldName('condition');
    if (cond) lowerCondition(this, cond, body, after);
    else cfg.jump(body);
    this.loopBody(node.childForFieldName('body'), body, after, head, head);
    cfg.enter(after);
  }

  private forStatement(node: SyntaxNode): void {
    const { cfg } = this;
    const init = node.childForFieldName('initializer');
    if (init) {
      if (init.type === 'declaration') this.declaration(init);
      else evalExpr(this, init);
    }
    const head = cfg.block();
    cfg.jump(head);
    cfg.enter(head);
    const body = cfg.block();
    const after = cfg.block();
    const step = cfg.block();
    const cond = node.childForFieldName('condition');
    if (cond) lowerCondition(this, cond, body, after);
    else cfg.jump(body);
    this.loopBody(node.childForFieldName('body'), body, after, step, step);
    cfg.enter(step);
    const update = node.childForFieldName('update');
    if (update) evalExpr(this, update);
    cfg.jump(head);
    cfg.enter(after);
  }

  private doStatement(node: SyntaxNode): void {
    const { cfg } = this;
    const body = cfg.block();
    const test = cfg.block();
    const after = cfg.block();
    cfg.jump(body);
    this.loopBody(node.childForFieldName('body'), body, after, test, test);
    cfg.enter(test);
    const cond = node.childForFieldName('condition');
    if (cond) lowerCondition(this, cond, body, after);
    else cfg.jump(after);
    cfg.enter(after);
  }

  private loopBody(
    stmt: SyntaxNode | null,
    body: ReturnType<CfgBuilder['block']>,
    breakTo: ReturnType<CfgBuilder['block']>,
    continueTo: ReturnType<CfgBuilder['block']>,
    next: ReturnType<CfgBuilder['block']>,
  ): void {
    const { cfg } = this;
    cfg.enter(body);
    cfg.pushTarget(breakTo, continueTo);
    this.subStatement(stmt);
    cfg.popTarget();
    cfg.jump(next);
  }

  private switchStatement(node: SyntaxNode): void {
    const { cfg } = this;
    const cond = node.childForFieldName('condition');
    if (cond) evalExpr(this, cond);
    const head = cfg.here();
    const after = cfg.block();
    const frame: SwitchFrame = { head, hasDefault: false };
    this.switches.push(frame);
    cfg.pushTarget(after);
    cfg.enter(null); // code before the first case label is unreachable
    const body = node.childForFieldName('body');
    if (body) this.statement(body);
    cfg.jump(after);
    cfg.popTarget();
    this.switches.pop();
    if (!frame.hasDefault) cfg.edge(head, after);
    cfg.enter(after);
  }

  private caseStatement(node: SyntaxNode): void {
    const { cfg } = this;
    const frame = this.switches[this.switches.length - 1];
    const block = cfg.block();
    if (frame) cfg.edge(frame.head, block);
    cfg.jump(block); // fall-through from the previous case
    cfg.enter(block);
    const children = node.children;
    if (frame && children[0]?.type === 'default') frame.hasDefault = true;
    const colon = children.findIndex((c) => c?.type === ':');
    this.sequence(statementItems(children.slice(colon + 1)), false);
  }

  private returnStatement(node: SyntaxNode): void {
    const { cfg } = this;
    const expr = innerOf(node);
    const value = expr ? evalExpr(this, expr) : NOTHING;
    const span = nodeSpan(node);
    cfg.exitScopesTo(0, span);
    const op: ReturnOp = { kind: 'return', span, idents: expr ? identifiersIn(expr, this.text) : [] };
    if (value.call) op.callOp = value.call.id;
    cfg.emit(op);
    cfg.jump(cfg.exit);
  }
}

/**
 * The statements among `nodes`, with ERROR nodes opened (the broken region is skipped, what can be
 * recognised inside it is kept) and preprocessor conditionals replaced by their first (`#if`) branch.
 */
export function statementItems(nodes: (SyntaxNode | null)[], out: SyntaxNode[] = []): SyntaxNode[] {
  for (const n of nodes) {
    if (!n || !n.isNamed) continue;
    switch (n.type) {
      case 'comment':
        continue;
      case 'ERROR':
      case 'attributed_statement':
        statementItems(n.children, out);
        continue;
      case 'preproc_if':
      case 'preproc_ifdef':
        // child 0 is `#if`/`#ifdef`, child 1 the condition or name; the alternatives are skipped
        statementItems(n.children.slice(2), out);
        continue;
      case 'preproc_else':
      case 'preproc_elif':
      case 'preproc_elifdef':
      case 'attribute_declaration':
        continue;
    }
    out.push(n);
  }
  return out;
}

/** The statements after a label. */
function labeledStatements(node: SyntaxNode): SyntaxNode[] {
  return statementItems(node.children.slice(2));
}

/**
 * The call of a macro block head: `NAME(args)` whose `;` is missing (tree-sitter's reading of
 * `list_for_each_entry(p, h, m) {`), or a bare call left by an ERROR region.
 */
function macroCallOf(node: SyntaxNode): SyntaxNode | undefined {
  let call: SyntaxNode | undefined;
  if (node.type === 'call_expression') call = node;
  else if (node.type === 'expression_statement') {
    const last = node.lastChild;
    if (!last || last.type !== ';' || last.startIndex !== last.endIndex) return undefined;
    const first = node.firstChild;
    if (first?.type === 'call_expression') call = first;
  }
  if (call?.childForFieldName('function')?.type !== 'identifier') return undefined;
  return call;
}

/** The name a declarator declares (`*p`, `a[4]`, `(*fp)(int)` -> `p`, `a`, `fp`); null when none. */
export function declaratorName(node: SyntaxNode | null, text: SourceText): string | null {
  let at: SyntaxNode | null | undefined = node;
  while (at) {
    switch (at.type) {
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
        return text.text(at);
      case 'parenthesized_declarator':
      case 'attributed_declarator':
        at = innerOf(at);
        break;
      default:
        at = at.childForFieldName('declarator');
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

function closingSpan(node: SyntaxNode): Span {
  return lastCharSpan(node);
}
