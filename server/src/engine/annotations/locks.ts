/**
 * Lock names as annotations write them, in the canonical form the dataflow uses.
 */
import type { LockRef } from '../kernel/semantics';

/** Whitespace removed, outer parentheses and a leading `&` dropped: `&( mm->page_table_lock )` -> `mm->page_table_lock`. */
export function normaliseLock(text: string): string {
  let s = text.replace(/\s+/g, '');
  for (;;) {
    if (s.startsWith('&')) s = s.slice(1);
    else if (s.startsWith('(') && s.endsWith(')') && wrapsWhole(s)) s = s.slice(1, -1);
    else return s;
  }
}

function wrapsWhole(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0 && i < s.length - 1) return false;
  }
  return depth === 0;
}

/**
 * Does an annotated lock name match a held lock's canonical name? Equal names match; a name
 * without `->` or `.` (field-only, from "Called with the page_table_lock held") also matches a
 * held lock whose last field is that name (`dst->page_table_lock`). The dataflow should prefer an
 * exact match and use the field match only when exactly one held lock matches that way.
 */
export function lockNameMatches(annotated: string, held: string): boolean {
  if (annotated === held) return true;
  if (/->|\./.test(annotated)) return false;
  return held.endsWith(`->${annotated}`) || held.endsWith(`.${annotated}`);
}

/** The lock as a parameter (`l` -> `{arg}`) or a field of one (`mm->page_table_lock` -> `{arg, field}`). */
export function lockRefFor(lock: string, params: readonly (string | null)[]): LockRef | undefined {
  const m = /^([A-Za-z_]\w*)(?:->([A-Za-z_]\w*))?$/.exec(lock);
  if (!m) return undefined;
  const arg = params.indexOf(m[1]!);
  if (arg < 0) return undefined;
  return m[2] ? { arg, field: m[2] } : { arg };
}
