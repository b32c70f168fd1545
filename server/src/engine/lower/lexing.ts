/** Lexing the text-level readings share (conditionals.ts, loop-bodies.ts): they scan text, not trees. */

/** The index of the quote closing the string or character literal opened at `k`, on its line; -1 when the line ends first. */
export function closingQuote(text: string, k: number): number {
  const quote = text.charCodeAt(k);
  for (let p = k + 1; p < text.length; p++) {
    const c = text.charCodeAt(p);
    if (c === 92 /* \ */) p++;
    else if (c === quote) return p;
    else if (c === 10 /* \n */) return -1;
  }
  return -1;
}
