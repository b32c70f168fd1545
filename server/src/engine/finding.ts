/**
 * Findings and their paths: the one data structure that the CLI (notes), the language server
 * (related information, code actions) and the simulator (replay) share. Everything here is plain
 * JSON; lines and columns are 1-based (see span.ts).
 */
import { flat } from './exact';
import type { Location, Span } from './span';

export const RULE_IDS = [
  'sleep-in-atomic',
  'kmap-serie-reentry',
  'kmap-serie-order',
  'kmap-leak',
  'kunmap-order',
  'kunmap-mismatch',
  'lock-imbalance',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** What happened at one step of a path. The simulator replays these kinds; the others are notes. */
export type PathEventKind =
  | 'entry' // a context held on entry to the function (annotation, caller, callback registration)
  | 'lock' // a spinlock (or rwlock, ...) taken
  | 'unlock'
  | 'lock-drop' // a callee drops a lock and retakes it (pte_alloc, cond_resched_lock)
  | 'atomic-enter' // preempt_disable, local_irq_disable, rcu_read_lock, kmap_atomic, ...
  | 'atomic-exit'
  | 'kmap' // a mapping pinned (persistent, atomic or local)
  | 'kunmap'
  | 'call' // a step down the call chain
  | 'sleep' // the call that may block or sleep: the last event of a sleep-in-atomic path
  | 'branch' // a condition taken (trylock failed, ...)
  | 'return';

export interface PathEvent extends Location {
  kind: PathEventKind;
  /** Short, names the things involved: "'dst->page_table_lock' taken here by caller dup_mmap". */
  message: string;
  /** The function in which this event happens. */
  function: string;
  /** Canonical lock name, for lock events and for 'entry' of a lock. */
  lock?: string;
  /** The kmap serie, for persistent kmap events ('DEFAULT', 'PAGETABLE', 'PAGETABLE2', or user-defined). */
  serie?: string;
  /** The kind of mapping, for kmap/kunmap events. */
  mapKind?: 'persistent' | 'atomic' | 'local' | 'nowait';
  /** The atomic context kind, for atomic events ('preempt', 'irq', 'bh', 'rcu', 'kmap_atomic', 'timer', ...). */
  atomic?: string;
  /** The callee, for 'call' and 'sleep' events. */
  callee?: string;
  /** For a 'sleep' event caused by a persistent kmap: it blocks only when the serie's pool is empty. */
  blocksOnSerie?: string;
}

export interface TextEdit extends Location {
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix that is certainly right for this finding (LSP `isPreferred`). */
  preferred?: boolean;
}

export interface Finding extends Location {
  rule: RuleId;
  severity: Severity;
  message: string;
  /** The function in which the finding is reported. */
  function: string;
  /**
   * Ordered events that make it a bug. The last one completes it: usually at the finding's location;
   * for a sleep reached through callees it is the sleeping call inside the callee, and the call at the
   * finding's location is on the path before it.
   */
  path: PathEvent[];
  fixes: Fix[];
  /**
   * The other findings of one cause, not reported apart (causes.ts): the sleeping calls, or the
   * takes of a lock already held, reached under one context through one call out of its holder.
   */
  more?: number;
}

/** A file that could not be analysed, or was analysed only in part, with the reason. Never silent. */
export interface InputError {
  file: string;
  message: string;
}

/**
 * The event of `kind` at `span` in `fn`: one literal with the extras spread into it (a built event
 * spread again got a V8 map of its own, 34,000 of them in fs/'s summaries), its message flat
 * (exact.ts), as the program keeps it.
 */
export function pathEvent(kind: PathEventKind, file: string, fn: string, span: Span, message: string, extra: Partial<PathEvent> = {}): PathEvent {
  return { kind, file, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn, message: flat(message), function: fn, ...extra };
}
