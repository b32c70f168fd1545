/**
 * The constants a function-like macro's value always or-s in: i915's
 * `#define MAKE_SEND_FLAGS(len) ({ ...; (FIELD_PREP(MASK, len_) | INTEL_GUC_CT_SEND_NB); })`
 * has the bits of `INTEL_GUC_CT_SEND_NB` whatever `len` is, so a callee given
 * `MAKE_SEND_FLAGS(g2h_len_dw)` and testing `flags & INTEL_GUC_CT_SEND_NB` takes the test's true
 * way. Read from the macro's text (tree-sitter keeps a macro's value as raw text): the value, or a
 * statement expression's last statement, split at the `|` of its top level, and of the terms the
 * bare names that are not the macro's parameters, and numbers. Which of those names are constants
 * is the caller's to say, as for any argument.
 */

/** The or-ed terms of `value` that are names other than `params`, or numbers; empty when none or unsure. */
export function orredConstants(value: string, params: readonly string[]): string[] {
  let expr = unwrapped(withoutComments(value.replace(/\\\r?\n/g, ' ')));
  if (expr.startsWith('({') && expr.endsWith('})')) expr = unwrapped(lastStatement(expr.slice(2, -2)) ?? '');
  const terms = topLevelTerms(expr);
  if (terms === undefined) return [];
  return terms.map(unwrapped).filter((t) => (NAME.test(t) && !params.includes(t) && t !== '__VA_ARGS__') || NUMBER.test(t));
}

const NAME = /^[A-Za-z_]\w*$/;
const NUMBER = /^(?:0[xX][0-9a-fA-F]+|\d+)[uUlL]*$/;

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, ' ').trim();
}

/** `((A | B))` as `A | B`: the parentheses around the whole, as many pairs as there are, but a statement expression's. */
function unwrapped(text: string): string {
  let t = text.trim();
  while (t.startsWith('(') && !t.startsWith('({') && closingOf(t, 0) === t.length - 1) t = t.slice(1, -1).trim();
  return t;
}

/** The index of the bracket closing the one at `open`, or -1. */
function closingOf(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') if (--depth === 0) return i;
  }
  return -1;
}

/** A block's last statement (`x = 1; (A | B);` -> `(A | B)`), undefined when it ends in a block of its own. */
function lastStatement(block: string): string | undefined {
  const statements = splitTopLevel(block.trim(), (text, i) => (text[i] === ';' ? 1 : 0));
  const last = statements?.map((s) => s.trim()).filter((s) => s.length > 0).at(-1);
  return last === undefined || last.endsWith('}') ? undefined : last;
}

/**
 * The terms of a top-level or (`A | B & C` -> `A`, `B & C`); undefined when an operator binding
 * less tightly than `|` is at the top level (`||`, `&&`, `?:`, `,`, an assignment): the value is not
 * the or of its terms then.
 */
function topLevelTerms(expr: string): string[] | undefined {
  if (expr.length === 0) return undefined;
  let weaker = false;
  const terms = splitTopLevel(expr, (text, i) => {
    const [c, next, before] = [text[i], text[i + 1], text[i - 1]];
    if (c === '?' || c === ',' || c === ';' || c === '{') weaker = true;
    else if ((c === '&' && next === '&') || (c === '|' && next === '|')) weaker = true;
    else if (c === '=' && next !== '=' && !'=!<>'.includes(before ?? '')) weaker = true;
    else if (c === '|' && next === '=') weaker = true;
    else if (c === '|' && before !== '|') return 1;
    return 0;
  });
  return weaker ? undefined : terms;
}

/** `text` cut at the top-level places `cut` says (the length of the separator there, or 0); undefined when brackets do not match. */
function splitTopLevel(text: string, cut: (text: string, i: number) => number): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      i = endOfLiteral(text, i);
      continue;
    }
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      if (--depth < 0) return undefined;
    } else if (depth === 0) {
      const n = cut(text, i);
      if (n > 0) {
        out.push(text.slice(start, i));
        start = i + n;
        i += n - 1;
      }
    }
  }
  if (depth !== 0) return undefined;
  out.push(text.slice(start));
  return out;
}

function endOfLiteral(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === text[open]) return i;
  }
  return text.length;
}
