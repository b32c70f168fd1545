/**
 * Keys listed by name: the program's functions by name and callers by callee name. Most names have
 * one key (a whole tree has some 600,000 function names and as many called ones), and a list of
 * one weighed 56 bytes beside the key it holds, so a lone key is held as itself.
 */
export class NameIndex {
  private readonly map = new Map<string, string | string[]>();

  has(name: string): boolean {
    return this.map.has(name);
  }

  /** The keys listed under `name`, in the order they were added (or sorted, `sort`); undefined for none. */
  get(name: string): readonly string[] | undefined {
    const keys = this.map.get(name);
    return typeof keys === 'string' ? [keys] : keys;
  }

  /** Lists `key` under `name` (a list grown so has room to spare until `trim`). */
  add(name: string, key: string): void {
    const keys = this.map.get(name);
    if (keys === undefined) this.map.set(name, key);
    else if (typeof keys === 'string') this.map.set(name, [keys, key]);
    else keys.push(key);
  }

  /** Every list at its exact size: one grown by `push` keeps room for 17 keys. */
  trim(): void {
    for (const [name, keys] of this.map) if (Array.isArray(keys)) this.map.set(name, keys.slice());
  }

  /** Unlists `key` from `name`; a name left with no key goes. */
  remove(name: string, key: string): void {
    const keys = this.map.get(name);
    if (keys === undefined) return;
    const left = typeof keys === 'string' ? [keys] : keys;
    const rest = left.filter((k) => k !== key);
    if (rest.length === 0) this.map.delete(name);
    else this.map.set(name, rest.length === 1 ? rest[0]! : rest);
  }

  /** Sorts the keys of `name`, or of every name. */
  sort(name?: string): void {
    if (name === undefined) for (const keys of this.map.values()) sortList(keys);
    else sortList(this.map.get(name));
  }

  clear(): void {
    this.map.clear();
  }
}

function sortList(keys: string | string[] | undefined): void {
  if (Array.isArray(keys)) keys.sort();
}
