/**
 * `npm run bench` (issue 2): on the kernel's mm/, the time of a full check (read, parse, lower and
 * the engine's Program) against a parse-only pass over the same files, both single-threaded,
 * alternated three times in the same run; prints the medians and their ratio. Figures, not a test.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { linuxSource } from './kernel-source';
import { describeCheck, median, printRules, printTriageLists, ratio, runPhase, seconds } from './kernel-measure';
import type { PhaseResult } from './kernel-phase';

const repo = process.cwd();
const tree = linuxSource(['mm'], repo);
const ROUNDS = 3;

const parses: PhaseResult[] = [];
const checks: PhaseResult[] = [];
for (let i = 0; i < ROUNDS; i++) {
  parses.push(runPhase({ kind: 'parse', paths: ['mm'], workers: 1 }, tree));
  checks.push(runPhase({ kind: 'check', paths: ['mm'], workers: 1 }, tree));
  const p = parses[i];
  const c = checks[i];
  console.log(
    `round ${i + 1}: parse-only ${seconds(p.wallMs)}   check ${seconds(c.wallMs)} (read+parse+lower ${seconds(c.batchMs)}, Program ${seconds(c.programMs)})   ratio ${ratio(c.wallMs, p.wallMs)}`,
  );
}
const p = median(parses.map((r) => r.wallMs));
const c = median(checks.map((r) => r.wallMs));
const last = checks[ROUNDS - 1];
console.log(`\nmm/ (${last.stats.files} files, ${(last.stats.bytes / 1048576).toFixed(1)} MiB), single thread, medians of ${ROUNDS}:`);
console.log(`  parse-only    ${seconds(p)}`);
console.log(`  kpath check   ${seconds(c)}   (lower ${seconds(median(checks.map((r) => r.batchMs)))}, Program ${seconds(median(checks.map((r) => r.programMs)))})`);
console.log(`  ratio         ${ratio(c, p)}`);
console.log(`  ${describeCheck(last)}`);
console.log(`findings on mm/ (${last.findings}):`);
printRules(last.findingsByRule);
printTriageLists(last);

// The real command line, for reference (it includes node's start-up and output).
const cli = join(repo, 'dist', 'cli.js');
if (existsSync(cli)) {
  const times: number[] = [];
  let status: number | null = null;
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    status = spawnSync(process.execPath, [cli, 'check', '--format', 'json', 'mm'], { cwd: tree, stdio: 'ignore' }).status;
    times.push(performance.now() - t);
  }
  console.log(`\n\`kpath check --format json mm\` (dist/cli.js, default workers): median ${seconds(median(times))}, exit ${status}`);
}
