/**
 * Statements of one function body into its CFG: compound statements (with the scopes of the
 * `guard(...)` calls they hold), if/else, loops, switch with fall-through, break/continue/goto/labels,
 * returns, declarations, and kernel macro blocks (`list_for_each_entry(p, h, m) { ... }`), which
 * tree-sitter parses as a call missing its `;` followed by the body.
 */
import type { Tree } from 'web-tree-sitter';
import type { Arg, CallOp, Condition, ReturnOp } from '../ir';
import type { SyntaxNode } from '../syntax/parser';
import { CfgBuilder } from './cfg-builder';
import type { FileFacts, LowerContext, Value } from './context';
import { collect, noteIdent } from './context';
import { hasAnnotation } from './annotations';
import { reparseAfter, reparseAfterHead, reparseWithoutAnnotations } from './reparse';
import { assignValue, evalExpr, lowerCall, lowerCondition, storeList } from './expressions';
import { named, typeOf } from './syntax';
import {
  closingSpan,
  endsWithMissingSemicolon,
  innerMacroHead,
  isBareElse,
  isBody,
  isMacroShapedDefinition,
  lastCharSpan,
  macroHeadOf,
  MISREAD_DECLARATORS,
  SIMPLE_STATEMENTS,
  statementItems,
  TYPEOF,
  declaratorName,
} from './shapes';
import { nodeSpan, spanOf, type SourceText } from './text';
import { typeName } from './types';

const NOTHING: Value = {};

/** Longer returned expressions are left out of the IR: the rules only look for short constants. */
const MAX_RETURN_TEXT = 40;

/** Declarations and definitions that hold no code to run. */
const NOT_CODE = new Set([
  'type_definition',
  'struct_specifier',
  'union_specifier',
  'enum_specifier',
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

/**
 * `unsigned int (*read)(const void *addr);`: a local pointer to a function (a prototype's name is
 * not parenthesized). A call of it is through the pointer, never to the function named `read`.
 */
function isFunctionPointer(node: SyntaxNode): boolean {
  const inner = typeOf(node) === 'function_declarator' ? node.childForFieldName('declarator') : null;
  return inner !== null && typeOf(inner) === 'parenthesized_declarator';
}

interface SwitchFrame {
  head: ReturnType<CfgBuilder['block']>;
  hasDefault: boolean;
  /** The variable switched on (or a member through a pointer), when the condition is one: its case edges test `variable==label`. */
  variable?: string;
  /** The case labels, as their edges test them. */
  labels: string[];
  /** The edge to `default:`, which passes the other labels' tests failing. */
  defaultEdge?: { cond?: Condition };
}

/**
 * A switch of at most this many cases has its default edge (or the way past it, without one)
 * test that none matched: a mode switch (qlcnic's mailbox: WAIT, NO_WAIT, BUSY_WAIT, and a
 * default arm that tears the mailbox down). An ioctl's hundred cases are not worth the text.
 */
const MAX_LABELS_TESTED_BY_DEFAULT = 16;

export class FunctionLowering implements LowerContext {
  readonly cfg = new CfgBuilder();
  readonly locals: string[] = [];
  /** Declared types of the parameters and of the locals met so far (see types.ts); '' for a name declared with two. */
  readonly types: Record<string, string> = {};
  private readonly parameters = new Set<string>();
  readonly sinks: string[][] = [];
  /** Trees of re-read regions (see reparse.ts), deleted once the body is lowered. */
  private readonly subTrees: Tree[] = [];
  private readonly switches: SwitchFrame[] = [];
  /** A macro head ending an if/loop statement, and the block after that statement which is its body. */
  private adopted: { head: SyntaxNode; body: SyntaxNode } | undefined;

  constructor(
    readonly text: SourceText,
    readonly facts: FileFacts,
  ) {}

  /** Lowers a function body; falling off its end is a return at the closing brace. */
  body(body: SyntaxNode | null, end: SyntaxNode | null = body): void {
    try {
      if (body) this.compound(body, false);
    } finally {
      for (const tree of this.subTrees) tree.delete();
    }
    if (this.cfg.current) {
      const span = end ? closingSpan(end) : { line: 1, column: 1, endLine: 1, endColumn: 1 };
      this.cfg.emit({ kind: 'return', span, idents: [] });
      this.cfg.jump(this.cfg.exit);
    }
  }

  /** The parameters and their types, before the body is lowered. */
  declareParameters(names: readonly (string | null)[], types: Record<string, string>): void {
    for (const name of names) if (name !== null) this.parameters.add(name);
    Object.assign(this.types, types);
  }

  isVariable(name: string): boolean {
    return this.parameters.has(name) || this.locals.includes(name);
  }

  typeOfVariable(name: string): string | undefined {
    if (Object.hasOwn(this.types, name)) return this.types[name] || undefined;
    if (this.parameters.has(name) || this.locals.includes(name)) return undefined;
    const { globals } = this.facts.types;
    return Object.hasOwn(globals, name) ? globals[name] : undefined;
  }

  statementExpression(compound: SyntaxNode): Value {
    return this.compound(compound, true);
  }

  private compound(node: SyntaxNode, wantValue: boolean): Value {
    this.cfg.pushScope();
    const value = this.sequence(this.items(named(node)), wantValue);
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
    this.expandMisread(items, i);
    this.recoverAnnotated(items, i);
    const node = items[i];
    const type = typeOf(node);
    const body = items[i + 2];
    if (type === 'if_statement' && isBareElse(items[i + 1]) && body && !named(node).some((p) => typeOf(p) === 'else_clause')) {
      // `if (c) { A } else #endif { B }`: B is the else branch, with the conditional or without it
      this.ifStatement(node, body);
      return { next: i + 3, value: NOTHING };
    }
    if ((type === 'declaration' || type === 'ERROR') && this.text.word(node.startIndex) === 'else') {
      this.danglingElse(node);
      return { next: i + 1, value: NOTHING };
    }
    if (type === 'function_definition' && isMacroShapedDefinition(node)) {
      // `for_each_online_node(nid) { ... }` read as a nested definition
      const body = named(node).find((n) => typeOf(n) === 'compound_statement');
      if (body) {
        this.macroBlock(
          () => this.headOp(node, body),
          () => {
            this.compound(body, false);
            return body;
          },
        );
        return { next: i + 1, value: NOTHING };
      }
    }
    const following = items[i + 1];
    if (following && isBody(following)) {
      const inner = innerMacroHead(node);
      if (inner) {
        // `if (x) list_for_each_entry(p, h, m) { ... }`: the block after the if is the macro's body
        this.adopted = { head: inner, body: following };
        this.statement(node);
        this.adopted = undefined;
        return { next: i + 2, value: NOTHING };
      }
      let head = macroHeadOf(node);
      if (!head && type === 'labeled_statement') {
        const inner = statementItems(named(node).slice(1));
        head = inner.length === 1 ? macroHeadOf(inner[0]) : undefined;
        if (head) this.label(node);
      }
      if (head) {
        const call = head;
        let next = i + 1;
        this.macroBlock(
          () => (typeOf(call) === 'call_expression' ? lowerCall(this, call, true) : this.headOp(call)),
          () => {
            next = this.item(items, i + 1, false).next;
            return items[next - 1];
          },
        );
        return { next, value: NOTHING };
      }
    }
    return { next: i + 1, value: this.statement(node, wantValue) };
  }

  /**
   * `for_each_node(n) stmt;` read as a declaration (or ERROR) whose type is `for_each_node(n)`:
   * replaces items[i] by the head and the statements re-read from the rest of the region.
   */
  private expandMisread(items: SyntaxNode[], i: number): void {
    const node = items[i];
    const type = typeOf(node);
    if (type === 'expression_statement') return this.expandMisreadAssignment(items, i);
    if (type !== 'declaration' && type !== 'ERROR') return;
    const parts = named(node);
    const head = parts[0];
    if (!head || typeOf(head) !== 'macro_type_specifier') return;
    if (type === 'declaration' && !parts.slice(1).some((p) => MISREAD_DECLARATORS.has(typeOf(p)))) return;
    const name = named(head)[0];
    if (!name || TYPEOF.test(this.text.text(name))) return;
    const again = reparseAfterHead(this.text, head, node);
    if (!again) {
      if (type === 'ERROR') items.splice(i, 1, ...this.items(parts));
      return;
    }
    this.subTrees.push(again.tree);
    items.splice(i, 1, head, ...this.items(named(again.block)));
  }

  /**
   * `list_for_each_entry(bo, &dev->lru, lru) ret = flush(bo);` read as one assignment to the
   * head, with `ret` an ERROR between: replaces items[i] by the head and the statement after it,
   * re-read (the call in it was lost: every brace-less iterator over an assignment of a call).
   */
  private expandMisreadAssignment(items: SyntaxNode[], i: number): void {
    const node = items[i];
    const assignment = named(node)[0];
    if (!assignment || typeOf(assignment) !== 'assignment_expression') return;
    const parts = named(assignment);
    const head = parts[0];
    if (!head || typeOf(head) !== 'call_expression' || head.startIndex !== node.startIndex || !parts.some((p) => typeOf(p) === 'ERROR')) return;
    if (!macroHeadOf(head)) return;
    const again = reparseAfterHead(this.text, head, node);
    if (!again) return;
    this.subTrees.push(again.tree);
    items.splice(i, 1, head, ...this.items(named(again.block)));
  }

  /**
   * `if (a) x(); #ifdef C else if (b) y(); #endif`: the `else` cut from its `if` by the conditional
   * is read as a declaration of type `else` (or an ERROR). Its statements are re-read and lowered
   * as a block that may or may not run (the `if` is already lowered, so the branch is not tied to
   * its test).
   */
  private danglingElse(node: SyntaxNode): void {
    const again = reparseAfter(this.text, node.startIndex, node.startIndex + 4, node);
    if (!again) {
      if (typeOf(node) === 'ERROR') this.sequence(this.items(named(node)), false);
      return;
    }
    this.subTrees.push(again.tree);
    const { cfg } = this;
    const from = cfg.here();
    const branch = cfg.block();
    const after = cfg.block();
    cfg.edge(from, branch);
    cfg.edge(from, after);
    cfg.enter(branch);
    this.compound(again.block, false);
    cfg.jump(after);
    cfg.enter(after);
  }

  /**
   * A statement broken by an annotation (`copy((void __user *)q);` read as a declaration, `char
   * __user *p = ...` cut after `__user`) is replaced by its re-reading without annotations.
   */
  private recoverAnnotated(items: SyntaxNode[], i: number): void {
    const first = items[i];
    // only simple statements: a compound one is entered and its own statements are looked at
    if (!SIMPLE_STATEMENTS.has(typeOf(first)) || !first.hasError) return;
    let j = i; // a declaration cut short (`char __user` + a MISSING `;`) continues in the next item
    while (j + 1 < items.length && endsWithMissingSemicolon(items[j])) j++;
    const last = items[j];
    if (!hasAnnotation(this.text.slice(first.startIndex, last.endIndex))) return;
    const again = reparseWithoutAnnotations(this.text, first, last);
    if (!again) return;
    this.subTrees.push(again.tree);
    items.splice(i, j - i + 1, ...this.items(named(again.block)));
  }

  /**
   * The call op of a head that is not a call_expression: `NAME(arg)` read as a macro type, or as
   * the type and parenthesized declarator of a nested definition.
   */
  private headOp(head: SyntaxNode, body?: SyntaxNode, macroBlock = true): CallOp {
    const parts = named(head);
    const name = parts[0];
    const arg =
      typeOf(head) === 'macro_type_specifier' ? parts[1] : parts.find((p) => typeOf(p) === 'parenthesized_declarator');
    const argNode = arg && typeOf(arg) === 'parenthesized_declarator' ? named(arg)[0] : arg;
    const args: Arg[] = [];
    if (argNode) {
      const text = this.text.norm(argNode);
      const idents = [...new Set(text.match(/[A-Za-z_]\w*/g) ?? [])];
      for (const id of idents) noteIdent(this, id);
      args.push({ text, idents, span: nodeSpan(argNode) });
    }
    const end = arg ?? name ?? head;
    const op: CallOp = {
      kind: 'call',
      id: this.cfg.nextOpId(),
      callee: name ? this.text.text(name) : '',
      args,
      span: spanOf(head.startPosition, (body ? end : head).endPosition),
      calleeSpan: nodeSpan(name ?? head),
    };
    if (macroBlock) op.macroBlock = true;
    this.cfg.emit(op);
    return op;
  }

  /**
   * `NAME(args) body`: head block H holds the call (macroBlock) and branches to the body and to an
   * exit block whose ScopeExitOp closes it; the body loops back to H. `break` leaves through the exit
   * block, `continue` goes to H. Whether it is a loop or a scoped lock is decided by the tables.
   */
  private macroBlock(makeHead: () => CallOp, lowerBody: () => SyntaxNode): void {
    const { cfg } = this;
    const head = cfg.block();
    cfg.jump(head);
    cfg.enter(head);
    const op = makeHead();
    const body = cfg.block();
    const out = cfg.block();
    cfg.edge(head, body);
    cfg.edge(head, out);
    cfg.enter(body);
    cfg.pushScope(op.id);
    cfg.pushTarget(out, head);
    const last = lowerBody();
    const end = lastCharSpan(last);
    cfg.popTarget();
    cfg.popScope(end);
    cfg.jump(head);
    out.ops.push({ kind: 'scope-exit', of: op.id, span: end });
    cfg.enter(out);
  }

  private statement(node: SyntaxNode, wantValue = false): Value {
    const { cfg } = this;
    const type = typeOf(node);
    switch (type) {
      case 'compound_statement':
        return this.compound(node, wantValue);
      case 'expression_statement': {
        const adopted = this.adopted;
        if (adopted && adopted.head === node) {
          const call = named(node)[0];
          this.adopted = undefined;
          this.macroBlock(
            () => lowerCall(this, call, true),
            () => {
              this.statement(adopted.body);
              return adopted.body;
            },
          );
          return NOTHING;
        }
        const expr = named(node)[0];
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
        const label = named(node)[0];
        if (label) cfg.doGoto(this.text.text(label), nodeSpan(node));
        return NOTHING;
      }
      case 'labeled_statement':
        this.label(node);
        return this.sequence(this.items(named(node).slice(1)), wantValue);
      case 'function_definition': // nested by a broken parse (macro-shaped ones are taken by item())
        this.facts.nestedDefinitions.push(node);
        return NOTHING;
      case 'macro_type_specifier': // a head with no body after it: still a call
        this.headOp(node, undefined, false);
        return NOTHING;
      case 'ERROR': // its pieces (statementItems kept it whole for item() to look at)
        return this.sequence(this.items(named(node)), wantValue);
      case 'attributed_statement':
      case 'preproc_if':
      case 'preproc_ifdef':
        return this.sequence(this.items([node]), wantValue);
    }
    if (NOT_CODE.has(type)) return NOTHING;
    return evalExpr(this, node);
  }

  /** The statements among `nodes` (see statementItems); definitions in skipped #else branches are kept for later. */
  private items(nodes: SyntaxNode[]): SyntaxNode[] {
    return statementItems(nodes, [], this.facts.nestedDefinitions);
  }

  private label(node: SyntaxNode): void {
    const label = named(node)[0];
    if (label) this.cfg.placeLabel(this.text.text(label));
  }

  /** The body of an if/loop: its own scope even without braces (a `guard()` there ends with it). */
  private subStatement(node: SyntaxNode | null): void {
    if (!node) return;
    if (typeOf(node) === 'compound_statement') {
      this.compound(node, false);
      return;
    }
    this.cfg.pushScope();
    this.statement(node);
    this.cfg.popScope(lastCharSpan(node));
  }

  private declaration(node: SyntaxNode): void {
    const declared = typeName(node.childForFieldName('type'), this.text);
    for (const child of named(node)) {
      const type = typeOf(child);
      if (type === 'init_declarator') {
        const parts = named(child); // declarator, value (an ERROR may sit between them)
        const declarator = parts[0];
        const value = parts.length > 1 ? parts[parts.length - 1] : undefined;
        const name = declaratorName(declarator ?? null, this.text);
        if (name !== null) this.addLocal(name, declared);
        if (!value) continue;
        if (name !== null && typeOf(value) !== 'initializer_list') assignValue(this, name, value, child);
        else {
          const { idents } = collect(this, () => evalExpr(this, value));
          if (name !== null) storeList(this, name, value, idents, child);
        }
      } else if (DECLARATOR_TYPES.has(type) || isFunctionPointer(child)) {
        const name = declaratorName(child, this.text);
        if (name !== null) this.addLocal(name, declared);
      }
    }
  }

  /** A local, with its type when it is a structure: one name declared with two types (in two blocks) has none. */
  private addLocal(name: string, type: string | undefined): void {
    const known = Object.hasOwn(this.types, name) ? this.types[name] : (this.parameters.has(name) || this.locals.includes(name)) ? '' : undefined;
    if (!this.locals.includes(name)) this.locals.push(name);
    if (known === undefined) {
      if (type !== undefined) this.types[name] = type;
    } else if (known !== type) this.types[name] = '';
  }

  /** `if`; `elseBody` is the statement an `else` cut off by an `#endif` stands before. */
  private ifStatement(node: SyntaxNode, elseBody?: SyntaxNode): void {
    const { cfg } = this;
    const parts = named(node);
    const cond = parts.find((p) => typeOf(p) === 'parenthesized_expression');
    const clause = parts.find((p) => typeOf(p) === 'else_clause');
    const consequence = parts.find((p) => p !== cond && p !== clause) ?? null;
    const alternative = clause ? (named(clause)[0] ?? null) : elseBody;
    const join = cfg.block();
    const ifTrue = cfg.block();
    const ifFalse = alternative !== undefined ? cfg.block() : join;
    if (cond) lowerCondition(this, cond, ifTrue, ifFalse);
    else cfg.jump(ifTrue);
    cfg.enter(ifTrue);
    this.subStatement(consequence);
    cfg.jump(join);
    if (alternative !== undefined) {
      cfg.enter(ifFalse);
      this.subStatement(alternative);
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
    const [cond, stmt] = named(node);
    if (cond) lowerCondition(this, cond, body, after);
    else cfg.jump(body);
    this.loopBody(stmt ?? null, body, after, head, head);
    cfg.enter(after);
  }

  private forStatement(node: SyntaxNode): void {
    const { cfg } = this;
    const init = node.childForFieldName('initializer');
    if (init) {
      if (typeOf(init) === 'declaration') this.declaration(init);
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
    const [stmt, cond] = named(node);
    this.loopBody(stmt ?? null, body, after, test, test);
    cfg.enter(test);
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
    const frame: SwitchFrame = { head, hasDefault: false, labels: [] };
    const switched = cond && typeOf(cond) === 'parenthesized_expression' ? named(cond)[0] : cond;
    if (switched && typeOf(switched) === 'identifier') frame.variable = this.text.identifier(switched);
    // `switch (ctl->cmd)`: a member a pointer reaches, as a caller may fill it (cnic's drv_ctl info)
    else if (switched && typeOf(switched) === 'field_expression' && POINTER_MEMBER_PATH.test(this.text.norm(switched))) frame.variable = this.text.norm(switched);
    this.switches.push(frame);
    cfg.pushTarget(after);
    cfg.enter(null); // code before the first case label is unreachable
    const body = node.childForFieldName('body');
    if (body) this.statement(body);
    cfg.jump(after);
    cfg.popTarget();
    this.switches.pop();
    if (!frame.hasDefault) frame.defaultEdge = cfg.edge(head, after);
    const none = noneMatched(frame);
    if (none && frame.defaultEdge) frame.defaultEdge.cond = none;
    cfg.enter(after);
  }

  private caseStatement(node: SyntaxNode): void {
    const { cfg } = this;
    const frame = this.switches[this.switches.length - 1];
    const block = cfg.block();
    const isDefault = this.text.slice(node.startIndex, node.startIndex + 7) === 'default';
    // `case FOO_POWER_OFF:` of `switch (action)`: the edge tests `action==FOO_POWER_OFF`, so a
    // caller's constant for `action` decides it as it decides an `if`.
    const label = isDefault ? undefined : named(node)[0];
    const test = frame?.variable !== undefined && label ? { expr: `${frame.variable}==${this.text.norm(label)}` } : undefined;
    if (frame) {
      const edge = cfg.edge(frame.head, block, test);
      if (test) frame.labels.push(test.expr);
      if (isDefault) frame.defaultEdge = edge;
    }
    cfg.jump(block); // fall-through from the previous case
    cfg.enter(block);
    if (frame && isDefault) frame.hasDefault = true;
    this.sequence(this.items(named(node).slice(isDefault ? 0 : 1)), false);
  }

  private returnStatement(node: SyntaxNode): void {
    const { cfg } = this;
    const expr = named(node)[0];
    const { value, idents } = collect(this, () => (expr ? evalExpr(this, expr) : NOTHING));
    const span = nodeSpan(node);
    cfg.exitScopesTo(0, span);
    const op: ReturnOp = { kind: 'return', span, idents };
    if (value.call) op.callOp = value.call.id;
    const text = expr ? this.text.norm(expr) : '';
    if (text !== '' && text.length <= MAX_RETURN_TEXT) op.value = text;
    cfg.emit(op);
    cfg.jump(cfg.exit);
  }
}

/** `ctl->cmd`, `cmd->hdr.type`: a member through a pointer, as parameter tests name one. */
const POINTER_MEMBER_PATH = /^[A-Za-z_]\w*->[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/;

/** The test a switch's default edge passes: every case's false (`mode==A||mode==B` false). */
function noneMatched(frame: SwitchFrame): Condition | undefined {
  if (frame.variable === undefined || frame.labels.length === 0 || frame.labels.length > MAX_LABELS_TESTED_BY_DEFAULT) return undefined;
  return { expr: frame.labels.join('||'), value: false };
}
