/**
 * Lock annotations in a function's header (sparse and Clang context analysis):
 * `__must_hold(x)`, `__acquires(x)`, `__releases(x)`, `__cond_acquires(x)`, `__cond_lock(x, c)`,
 * `__must_not_hold(x)` and their `_shared` forms. Several locks may be listed in one annotation.
 */
import type { FunctionAnnotations, LockAnnotation } from './types';
import { lockRefFor, normaliseLock } from './locks';

type LockList = 'mustHold' | 'acquires' | 'releases' | 'condAcquires' | 'mustNotHold';

/** Annotation macro -> the list it fills. `firstIsReturn`: `__cond_acquires(true, x)` names the return value first. */
const HEADER_MACROS: Record<string, { list: LockList; onlyFirst?: boolean; firstIsReturn?: boolean }> = {
  __must_hold: { list: 'mustHold' },
  __must_hold_shared: { list: 'mustHold' },
  __acquires: { list: 'acquires' },
  __acquires_shared: { list: 'acquires' },
  __releases: { list: 'releases' },
  __releases_shared: { list: 'releases' },
  __cond_acquires: { list: 'condAcquires', firstIsReturn: true },
  __cond_acquires_shared: { list: 'condAcquires', firstIsReturn: true },
  __cond_lock: { list: 'condAcquires', onlyFirst: true },
  __must_not_hold: { list: 'mustNotHold' },
};

const MACRO_CALL = /\b(__\w+)\s*\(/g;
const RETURN_VALUE = /^(?:true|false|nonzero|-?\d+)$/;

export function headerAnnotations(header: string, params: readonly (string | null)[], into: FunctionAnnotations): void {
  for (const m of header.matchAll(MACRO_CALL)) {
    const macro = HEADER_MACROS[m[1]!];
    if (!macro) continue;
    const open = m.index! + m[0].length;
    const close = matchingParen(header, open);
    if (close < 0) continue;
    let args = splitArgs(header.slice(open, close));
    if (macro.onlyFirst) args = args.slice(0, 1);
    if (macro.firstIsReturn && args.length > 1 && RETURN_VALUE.test(args[0]!)) args = args.slice(1);
    const text = header.slice(m.index!, close + 1);
    for (const arg of args) {
      const lock = normaliseLock(arg);
      if (!lock) continue;
      const a: LockAnnotation = { lock, text, source: 'header' };
      const ref = lockRefFor(lock, params);
      if (ref) a.ref = ref;
      into[macro.list].push(a);
    }
  }
}

/** Index of the `)` closing the parenthesis opened just before `from`, or -1. */
function matchingParen(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Splits on commas outside parentheses and brackets. */
function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(s.slice(start).trim());
  return out.filter((a) => a.length > 0);
}
