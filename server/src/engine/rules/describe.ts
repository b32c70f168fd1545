/**
 * How findings name what is held: "'dst->page_table_lock' is held (taken by caller dup_mmap at
 * kernel/fork.c:192)". Every user-visible message about a held lock, atomic context or kmap goes
 * through here, so they read the same in the CLI, the editor and the simulator.
 */
import { atomicPhrase, withArticle } from '../english';
import type { PathEvent } from '../finding';
import type { Held, HeldPin } from '../dataflow/state';
import { describeMap } from '../dataflow/transfer';

const TAKING: ReadonlySet<PathEvent['kind']> = new Set(['lock', 'atomic-enter', 'kmap', 'entry']);

/** The event where a held item was taken (the caller's lock event for a context from a caller). */
export function takenAt(h: Held): PathEvent {
  return h.origin.find((e) => TAKING.has(e.kind)) ?? h.origin[h.origin.length - 1]!;
}

export function where(e: { file: string; line: number }): string {
  return `${e.file}:${e.line}`;
}

function provenance(h: Held, fn: string): string {
  const at = takenAt(h);
  if (at.kind === 'entry') return at.message;
  if (at.function === fn) return `taken at ${where(at)}`;
  // Taken inside a helper (its summary): name the helper and where it was called.
  const before = h.origin[h.origin.indexOf(at) - 1];
  if (before?.kind === 'call' && before.callee === at.function) {
    return before.function === fn
      ? `taken by ${at.function}() called at ${where(before)}`
      : `taken by ${at.function}() called by caller ${before.function} at ${where(before)}`;
  }
  return `taken by caller ${at.function} at ${where(at)}`;
}

/** One held item, as a clause: "'l' is held (taken at a.c:3)". */
export function describeHeld(h: Held, fn: string): string {
  switch (h.what) {
    case 'lock':
      return `'${h.display}' is held (${provenance(h, fn)})`;
    case 'atomic': {
      const at = takenAt(h);
      const phrase = atomicPhrase(h.kind);
      if (at.kind === 'entry') return `${phrase} (${at.message})`;
      // entered by a callee that returned with it (`tmio_mmc_kmap_atomic()`'s `local_irq_save()`)
      const call = h.origin[0];
      if (call?.kind === 'call' && call.function === fn && at.function !== fn) return `${phrase} (${h.by}() in ${at.function}() called at ${where(call)})`;
      const by = at.function !== fn ? `${h.by}() in caller ${at.function} at ${where(at)}` : `${h.by}() at ${where(at)}`;
      return `${phrase} (${by})`;
    }
    case 'pin':
      return `${describePin(h)} is pinned (${provenance(h, fn)})`;
  }
}

export function describePin(p: HeldPin): string {
  const name = pinName(p);
  const what = withArticle(describeMap(p.kind, p.serie));
  return /^</.test(name) ? what : `'${name}', ${what}`;
}

/** Several held items: "'a' is held (...) and preemption is disabled (...)". */
export function describeHolds(holds: readonly Held[], fn: string): string {
  const parts = holds.map((h) => describeHeld(h, fn));
  if (parts.length <= 1) return parts[0] ?? 'in atomic context';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** The events of several held items, in the order they were taken, without repeats. */
export function originEvents(holds: readonly Held[]): PathEvent[] {
  const out: PathEvent[] = [];
  const seen = new Set<string>();
  for (const h of holds) {
    for (const e of h.origin) {
      const key = `${e.kind}@${e.file}:${e.line}:${e.column}:${e.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(e);
    }
  }
  return out;
}

/** How a pin is named to the user: its variable, else what releases it (a caller's, unqualified). */
export function pinName(p: HeldPin): string {
  return p.variable ?? p.key.replace(/^\w+::/, '');
}

/**
 * A name through an array element indexed by a variable (`work[i].mutex`, `pointers[stripe]`):
 * one name for every element a loop visits, so two uses of it need not be one object.
 */
export function indexedByVariable(name: string): boolean {
  return INDEXED_BY_VARIABLE.test(name);
}
const INDEXED_BY_VARIABLE = /\[[^\]]*[A-Za-z_]/;
