/**
 * What a rule is: an id, a default severity, its documentation (generated into docs/rules/), and an
 * observer of the dataflow that turns what it sees into findings. One file per rule.
 */
import { type HeldPin, type State, pinsOf } from '../dataflow/state';
import type { Observer } from '../dataflow/transfer';
import type { Knowledge } from '../dataflow/env';
import { type Finding, type PathEvent, type RuleId, type Severity, pathEvent } from '../finding';
import type { CallOp, FunctionIR } from '../ir';
import type { Span } from '../span';

export interface RuleDoc {
  /** One line, for `--help`, SARIF and the rule list. */
  summary: string;
  what: string;
  why: string;
  /** C code showing the problem (with the finding's line marked by a comment). */
  example: string;
  fix: string;
}

export interface Rule {
  id: RuleId;
  defaultSeverity: Severity;
  doc: RuleDoc;
  /** Observes one run of the dataflow over one function (in one entry context). */
  observe(ctx: RuleContext): RuleObserver;
}

export interface RuleObserver extends Observer {
  /** After the run: report what needs the whole run (leaks, inconsistent returns). */
  finish?(): void;
}

/** A finding before the program attaches severity and applies suppressions. */
export type Report = Omit<Finding, 'severity' | 'file' | 'function'>;

export interface RuleContext {
  file: string;
  fn: FunctionIR;
  knowledge: Knowledge;
  report(r: Report): void;
  /** Locks this function is annotated to return holding (`__acquires`), or to release (`__releases`). */
  annotatedAcquires: ReadonlySet<string>;
  annotatedReleases: ReadonlySet<string>;
  /**
   * The function returns a mapping it takes (a kmap wrapper): a conflict between that mapping and one
   * its caller pins is the caller's finding, reported at the call.
   */
  returnsMapping: boolean;
}

/** The event of a finding's own location, closing its path. */
export function here(ctx: RuleContext, kind: PathEvent['kind'], span: Span, message: string, extra: Partial<PathEvent> = {}): PathEvent {
  return pathEvent(kind, ctx.file, ctx.fn.name, span, message, extra);
}


/** The later of two positions (undefined counts as earliest). */
export function later(a: Span | undefined, b: Span): Span {
  if (!a) return b;
  return b.line > a.line || (b.line === a.line && b.column > a.column) ? b : a;
}

export function sameSpan(a: Span, b: Span | undefined): boolean {
  return b !== undefined && a.line === b.line && a.column === b.column;
}

/**
 * The persistent pins of `s` that a new blocking persistent kmap `pin` (taken by `op`) waits behind,
 * or undefined when `pin` cannot wait (not persistent, or a call that never blocks). A wrapper's
 * conflict with its caller's pins is the caller's to report (see `returnsMapping`).
 */
export function pinsBlockingBehind(ctx: RuleContext, s: State, pin: HeldPin, op: CallOp): HeldPin[] | undefined {
  if (pin.kind !== 'persistent' || !pin.serie) return undefined;
  if (!(ctx.knowledge.call(op.callee, op.args.length)?.map?.blocks ?? true)) return undefined;
  return pinsOf(s).filter((p) => p.kind === 'persistent' && p.serie !== undefined && !(p.fromEntry && ctx.returnsMapping));
}
