/**
 * Does a gfp mask allow direct reclaim (and so sleeping)? The mask is an argument's text with the
 * whitespace removed (`GFP_KERNEL|__GFP_ZERO`, `gfp&~__GFP_DIRECT_RECLAIM`). It is evaluated over a
 * single bit, "carries direct reclaim", in three values: true, false, or undefined (unknown). Names in
 * `gfp.sleeping` carry the bit, names in `gfp.nonSleeping` do not, `0` does not, and anything else (a
 * variable, a call, an unknown macro) is unknown. `|` is or, `&` is and, `~` is not, `a?b:c` is known
 * only when both branches agree; so `gfp & ~__GFP_DIRECT_RECLAIM` is false whatever `gfp` is.
 */
import type { GfpTable } from './semantics';

type Tri = boolean | undefined;

function or(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  if (a === false && b === false) return false;
  return undefined;
}
function and(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  if (a === true && b === true) return true;
  return undefined;
}
function not(a: Tri): Tri {
  return a === undefined ? undefined : !a;
}

/** Thrown inside the parser when the text is not a mask expression it understands. */
class NotAMask extends Error {}

const TOKEN = /\s*(?:([A-Za-z_]\w*)|(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|(\|\||&&|[|&~()?:!]))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) {
      if (/^\s*$/.test(text.slice(start))) break;
      throw new NotAMask();
    }
    tokens.push(m[1] ?? m[2] ?? m[3]!);
  }
  return tokens;
}

export function gfpMaySleep(argText: string, gfp: GfpTable): boolean | undefined {
  const sleeping = new Set(gfp.sleeping);
  const nonSleeping = new Set(gfp.nonSleeping);
  return evaluate(argText, (name) => (sleeping.has(name) ? true : nonSleeping.has(name) ? false : undefined));
}

/** Evaluates `text` with `flag(name)` for each identifier; exported for the index, which caches the sets. */
export function evaluate(text: string, flag: (name: string) => Tri): Tri {
  let tokens: string[];
  try {
    tokens = tokenize(text);
  } catch {
    return undefined;
  }
  if (tokens.length === 0) return undefined;
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (t: string) => {
    if (tokens[pos] !== t) throw new NotAMask();
    pos++;
  };

  // ternary := or ('?' ternary ':' ternary)?
  const ternary = (): Tri => {
    const cond = orExpr();
    if (peek() !== '?') return cond;
    pos++;
    const a = ternary();
    take(':');
    const b = ternary();
    return a === b ? a : undefined;
  };
  const orExpr = (): Tri => {
    let v = andExpr();
    while (peek() === '|') {
      pos++;
      v = or(v, andExpr());
    }
    return v;
  };
  const andExpr = (): Tri => {
    let v = unary();
    while (peek() === '&') {
      pos++;
      v = and(v, unary());
    }
    return v;
  };
  const unary = (): Tri => {
    const t = peek();
    if (t === '~') {
      pos++;
      return not(unary());
    }
    if (t === '(') {
      pos++;
      const v = ternary();
      take(')');
      // `(gfp_t)x` and `(__forcegfp_t)x`: a cast, then an operand.
      if (pos < tokens.length && /^[\w(~]/.test(tokens[pos]!)) return unary();
      return v;
    }
    if (t === undefined) throw new NotAMask();
    if (/^[A-Za-z_]/.test(t)) {
      pos++;
      if (peek() === '(') throw new NotAMask(); // a call: its value is unknown, and so is the mask
      return flag(t);
    }
    if (/^\d/.test(t)) {
      pos++;
      return Number(t) === 0 ? false : undefined;
    }
    throw new NotAMask();
  };

  try {
    const v = ternary();
    if (pos !== tokens.length) return undefined;
    return v;
  } catch {
    return undefined;
  }
}
