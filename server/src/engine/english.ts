/** `a timer callback`, `an interrupt handler`, `an atomic kmap`: messages are read by people. */
export function withArticle(phrase: string): string {
  return `${/^[aeiou]/i.test(phrase) ? 'an' : 'a'} ${phrase}`;
}
