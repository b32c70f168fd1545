/**
 * One measurement of the benchmarks, run in its own process so that its peak memory is its own:
 * `node kernel-phase.js '<json Phase>'` prints one JSON `PhaseResult` line on stdout.
 *  - parse: read and parse every file (the baseline);
 *  - check: what `kpath check` does: read, parse and lower (batch.ts, through the cache when given),
 *    then the engine's Program over all IRs.
 * Peak memory is the process's peak resident set (VmHWM), which includes the worker threads.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_CONFIG, Program } from '../server/src/engine/index';
import type { Finding, InputError } from '../server/src/engine/finding';
import { lowerPaths, parsePaths, type BatchStats } from '../server/src/host/batch';

export interface Phase {
  kind: 'parse' | 'check';
  paths: string[];
  workers: number;
  cacheDir?: string;
  workerScript: string;
  /** Where to write the findings as JSON (check only). */
  findingsOut?: string;
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
  /** Files with the most ERROR/MISSING nodes. */
  mostSyntaxErrors: { file: string; syntaxErrors: number }[];
}

function peakRss(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : process.memoryUsage().rss;
}

async function main(phase: Phase): Promise<PhaseResult> {
  const start = performance.now();
  const options = { workers: phase.workers, workerScript: phase.workerScript };
  if (phase.kind === 'parse') {
    const r = await parsePaths(phase.paths, options);
    const wallMs = performance.now() - start;
    return { kind: phase.kind, wallMs, batchMs: wallMs, programMs: 0, stats: r.stats, errors: r.errors, peakRssBytes: peakRss(), findingsByRule: {}, findings: 0, mostSyntaxErrors: [] };
  }
  const batch = await lowerPaths(phase.paths, { ...options, cacheDir: phase.cacheDir });
  const batchMs = performance.now() - start;
  const program = new Program(DEFAULT_CONFIG);
  for (const ir of batch.irs) program.update(ir);
  const findings: Finding[] = program.check();
  const wallMs = performance.now() - start;
  const findingsByRule: Record<string, number> = {};
  for (const f of findings) findingsByRule[f.rule] = (findingsByRule[f.rule] ?? 0) + 1;
  if (phase.findingsOut) writeFileSync(phase.findingsOut, JSON.stringify(findings));
  const mostSyntaxErrors = batch.irs
    .map((ir) => ({ file: ir.file, syntaxErrors: ir.syntaxErrors }))
    .sort((a, b) => b.syntaxErrors - a.syntaxErrors)
    .slice(0, 10);
  return {
    kind: phase.kind,
    wallMs,
    batchMs,
    programMs: wallMs - batchMs,
    stats: batch.stats,
    errors: batch.errors,
    peakRssBytes: peakRss(),
    findingsByRule,
    findings: findings.length,
    mostSyntaxErrors,
  };
}

main(JSON.parse(process.argv[2]) as Phase).then(
  (result) => process.stdout.write(JSON.stringify(result) + '\n'),
  (err) => {
    process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
