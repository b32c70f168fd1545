/**
 * `npm run bench:kernel` (issue 5), all in one run so that the ratios hold on a noisy machine:
 *  1. mm/ cold, all rules, single thread, vs a single-threaded parse-only pass (target <= 1.5x);
 *  2. Coccinelle's call_kern.cocci on mm/ with spatch, as the peer: time and what it found;
 *  3. the whole tree (every .c file) cold with 2 workers vs parse-only with 2 workers (<= 1.5x),
 *     then again with the warm cache (<= 10% of cold);
 *  4. peak memory of each run, main thread and workers together (<= 2 GiB);
 *  5. every file that could not be analysed, with the reason;
 *  6. findings per rule on the whole tree, and a fixed random sample of 20 for triage.
 * Findings are written to .cache/bench/findings-*.json for reading. Figures, not a test.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Finding } from '../server/src/engine/finding';
import { linuxSource } from './kernel-source';
import { BUNDLES, PhaseFailed, describeCheck, median, mib, printRules, printTriageLists, ratio, runPhase, seconds, seededRandom, verdict } from './kernel-measure';
import type { PhaseResult } from './kernel-phase';

const repo = process.cwd();
const tree = linuxSource('all', repo);
const ROUNDS = 3;
const peaks: { what: string; bytes: number }[] = [];
const note = (what: string, r: PhaseResult) => {
  peaks.push({ what, bytes: r.peakRssBytes });
  return r;
};
const failed: string[] = [];
/** Runs a phase; a failed one is reported and yields undefined, so the other figures still come. */
const attempt = (what: string, run: () => PhaseResult): PhaseResult | undefined => {
  try {
    return note(what, run());
  } catch (err) {
    if (!(err instanceof PhaseFailed)) throw err;
    console.log(`  ${what}: ${err.message}`);
    failed.push(what);
    return undefined;
  }
};

// 1. mm/, single thread.
console.log('== mm/, single thread, all rules, no cache (medians of 3, alternated)');
const mmParse: number[] = [];
const mmCheck: number[] = [];
let mmLast!: PhaseResult;
const mmFindings = join(BUNDLES, 'findings-mm.json');
for (let i = 0; i < ROUNDS; i++) {
  mmParse.push(note('mm parse-only', runPhase({ kind: 'parse', paths: ['mm'], workers: 1 }, tree)).wallMs);
  mmLast = note('mm check', runPhase({ kind: 'check', paths: ['mm'], workers: 1, findingsOut: mmFindings }, tree));
  mmCheck.push(mmLast.wallMs);
}
const mmRatio = median(mmCheck) / median(mmParse);
console.log(`  parse-only ${seconds(median(mmParse))}   check ${seconds(median(mmCheck))} (lower ${seconds(mmLast.batchMs)}, Program ${seconds(mmLast.programMs)})`);
console.log(`  ratio ${ratio(median(mmCheck), median(mmParse))}: ${verdict(mmRatio, 1.5)}`);
console.log(`  ${describeCheck(mmLast)}`);
console.log(`  findings on mm/ (${mmLast.findings}):`);
printRules(mmLast.findingsByRule);

// 2. Coccinelle as the peer on mm/.
console.log('\n== Coccinelle scripts/coccinelle/locks/call_kern.cocci on mm/');
const cocci = join(tree, 'scripts', 'coccinelle', 'locks', 'call_kern.cocci');
// Run outside the tree: its .cocciconfig asks for git grep, and this tree is no git repository.
const t = performance.now();
const sp = spawnSync('spatch', ['-D', 'report', '--no-includes', '--include-headers', '--very-quiet', '--sp-file', cocci, '--dir', join(tree, 'mm')], {
  cwd: tmpdir(),
  encoding: 'utf8',
  maxBuffer: 1 << 28,
});
const spMs = performance.now() - t;
if (sp.error) {
  console.log(`  spatch not run: ${sp.error.message} (install Debian's coccinelle package)`);
} else {
  const reports = sp.stdout.split('\n').filter((l) => l.includes('ERROR:')).map((l) => l.replace(tree + '/', ''));
  console.log(`  spatch: ${seconds(spMs)}, ${reports.length} reports (exit ${sp.status})`);
  for (const r of reports) console.log(`    ${r}`);
  const ours = (JSON.parse(readFileSync(mmFindings, 'utf8')) as Finding[]).filter((f) => f.rule === 'sleep-in-atomic');
  const gfp = ours.filter((f) => /GFP_KERNEL|gfp/i.test(f.message + f.path.map((e) => e.message).join(' ')));
  console.log(`  kpath on mm/: ${ours.length} sleep-in-atomic findings, ${gfp.length} of them about a gfp mask; single thread ${seconds(median(mmCheck))}`);
  for (const f of gfp) console.log(`    ${f.file}:${f.line}:${f.column}: ${f.message}`);
}

// 3. The whole tree with 2 workers, cold then warm.
const cacheDir = join(BUNDLES, 'ir-cache');
rmSync(cacheDir, { recursive: true, force: true });
console.log('\n== whole tree, 2 workers');
const treeFindings = join(BUNDLES, 'findings-tree.json');
rmSync(treeFindings, { force: true });
const treeParse = attempt('tree parse-only', () => runPhase({ kind: 'parse', paths: ['.'], workers: 2 }, tree));
const cold = attempt('tree check cold', () => runPhase({ kind: 'check', paths: ['.'], workers: 2, cacheDir, findingsOut: treeFindings }, tree));
const warm = cold && attempt('tree check warm', () => runPhase({ kind: 'check', paths: ['.'], workers: 2, cacheDir }, tree));
// One file edited: the run cache misses; the run resumes from the program the cold run saved,
// lowers the edited file, and analyses what the edit reaches. The edit is a comment: it must find
// what the cold run found.
const edited = join(tree, 'mm', 'filemap.c');
const original = readFileSync(edited);
let touched: PhaseResult | undefined;
const editFindings = join(BUNDLES, 'findings-tree-edit.json');
if (warm) {
  writeFileSync(edited, Buffer.concat([original, Buffer.from('\n/* touched by the benchmark */\n')]));
  try {
    touched = attempt('tree check 1 edit', () => runPhase({ kind: 'check', paths: ['.'], workers: 2, cacheDir, findingsOut: editFindings }, tree));
  } finally {
    writeFileSync(edited, original);
  }
}
if (treeParse) console.log(`  files ${treeParse.stats.files} (${(treeParse.stats.bytes / 1048576).toFixed(0)} MiB); parse-only ${seconds(treeParse.wallMs)}`);
if (cold) {
  console.log(`  check cold       ${seconds(cold.wallMs)} until the report (read+parse+lower+cache write ${seconds(cold.batchMs)}, Program ${seconds(cold.programMs)}), then ${seconds(cold.saveMs ?? 0)} saving the program for the next run${cold.saved === false ? ' (NOT written)' : ''}`);
  console.log(`                   ${describeCheck(cold)}`);
  if (treeParse) console.log(`  ratio            ${ratio(cold.wallMs, treeParse.wallMs)}: ${verdict(cold.wallMs / treeParse.wallMs, 1.5)} (with the saving: ${ratio(cold.wallMs + (cold.saveMs ?? 0), treeParse.wallMs)})`);
}
if (cold && warm) {
  console.log(
    warm.reused
      ? `  check warm       ${seconds(warm.wallMs)} (nothing changed: every file and header hashed and found unchanged, the run's result served from the run cache)`
      : `  check warm       ${seconds(warm.wallMs)} (cache hits ${warm.stats.cacheHits}/${warm.stats.files}; read+lookup ${seconds(warm.batchMs)}, Program ${seconds(warm.programMs)})`,
  );
  console.log(`  warm / cold      ${((100 * warm.wallMs) / cold.wallMs).toFixed(1)}%: ${verdict(warm.wallMs / cold.wallMs, 0.1)}`);
  if (touched) {
    const how = touched.resumed
      ? `resumed: ${touched.resumed.files} files and ${touched.resumed.headers} headers unchanged, saved program read in ${seconds(touched.resumed.restoreMs)}; ${touched.stats.files} lowered; until settling ${seconds(touched.batchMs)}, settling ${seconds(touched.programMs)}; ${touched.program?.functions ?? 0} functions summarised again`
      : `not resumed: IR cache hits ${touched.stats.cacheHits}/${touched.stats.files}; read+lookup+lower ${seconds(touched.batchMs)}, Program ${seconds(touched.programMs)}`;
    console.log(`  one file edited  ${seconds(touched.wallMs)} until the report (${how}), then ${seconds(touched.saveMs ?? 0)} saving: ${((100 * touched.wallMs) / cold.wallMs).toFixed(1)}% of cold`);
    const key = (f: Finding) => `${f.file}:${f.line}:${f.column} ${f.rule} ${f.message}`;
    const before = new Set((JSON.parse(readFileSync(treeFindings, 'utf8')) as Finding[]).map(key));
    const after = new Set((JSON.parse(readFileSync(editFindings, 'utf8')) as Finding[]).map(key));
    const moved = [...after].filter((k) => !before.has(k)).length + [...before].filter((k) => !after.has(k)).length;
    console.log(`                   findings after the edit: ${after.size} (cold ${before.size}); ${moved} differ from cold's (a context cap's history: see ARCHITECTURE.md, resume.ts)`);
  }
}

// 4. Memory.
console.log('\n== peak memory (VmHWM: main thread and workers of one process)');
for (const p of peaks.filter((p, i) => peaks.findIndex((q) => q.what === p.what) === i)) {
  const worst = Math.max(...peaks.filter((q) => q.what === p.what).map((q) => q.bytes));
  console.log(`  ${p.what.padEnd(18)} ${mib(worst)}`);
}
const peak = Math.max(...peaks.map((p) => p.bytes));
console.log(`  highest ${mib(peak)}: ${verdict(peak / 2 ** 30, 2)} GiB`);
if (failed.length > 0) console.log(`  (incomplete: no figure from ${failed.join(', ')}, which failed)`);

// 5. Errors and slow files.
if (cold) {
  console.log('\n== whole tree, cold run');
  printTriageLists(cold);
  console.log(`  ERROR/MISSING nodes in total: ${cold.stats.syntaxErrors}`);
}

// 6. Findings on the whole tree.
if (!cold) process.exit(1);
const findings = JSON.parse(readFileSync(treeFindings, 'utf8')) as Finding[];
console.log(`\n== findings on the whole tree (${findings.length}), written to ${relative(repo, treeFindings)}`);
printRules(cold.findingsByRule);
const standing = findings.filter((f) => f.more);
const stoodFor = standing.reduce((n, f) => n + (f.more ?? 0), 0);
console.log(`  ${standing.length} sleep-in-atomic reports stand for ${stoodFor} more sleeping calls of their cause, not reported apart`);
const random = seededRandom(5);
const pool = [...findings];
const sample: Finding[] = [];
while (sample.length < 20 && pool.length > 0) sample.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
console.log('\n== a fixed random sample of 20 findings, for triage');
for (const [i, f] of sample.entries()) {
  console.log(`${i + 1}. ${f.file}:${f.line}:${f.column}: ${f.message} [${f.rule}] in ${f.function}`);
  for (const e of f.path) console.log(`     ${e.file}:${e.line}:${e.column}: ${e.kind}: ${e.message}`);
}
