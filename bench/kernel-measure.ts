/** Running benchmark phases (kernel-phase.ts) in child processes and printing their figures. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Phase, PhaseResult } from './kernel-phase';

/** The bundles built by kernel-bundle.mjs sit next to the running orchestrator. */
export const BUNDLES = __dirname;
export const WORKER_SCRIPT = join(BUNDLES, 'worker.js');

/**
 * Node's own options, as `kpath check` runs: V8's default old-space limit (about 4 GiB on this
 * 24 GiB machine). A larger limit only lets garbage pile up before V8 collects it: with 16 GiB the
 * whole tree's cold run peaked at 9.9 GiB, against 4.0 GiB for the same run with the default.
 */
const NODE_ARGS: string[] = [];

/** A phase that failed (out of memory, a crash): the benchmark reports it and goes on. */
export class PhaseFailed extends Error {}

export function runPhase(phase: Omit<Phase, 'workerScript'>, cwd: string): PhaseResult {
  const r = spawnSync(process.execPath, [...NODE_ARGS, join(BUNDLES, 'kernel-phase.js'), JSON.stringify({ ...phase, workerScript: WORKER_SCRIPT })], {
    cwd,
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new PhaseFailed(`benchmark phase ${phase.kind} ${phase.paths.join(' ')} failed (exit ${r.status}, signal ${r.signal})`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as PhaseResult;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
export const mib = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MiB`;
export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

export function verdict(value: number, target: number): string {
  return value <= target ? `meets target <= ${target}` : `MISSES target <= ${target}`;
}

export function printRules(byRule: Record<string, number>): void {
  const rules = Object.keys(byRule).sort();
  if (rules.length === 0) console.log('  (no findings)');
  for (const r of rules) console.log(`  ${r.padEnd(20)} ${byRule[r]}`);
}

/** What a check phase analysed and what its Program did, in one line. */
export function describeCheck(r: PhaseResult): string {
  const h = r.headers;
  const p = r.program;
  const headers = h ? ` + ${h.count} included headers (${(h.bytes / 1048576).toFixed(1)} MiB, ${h.errors} not analysed, ${h.unresolvedIncludes} includes unresolved)` : '';
  const program = p ? `; bodies in ${p.bodies}, ${p.functions} functions summarised, ${p.runs} explorations, ${p.states} states${p.bodies === 'disk' ? `, ${p.loads} file IRs read back` : ''}` : '';
  return `${r.stats.files} files (${(r.stats.bytes / 1048576).toFixed(1)} MiB)${headers}${program}`;
}

export function printTriageLists(r: PhaseResult): void {
  console.log('slowest files (read+parse+lower, ms):');
  for (const s of r.stats.slowest) console.log(`  ${String(s.ms).padStart(8)}  ${s.file}`);
  console.log('most ERROR/MISSING nodes:');
  for (const s of r.stats.mostSyntaxErrors) console.log(`  ${String(s.syntaxErrors).padStart(8)}  ${s.file}`);
  console.log(`errors (${r.errors.length}):`);
  for (const e of r.errors) console.log(`  ${e.file}: ${e.message}`);
}

/** A small seeded generator, so that the sample of findings is the same from run to run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
