/**
 * What a function's annotations say about it, and the suppressions of a file. Plain JSON, like the
 * IR they are read from.
 */
import type { RuleId } from '../finding';
import type { AtomicKind, LockClass, LockRef, MapSemantics, UnmapSemantics } from '../kernel/semantics';
import type { Span } from '../span';

/** Where an annotation was read: the header (`__must_hold(x)`), a kernel comment idiom, or `kpath:`. */
export type AnnotationSource = 'header' | 'comment' | 'kpath';

export interface LockAnnotation {
  /**
   * Canonical lock name: whitespace removed, leading `&` and outer parentheses dropped
   * (`&mm->page_table_lock` -> `mm->page_table_lock`). A name without `->` or `.` that came from a
   * comment may be field-only ("the page_table_lock"): match it with `lockNameMatches`.
   */
  lock: string;
  /** The annotation as written, for messages ("__must_hold(&mm->page_table_lock)", "Called with ... held"). */
  text: string;
  source: AnnotationSource;
  /** The class when the annotation or the lock's name says it (`kpath: holds x (mutex)`, "mmap_lock"). */
  class?: LockClass;
  /** The lock as a parameter or a field of one (`mm->page_table_lock` with `mm` parameter 0 -> `{arg:0, field}`). */
  ref?: LockRef;
}

export interface FunctionAnnotations {
  /** Held on entry and still held at every return (`__must_hold`, "Called with X held", `kpath: holds`). */
  mustHold: LockAnnotation[];
  /** Taken by the function and held at its returns (`__acquires`, `kpath: acquires`). */
  acquires: LockAnnotation[];
  /** Held on entry and released by the function (`__releases`, `kpath: releases`). */
  releases: LockAnnotation[];
  /**
   * Held on entry and at every return, but released and retaken inside: a lock named by both
   * `__releases(x)` and `__acquires(x)` (the kernel's idiom for "drops x while it waits"). Such a
   * lock stays in `releases` and `acquires` too; `drops` only names the pairing.
   */
  drops: LockAnnotation[];
  /** Taken only when the function returns non-zero (`__cond_acquires`, `__cond_lock`). */
  condAcquires: LockAnnotation[];
  /** Must not be held on entry (`__must_not_hold`). */
  mustNotHold: LockAnnotation[];
  /** `kpath: atomic [kind]`: the function always runs in an atomic context. */
  atomic?: { kind: AtomicKind; text: string };
  /** `kpath: may-sleep [why]`. */
  sleeps?: { why: string };
  /** `kpath: never-sleeps`: overrides whatever the body or the tables say. */
  neverSleeps?: boolean;
  /** `kpath: maps ...`: the function is a mapper; treat its calls like a table row with this `map`. */
  map?: MapSemantics;
  /** `kpath: unmaps ...`: the function is an unmapper. */
  unmap?: UnmapSemantics;
}

/**
 * `kpath: ignore <rule>[, <rule>]: <reason>`: findings of those rules on `lines` (the comment's
 * own lines and the line after it) are not reported.
 */
export interface Suppression {
  rules: RuleId[];
  reason: string;
  /** The comment's span. */
  span: Span;
  /** First and last line (inclusive) of the findings it silences. */
  fromLine: number;
  toLine: number;
}
