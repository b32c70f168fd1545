/**
 * Arrays the program keeps (a lock's origin, a sleep's chain, a wrapper's forwards), built at
 * their exact size. V8 gives an array made by spreading room to grow: `[...origin, call]` of five
 * events weighed 232 bytes where `origin.concat(call)` weighs 88, and a whole tree keeps millions.
 * Object spreads of a kept object (`{ ...held, origin }`) cost the same way; those are written out.
 */

/** `list` followed by `item`. */
export function appended<T extends object>(list: readonly T[], item: T): T[] {
  return list.concat(item);
}

/** `item` followed by `list`. */
export function prepended<T extends object>(item: T, list: readonly T[]): T[] {
  return [item].concat(list);
}
