/**
 * One measurement of the benchmarks, run in its own process so that its peak memory is its own:
 * `node kernel-phase.js '<json Phase>'` prints one JSON `PhaseResult` line on stdout.
 *  - parse: read and parse every file (the baseline);
 *  - check: what `kpath check` does (host/analysis.ts): read, parse and lower the files and the
 *    headers they include (through the cache when given), then the engine's Program over all IRs
 *    (bodies on disk above 32 MiB of source).
 * Peak memory is the process's peak resident set (VmHWM), which includes the worker threads. `wallMs`
 * of a check ends when its report is ready; saving the program for the next run (with a cache
 * directory, as `kpath check` does after printing) is `saveMs`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_CONFIG } from '../server/src/engine/index';
import type { Finding, InputError } from '../server/src/engine/finding';
import { checkPaths } from '../server/src/host/analysis';
import { parsePaths, type BatchStats } from '../server/src/host/batch';
import { limitHeapGrowth } from '../server/src/host/heap';

export interface Phase {
  kind: 'parse' | 'check';
  paths: string[];
  workers: number;
  cacheDir?: string;
  workerScript: string;
  /** Where to write the findings as JSON (check only). */
  findingsOut?: string;
  /** Follow #include to headers (check only; default true, as `kpath check`). */
  includes?: boolean;
}

export interface PhaseResult {
  kind: Phase['kind'];
  wallMs: number;
  batchMs: number;
  programMs: number;
  stats: BatchStats;
  errors: InputError[];
  peakRssBytes: number;
  findingsByRule: Record<string, number>;
  findings: number;
  /** check: headers lowered because the files include them, and their lowering figures. */
  headers?: { count: number; errors: number; bytes: number; unresolvedIncludes: number };
  /** check: where the bodies were, and the Program's work (absent when the run cache served it). */
  program?: { bodies: 'memory' | 'disk'; functions: number; runs: number; states: number; loads: number };
  /** check: served from the run cache. */
  reused?: boolean;
  /** check: started from the program the last run saved (files and headers taken unchanged, ms to restore it). */
  resumed?: { files: number; headers: number; restoreMs: number };
  /** check with a cache: milliseconds spent saving the program after the report (not in `wallMs`), and whether it was written. */
  saveMs?: number;
  saved?: boolean;
}

function peakRss(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : process.memoryUsage().rss;
}

async function main(phase: Phase): Promise<PhaseResult> {
  limitHeapGrowth(); // as the CLI does (cli/main.ts)
  const start = performance.now();
  const options = { workers: phase.workers, workerScript: phase.workerScript };
  if (phase.kind === 'parse') {
    const r = await parsePaths(phase.paths, options);
    const wallMs = performance.now() - start;
    return { kind: phase.kind, wallMs, batchMs: wallMs, programMs: 0, stats: r.stats, errors: r.errors, peakRssBytes: peakRss(), findingsByRule: {}, findings: 0 };
  }
  // What `kpath check` runs: with a cache directory, an unchanged tree is served from the run cache.
  // As `kpath check`: the report first, then the program saved for the next run (timed apart).
  const result = await checkPaths(phase.paths, DEFAULT_CONFIG, { ...options, cacheDir: phase.cacheDir, includes: { follow: phase.includes !== false }, saveLater: true });
  const wallMs = performance.now() - start;
  const saving = performance.now();
  const saved = result.saveProgram?.();
  const saveMs = saved === undefined ? undefined : performance.now() - saving;
  const findingsByRule: Record<string, number> = {};
  for (const f of result.findings) findingsByRule[f.rule] = (findingsByRule[f.rule] ?? 0) + 1;
  if (phase.findingsOut) writeFileSync(phase.findingsOut, JSON.stringify(result.findings));
  const a = result.analysis;
  return {
    kind: phase.kind,
    wallMs,
    batchMs: a?.timings.lowerMs ?? wallMs,
    programMs: a?.timings.programMs ?? 0,
    stats: a?.stats ?? reusedStats(result.files.length, wallMs),
    errors: [...result.errors, ...result.headerErrors],
    peakRssBytes: peakRss(),
    findingsByRule,
    findings: result.findings.length,
    headers: {
      count: result.headers.length,
      errors: result.headerErrors.length,
      bytes: a?.headerStats?.bytes ?? 0,
      unresolvedIncludes: a?.includes?.unresolvedCount ?? 0,
    },
    program: a ? { bodies: a.bodies, functions: a.program.summaries, runs: a.program.runs, states: a.program.states, loads: a.program.loads } : undefined,
    reused: result.reused,
    ...(a?.resumed ? { resumed: a.resumed } : {}),
    ...(saveMs === undefined ? {} : { saveMs, saved: saved! }),
  };
}

/** A run served from the run cache read every file and parsed none. */
function reusedStats(files: number, elapsedMs: number): BatchStats {
  return { files, ignored: 0, parsed: 0, cacheHits: files, errors: 0, bytes: 0, workers: 0, elapsedMs, parseMs: 0, lowerMs: 0, syntaxErrors: 0, slowest: [], mostSyntaxErrors: [] };
}

main(JSON.parse(process.argv[2]) as Phase).then(
  (result) => process.stdout.write(JSON.stringify(result) + '\n'),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
