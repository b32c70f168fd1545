/**
 * A settled Program as plain data, for a host to keep between runs: `Program.save()` yields it item
 * by item, `Program.restore()` reads the items back in the same order, and the restored program
 * answers as the saved one did and recomputes, after `update`/`remove`, only what they affect.
 *
 * Items, not one object: a whole kernel tree's program is larger than the longest string V8 can
 * make, so a host writes one item per line. Entry contexts are shared by many functions (a
 * thousand callers of iput() hand it the same context): each goes out once, as a `context` item
 * with a number, before the first item naming it by that number. Most functions share the one
 * inert summary: it goes out once, as the `inert` item; every other summary is its function's
 * own and goes out in the function's item (numbering them kept a map entry for each of some
 * hundreds of thousands through a whole tree's save). So does each distinct path event (a lock's origin is in
 * every context handed on while it is held: in Linux's tree, 17,827 distinct events of fs/ were
 * written 483,645 times), named by `EVENT_MARK` and its number wherever it appears. Bodies are not
 * saved: the restored program loads them from its `BodyStore`, at the position `index` says.
 *
 * Architecture invariant: a format change bumps `SAVED_PROGRAM_FORMAT`; a host never restores items
 * of another format (it analyses anew).
 */
import type { FunctionAnnotations, Suppression } from './annotations/types';
import type { EntryContext } from './contexts';
import type { FunctionHead, Summary } from './dataflow/env';
import type { Forward } from './dataflow/forwards';
import type { Finding, InputError, PathEvent } from './finding';
import type { FunctionRef } from './ir';
import type { SerieNesting } from './program';

export const SAVED_PROGRAM_FORMAT = 12;

/** A run's output with the contexts it handed each callee (by key) as context numbers. */
export interface SavedRun {
  findings: Finding[];
  nestings: SerieNesting[];
  outgoing: [callee: string, contexts: number[]][];
}

export type SavedItem =
  | { t: 'format'; format: number }
  | { t: 'event'; id: number; event: PathEvent }
  | { t: 'context'; id: number; context: EntryContext }
  /** The one summary that functions found inert share (the program's `inertKey`). */
  | { t: 'inert'; key: string; summary: Summary }
  | {
      t: 'file';
      file: string;
      keys: string[];
      suppressions: Suppression[];
      problems: InputError[];
      registrations: { target: string; context: number }[];
      stored: FunctionRef[];
      types?: string;
      macros?: string[];
      macroBits?: Record<string, string[]>;
      statics?: string[];
    }
  | {
      t: 'function';
      key: string;
      file: string;
      head: FunctionHead;
      index: number;
      onDemand: boolean;
      misread?: true;
      callees: string[];
      compared?: string[];
      forwards?: Forward[];
      ann: FunctionAnnotations;
      /** Its own summary; or, with `inert`, the shared one of the `inert` item. */
      summary?: Summary;
      inert?: true;
      summaryKey?: string;
      own: SavedRun;
      handed: SavedRun;
      incoming: number[];
    }
  /** Contexts a registration or a stored callback gives a function, by key. */
  | { t: 'callbacks'; key: string; contexts: number[] }
  | { t: 'failure'; id: string; error: InputError }
  /** Functions left to analyse (a header's helpers nothing analysed calls yet). */
  | { t: 'dirty'; summary: string[]; check: string[] };

/** Numbers shared objects on the way out, by identity: the first time one is met, with the item defining it. */
export class SharedNumbers<T extends object> {
  private readonly ids = new Map<T, number>();

  constructor(private readonly define: (id: number, value: T) => SavedItem) {}

  /** The number of `value`, and the item to yield before it when it is new. */
  number(value: T): { id: number; item?: SavedItem } {
    const known = this.ids.get(value);
    if (known !== undefined) return { id: known };
    const id = this.ids.size;
    this.ids.set(value, id);
    return { id, item: this.define(id, value) };
  }
}

/** Starts the string standing for a saved event; `ESCAPE` starts a string of the program that began with either. */
const EVENT_MARK = '\u0001';
const ESCAPE = '\u0002';

/** Events remembered by identity at once: a bound, as a whole tree holds millions of event objects. */
const RECENT_EVENTS = 1 << 16;

/**
 * Numbers path events on the way out, by content: equal events are written once. It keeps the
 * distinct events themselves (the program holds them anyway), found by a hash of their fields,
 * and the marks of the objects met lately (a whole tree's program hands on 3.2 million references
 * to 200,000 distinct events in its contexts alone; a map of every event object met pushed a
 * whole-tree save past Node's heap, and a map keyed by each distinct event's JSON text added some
 * hundreds of bytes per event to the save, which runs where the heap is at its largest).
 */
export class SavedEvents {
  /** The distinct events met, by number. */
  private readonly distinct: PathEvent[] = [];
  /** Numbers of the distinct events by `eventHash`: one, or the few that share a hash. */
  private readonly byHash = new Map<number, number | number[]>();
  /** The marks of the events met lately, by identity: most references are to an object just met. */
  private recent = new Map<object, string>();

  /** A copy of `value` with each path event replaced by its mark; events met for the first time go to `defined`. */
  pack<T>(value: T, defined: SavedItem[]): T {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return v[0] === EVENT_MARK || v[0] === ESCAPE ? ESCAPE + v : v;
      if (v === null || typeof v !== 'object') return v;
      if (Array.isArray(v)) return v.map(walk);
      if (isPathEvent(v)) return this.mark(v, defined);
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x);
      return out;
    };
    return walk(value) as T;
  }

  private mark(event: PathEvent, defined: SavedItem[]): string {
    const known = this.recent.get(event);
    if (known !== undefined) return known;
    const mark = EVENT_MARK + this.numberOf(event, defined);
    if (this.recent.size >= RECENT_EVENTS) this.recent = new Map();
    this.recent.set(event, mark);
    return mark;
  }

  private numberOf(event: PathEvent, defined: SavedItem[]): number {
    const hash = eventHash(event);
    const same = this.byHash.get(hash);
    for (const id of same === undefined ? [] : typeof same === 'number' ? [same] : same) if (sameEvent(this.distinct[id]!, event)) return id;
    const id = this.distinct.length;
    this.distinct.push(event);
    if (same === undefined) this.byHash.set(hash, id);
    else if (typeof same === 'number') this.byHash.set(hash, [same, id]);
    else same.push(id);
    defined.push({ t: 'event', id, event });
    return id;
  }
}

/** A hash of an event's fields and values, whatever their order (FNV-1a of each, summed). */
export function eventHash(event: PathEvent): number {
  let sum = 0;
  for (const [k, v] of Object.entries(event)) {
    const text = `${k}\u0000${typeof v === 'string' ? v : JSON.stringify(v)}`;
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    sum = (sum + h) | 0;
  }
  return sum;
}

/** The same fields with the same values (an event's values are strings and numbers; anything else is compared by identity). */
function sameEvent(a: PathEvent, b: PathEvent): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  return keys.every((k) => x[k] === y[k] && (x[k] !== undefined || k in y));
}

/** `value` (parsed from a saved item, changed in place) with each event mark replaced by its event. */
export function unpackEvents<T>(value: T, events: readonly PathEvent[]): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (v[0] === ESCAPE) return v.slice(1);
      if (v[0] !== EVENT_MARK) return v;
      const event = events[Number(v.slice(1))];
      if (!event) throw new Error(`the saved program names event ${v.slice(1)} before defining it`);
      return event;
    }
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = walk(v[i]);
      return v;
    }
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = walk(o[k]);
    return o;
  };
  return walk(value) as T;
}

function isPathEvent(v: object): v is PathEvent {
  const e = v as Partial<PathEvent>;
  return typeof e.kind === 'string' && typeof e.message === 'string' && typeof e.function === 'string' && typeof e.line === 'number';
}
