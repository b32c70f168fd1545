/**
 * The fixed point's worklist: functions come out lowest rank first, and a function already waiting
 * is not added twice. The program ranks functions callees first (bottom-up) or callers first
 * (top-down), so a function re-queued because a callee's summary changed is run again before the
 * work above it: a call cycle settles before its callers are run, instead of every caller being run
 * once per turn of the cycle.
 */
export class Worklist {
  private readonly heap: { key: string; rank: number }[] = [];
  private readonly waiting = new Set<string>();
  /** Rank given to a key that has none, after every ranked key, in the order they came. */
  private nextRank: number;

  /** `rankOf` ranks `ranked` keys, from 0 up; `keys` wait from the start. */
  constructor(
    private readonly rankOf: (key: string) => number | undefined,
    ranked: number,
    keys: Iterable<string> = [],
  ) {
    this.nextRank = ranked;
    for (const key of keys) this.push(key);
  }

  get size(): number {
    return this.heap.length;
  }

  has(key: string): boolean {
    return this.waiting.has(key);
  }

  push(key: string): void {
    if (this.waiting.has(key)) return;
    this.waiting.add(key);
    const item = { key, rank: this.rankOf(key) ?? this.nextRank++ };
    const heap = this.heap;
    let i = heap.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.rank <= item.rank) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = item;
  }

  pop(): string | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (!top) return undefined;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && heap[right]!.rank < heap[left]!.rank ? right : left;
        if (heap[child]!.rank >= last.rank) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    this.waiting.delete(top.key);
    return top.key;
  }
}
