/**
 * Builds one function's control-flow graph while the statements are walked: the block being filled,
 * the targets of `break`/`continue`/`goto`, and the stack of scopes whose exit must be marked
 * (`guard(...)` in a compound statement, the body of a macro block). `finish()` then drops empty
 * forwarding blocks and unreachable code and numbers the blocks in source order.
 */
import type { Block, Condition, Op, ScopeExitOp } from '../ir';
import type { Span } from '../span';

export interface DraftEdge {
  to: DraftBlock;
  cond?: Condition;
}

export interface DraftBlock {
  ops: Op[];
  succs: DraftEdge[];
  /** Creation index (tie-break for numbering). */
  index: number;
  /** When the block was first filled or continued into; blocks are numbered in this order. */
  order: number;
  /** Entered when this warning macro fires (`Block.warning`): kept apart, never merged into another. */
  warning?: string;
}

/** What a branch tests: the expression text and, when it is a call, that call's op id. */
export interface Test {
  expr: string;
  callOp?: number;
}

/** A scope whose exit is marked: a compound statement (closing the guards opened in it) or a macro body. */
interface ScopeFrame {
  /** The macro block call whose body this is; its exit op is placed by the macro's exit block on fall-through. */
  own?: number;
  /** Scope-bound calls (`guard(...)(...)`) opened directly in this frame, in order. */
  opened: number[];
}

interface JumpTarget {
  breakTo: DraftBlock;
  /** Absent for `switch`. */
  continueTo?: DraftBlock;
  /** Frames at index >= depth are left by a jump to this target. */
  depth: number;
}

interface Label {
  block: DraftBlock;
  /** Scope-bound calls active at the label, once the label has been seen. */
  active?: number[];
}

interface PendingGoto {
  from: DraftBlock;
  label: string;
  active: number[];
  span: Span;
}

export class CfgBuilder {
  private readonly drafts: DraftBlock[] = [];
  readonly entry: DraftBlock;
  readonly exit: DraftBlock;
  /** The block being filled; null when the code at this point is unreachable. */
  current: DraftBlock | null;
  private order = 0;
  private opIds = 0;
  private readonly frames: ScopeFrame[] = [];
  private readonly targets: JumpTarget[] = [];
  private readonly labels = new Map<string, Label>();
  private readonly gotos: PendingGoto[] = [];

  constructor() {
    this.entry = this.block();
    this.exit = this.block();
    this.current = null;
    this.enter(this.entry);
  }

  block(): DraftBlock {
    const b: DraftBlock = { ops: [], succs: [], index: this.drafts.length, order: -1 };
    this.drafts.push(b);
    return b;
  }

  /** The block a branch enters when `macro` (`WARN_ON`) fires. */
  warningBlock(macro: string): DraftBlock {
    const b = this.block();
    b.warning = macro;
    return b;
  }

  /** Continue filling `b` (null: what follows is unreachable). */
  enter(b: DraftBlock | null): void {
    this.current = b;
    if (b && b.order < 0) b.order = this.order++;
  }

  /** The block to emit into; unreachable code gets a fresh block without predecessors (dropped later). */
  here(): DraftBlock {
    if (!this.current) this.enter(this.block());
    return this.current!;
  }

  nextOpId(): number {
    return this.opIds++;
  }

  emit(op: Op): void {
    this.here().ops.push(op);
  }

  /** Ends the current block with an unconditional edge to `to`. */
  jump(to: DraftBlock): void {
    if (this.current) this.current.succs.push({ to });
    this.current = null;
  }

  /** Ends the current block with the two edges of a test. */
  branch(test: Test, ifTrue: DraftBlock, ifFalse: DraftBlock): void {
    const from = this.here();
    from.succs.push({ to: ifTrue, cond: condition(test, true) }, { to: ifFalse, cond: condition(test, false) });
    this.current = null;
  }

  /** An edge that does not end the current block (switch heads, macro heads), taken when `test` is true if one is given. */
  edge(from: DraftBlock, to: DraftBlock, test?: Test): DraftEdge {
    const edge: DraftEdge = test ? { to, cond: condition(test, true) } : { to };
    from.succs.push(edge);
    return edge;
  }

  // ---- scopes ----

  pushScope(own?: number): void {
    this.frames.push(own === undefined ? { opened: [] } : { own, opened: [] });
  }

  /** Leaves the innermost scope by falling through its end: its guards are exited, innermost first. */
  popScope(endSpan: Span): void {
    const frame = this.frames.pop();
    if (!frame || !this.current) return;
    for (let i = frame.opened.length - 1; i >= 0; i--) this.emit(scopeExit(frame.opened[i], endSpan));
  }

  /** A scope-bound call (`guard(spinlock)(&l)`) opened in the innermost scope. */
  openScope(callOp: number): void {
    this.frames[this.frames.length - 1]?.opened.push(callOp);
  }

  get scopeDepth(): number {
    return this.frames.length;
  }

  /** Emits the exits of every scope at index >= depth, innermost first (a jump leaving them). */
  exitScopesTo(depth: number, span: Span): void {
    if (!this.current) return;
    for (let f = this.frames.length - 1; f >= depth; f--) {
      const frame = this.frames[f];
      for (let i = frame.opened.length - 1; i >= 0; i--) this.emit(scopeExit(frame.opened[i], span));
      if (frame.own !== undefined) this.emit(scopeExit(frame.own, span));
    }
  }

  private activeScopes(): number[] {
    const out: number[] = [];
    for (const frame of this.frames) {
      if (frame.own !== undefined) out.push(frame.own);
      out.push(...frame.opened);
    }
    return out;
  }

  // ---- jumps ----

  pushTarget(breakTo: DraftBlock, continueTo?: DraftBlock): void {
    this.targets.push({ breakTo, continueTo, depth: this.frames.length });
  }

  popTarget(): void {
    this.targets.pop();
  }

  doBreak(span: Span): void {
    const t = this.targets[this.targets.length - 1];
    if (!t) return; // broken code: a stray break is ignored
    this.exitScopesTo(t.depth, span);
    this.jump(t.breakTo);
  }

  doContinue(span: Span): void {
    for (let i = this.targets.length - 1; i >= 0; i--) {
      const t = this.targets[i];
      if (!t.continueTo) continue;
      this.exitScopesTo(t.depth, span);
      this.jump(t.continueTo);
      return;
    }
  }

  /** `goto label`: resolved in finish(), once the scopes active at the label are known. */
  doGoto(label: string, span: Span): void {
    if (this.current) this.gotos.push({ from: this.current, label, active: this.activeScopes(), span });
    this.current = null;
  }

  /** `label:`: falls into the label's block and continues there. */
  placeLabel(name: string): void {
    const label = this.labelFor(name);
    label.active ??= this.activeScopes();
    this.jump(label.block);
    this.enter(label.block);
  }

  private labelFor(name: string): Label {
    let label = this.labels.get(name);
    if (!label) {
      label = { block: this.block() };
      this.labels.set(name, label);
    }
    return label;
  }

  // ---- result ----

  finish(): { blocks: Block[]; entry: number; exit: number } {
    for (const g of this.gotos) {
      const label = this.labels.get(g.label);
      if (label) {
        const kept = label.active ?? [];
        for (let i = g.active.length - 1; i >= 0; i--) {
          if (!kept.includes(g.active[i])) g.from.ops.push(scopeExit(g.active[i], g.span));
        }
        g.from.succs.push({ to: label.block });
      } else {
        g.from.succs.push({ to: this.exit }); // a label we never saw (broken code)
      }
    }

    const forward = new Map<DraftBlock, DraftBlock>();
    // The entry block stays (it may be empty): nothing else may jump to the entry.
    const forwards = (b: DraftBlock) =>
      b !== this.exit && b !== this.entry && b.ops.length === 0 && b.succs.length === 1 && !b.succs[0].cond && b.warning === undefined;
    const resolve = (b: DraftBlock): DraftBlock => {
      let at = b;
      // more steps than blocks: a cycle of empty blocks (`for (;;);`), which stays
      for (let steps = 0; forwards(at); steps++) {
        if (steps > this.drafts.length) return at;
        at = at.succs[0].to;
      }
      return at;
    };
    for (const d of this.drafts) forward.set(d, resolve(d));
    const entry = this.entry;

    const reached = new Set<DraftBlock>([entry, this.exit]);
    const stack = [entry];
    while (stack.length) {
      const b = stack.pop()!;
      for (const e of b.succs) {
        const to = forward.get(e.to)!;
        if (!reached.has(to)) {
          reached.add(to);
          stack.push(to);
        }
      }
    }
    // Straight-line code split by structure (a loop's exit, a label nobody jumps to) is one block.
    for (const b of reached) for (const e of b.succs) e.to = forward.get(e.to)!;
    const preds = new Map<DraftBlock, number>();
    for (const b of reached) for (const e of b.succs) preds.set(e.to, (preds.get(e.to) ?? 0) + 1);
    for (const b of reached) {
      for (;;) {
        const only = b.succs.length === 1 && !b.succs[0].cond ? b.succs[0].to : undefined;
        if (!only || only === b || only === this.exit || only === entry || preds.get(only) !== 1 || only.warning !== undefined) break;
        b.ops.push(...only.ops);
        b.succs = only.succs;
        reached.delete(only);
      }
    }
    for (const d of this.drafts) forward.set(d, d);

    const kept = [...reached].filter((b) => b !== this.exit);
    kept.sort((a, b) => rank(a) - rank(b) || a.index - b.index);
    kept.push(this.exit);
    const ids = new Map<DraftBlock, number>();
    kept.forEach((b, i) => ids.set(b, i));

    const blocks: Block[] = kept.map((b, id) => {
      const succs: Block['succs'] = [];
      for (const e of b.succs) {
        const to = ids.get(forward.get(e.to)!)!;
        if (!e.cond && succs.some((s) => s.to === to && !s.cond)) continue;
        succs.push(e.cond ? { to, cond: e.cond } : { to });
      }
      return b.warning === undefined ? { id, ops: b.ops, succs } : { id, ops: b.ops, succs, warning: b.warning };
    });
    return { blocks, entry: ids.get(entry)!, exit: ids.get(this.exit)! };
  }
}

function rank(b: DraftBlock): number {
  return b.order < 0 ? Number.MAX_SAFE_INTEGER : b.order;
}

function condition(test: Test, value: boolean): Condition {
  return test.callOp === undefined ? { expr: test.expr, value } : { expr: test.expr, value, callOp: test.callOp };
}

function scopeExit(of: number, span: Span): ScopeExitOp {
  return { kind: 'scope-exit', of, span };
}
