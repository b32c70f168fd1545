/** Small wording helpers shared by the client's messages. */

/** "1 file", "2 files". */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
