/** Expressions as the IR writes them (whitespace removed): the bracket-aware reading the dataflow shares. */

/** Whether every `(` of `text` is closed, and no `)` closes what `text` did not open. */
export function balanced(text: string): boolean {
  let depth = 0;
  for (const c of text) {
    if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** `a|M(b|c)` cut at the `separator`s outside brackets: `a`, `M(b|c)`. */
export function topLevelParts(text: string, separator: string): string[] {
  const out: string[] = [];
  let [depth, start] = [0, 0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      out.push(text.slice(start, i));
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  out.push(text.slice(start));
  return out;
}
