/**
 * How far V8 lets the heap grow past what its last full collection kept. Left to itself, a busy
 * heap may grow to several times its live size before the next one: the fixed point allocates states
 * by the million and keeps few, so `kpath check fs net` (320 MB live at the end) peaked at 1.2 GB
 * resident, and a whole tree ran into Node's default limit (about 4 GB) with 2.4 GB live. A fixed
 * factor keeps the peak near the live size at no measurable cost in time (benchmarks in
 * ARCHITECTURE.md). Process-wide: the worker threads get it too.
 */
import { setFlagsFromString } from 'node:v8';

/** The heap may grow by this many percent of what is live before the next full collection. */
export const HEAP_GROWING_PERCENT = 30;

/** V8 takes its flags with dashes or underscores. */
const SPELLINGS = ['--heap-growing-percent', '--heap_growing_percent'];

/** Sets the growth, unless the user chose one (`node --heap-growing-percent=N`, or NODE_OPTIONS). */
export function limitHeapGrowth(percent = HEAP_GROWING_PERCENT, execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  const chosen = (arg: string) => SPELLINGS.some((flag) => arg === flag || arg.startsWith(`${flag}=`));
  if (execArgv.some(chosen) || nodeOptions.split(/\s+/).some(chosen)) return false;
  setFlagsFromString(`${SPELLINGS[0]}=${percent}`);
  return true;
}
