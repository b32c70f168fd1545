/**
 * How far V8 lets the heap grow past what its last full collection kept. Left to itself, a busy
 * heap may grow to several times its live size before the next one: the fixed point allocates states
 * by the million and keeps few, so `kpath check fs net` (320 MB live at the end) peaked at 1.2 GB
 * resident, and a whole tree ran into Node's default limit (about 4 GB) with 2.4 GB live. A fixed
 * factor keeps the peak near the live size at no measurable cost in time (benchmarks in
 * ARCHITECTURE.md). Process-wide: the worker threads get it too.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The heap may grow by this many percent of what is live before the next full collection. */
export const HEAP_GROWING_PERCENT = 30;

/**
 * The same for a program of a whole tree while it settles (`tightenHeapGrowth`). There the live heap
 * is 1.5 GB and the growth allowed past it is what the peak adds: on Linux 6.1 with 2 workers, no
 * cache, 30 % peaked at 2,313 MiB resident and 10 % at 2,042 MiB, for 1,505 MiB live at the end;
 * its fixed point took 377 s and 506 s (three times as many full collections).
 */
export const LARGE_HEAP_GROWING_PERCENT = 10;

/**
 * The same once the heap nears its largest (`HUGE_HEAP_BYTES`): a whole tree's peak is at the end
 * of its fixed point, 1.7 GB live on Linux 6.1.192 with 10 % allowed past it, and 2,068 to 2,123
 * MiB resident, over the 2 GiB the whole-tree benchmark allows; 4 % peaked at 2,054 MiB, 2 % at
 * 1,999 MiB (one run each; the fixed point 759 s and 927 s). Only the last part of the fixed
 * point pays for the more frequent full collections.
 */
export const HUGE_HEAP_GROWING_PERCENT = 2;

/** V8 takes its flags with dashes or underscores. */
const SPELLINGS = ['--heap-growing-percent', '--heap_growing_percent'];

/** Sets the growth, unless the user chose one (`node --heap-growing-percent=N`, or NODE_OPTIONS). */
export function limitHeapGrowth(percent = HEAP_GROWING_PERCENT, execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  if (userChoseGrowth(execArgv, nodeOptions)) return false;
  setFlagsFromString(`${SPELLINGS[0]}=${percent}`);
  limited = true;
  return true;
}

/** Whether `limitHeapGrowth` set the growth in this process (the CLI, the language server, the benchmarks). */
let limited = false;

/** A heap this large is a whole tree's program (mm/ alone is about 100 MB). */
const LARGE_HEAP_BYTES = 1024 * 2 ** 20;
/** A heap this large is a whole tree's program near its end (1.7 GB live at the peak). */
const HUGE_HEAP_BYTES = 1400 * 2 ** 20;

/** The growth `tightenHeapGrowth` set last in this process (undefined: never). */
let tightened: number | undefined;

/**
 * Lowers the growth to `LARGE_HEAP_GROWING_PERCENT` for the rest of the process once the heap is
 * large, and to `HUGE_HEAP_GROWING_PERCENT` once it is near a whole tree's largest, where
 * `limitHeapGrowth` set it; true when it is lowered (now or before). Cheap once it is:
 * a host calls it before settling a program and from the settling's progress
 * (`tighteningAsItGrows`), as a whole tree's heap may pass the mark only while it settles (it ended
 * lowering at 973 MiB, settled 1,505 MiB live and peaked with the growth left at 30 %). More
 * frequent full collections of a large heap cost time in the fixed point; a library caller that
 * never limited the growth keeps V8's.
 */
export function tightenHeapGrowth(heapUsed?: number): boolean {
  if (tightened === HUGE_HEAP_GROWING_PERCENT) return true;
  if (!limited) return false;
  const used = heapUsed ?? process.memoryUsage().heapUsed;
  const percent = used >= HUGE_HEAP_BYTES ? HUGE_HEAP_GROWING_PERCENT : used >= LARGE_HEAP_BYTES ? LARGE_HEAP_GROWING_PERCENT : undefined;
  if (percent === undefined) return tightened !== undefined;
  if (percent !== tightened) setFlagsFromString(`${SPELLINGS[0]}=${percent}`);
  tightened = percent;
  return true;
}

/** The growth `tightenHeapGrowth` has set in this process, undefined before it sets one. */
export function tightenedGrowth(): number | undefined {
  return tightened;
}

/** `report`, which also tightens the growth once the heap is large: a Program's `onProgress` while it settles. */
export function tighteningAsItGrows<A extends unknown[]>(report?: (...args: A) => void): (...args: A) => void {
  return (...args: A) => {
    tightenHeapGrowth();
    report?.(...args);
  };
}

function userChoseGrowth(execArgv: readonly string[], nodeOptions: string): boolean {
  const chosen = (arg: string) => SPELLINGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`));
  return execArgv.some(chosen) || nodeOptions.split(/\s+/).some(chosen);
}

/**
 * A full collection now, for the one moment a host knows that much of a large heap has just become
 * garbage: a program's last save lets go of its indexes (Program.save's `onLetGo`), and V8 would
 * otherwise reclaim them only once the heap next reaches its limit, set when they were alive, so the
 * save's own allocations pile up on top of them. `gc` is reachable only with V8's `--expose-gc`,
 * which a new context reads when it is made.
 */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
