/**
 * The simulator's benchmark: states explored per second, the time to decide pte-highmem's real
 * numbers (1024 slots, 1024+ tasks), and 4 tasks x 2 CPUs x pool 2 with and without the counter
 * abstraction (symmetry reduction) and the stubborn-set reduction. Medians over several runs in one
 * invocation (`--runs N`, default 5). Scenarios are hand-written finding paths like the tests'.
 */
import type { Finding, PathEvent, RuleId } from '../server/src/engine/finding';
import { simulateFinding, type SimulationOptions, type Trace } from '../server/src/sim/index';

function ev(kind: PathEvent['kind'], line: number, extra: Partial<PathEvent>): PathEvent {
  return { kind, file: 'bench.c', line, column: 2, endLine: line, endColumn: 20, message: kind, function: 'bench', ...extra };
}
const kmap = (line: number, serie: string) => ev('kmap', line, { serie, mapKind: 'persistent', callee: 'pte_offset' });
function finding(rule: RuleId, path: PathEvent[]): Finding {
  const last = path[path.length - 1];
  return { ...last, rule, severity: 'error', message: rule, function: 'bench', path, fixes: [] };
}
const mremap = finding('kmap-serie-reentry', [kmap(10, 'PAGETABLE'), kmap(12, 'PAGETABLE')]);
const order = finding('kmap-serie-order', [kmap(20, 'DEFAULT'), kmap(22, 'PAGETABLE')]);

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

interface Row {
  name: string;
  verdict: string;
  states: number;
  ms: number;
  statesPerSecond: number;
}

function measure(name: string, f: Finding, o: SimulationOptions): Row {
  const ms: number[] = [];
  let last: Trace | undefined;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    last = simulateFinding(f, { maxMs: 120_000, maxStates: 20_000_000, ...o });
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const m = median(ms);
  return { name, verdict: last!.verdict, states: last!.stats.states, ms: Math.round(m * 10) / 10, statesPerSecond: Math.round(last!.stats.states / (m / 1000)) };
}

const rows: Row[] = [
  measure('mremap 1024 tasks / 1024 slots, preemptible (deadlock)', mremap, { tasks: 1024, pool: 1024, cpus: 2, preempt: true }),
  measure('mremap 1025 tasks / 1024 slots, preemptible (deadlock)', mremap, { tasks: 1025, pool: 1024, cpus: 2, preempt: true }),
  measure('mremap 1025 tasks / 1024 slots, 2.4, 2 CPUs (safe)', mremap, { tasks: 1025, pool: 1024, cpus: 2 }),
  measure('order 4x2CPUx2 2.4, symmetry + reduction', order, { tasks: 4, cpus: 2, pool: 2 }),
  measure('order 4x2CPUx2 2.4, symmetry only', order, { tasks: 4, cpus: 2, pool: 2, reduce: false }),
  measure('order 4x2CPUx2 2.4, no symmetry, no reduction', order, { tasks: 4, cpus: 2, pool: 2, symmetry: false, reduce: false }),
  measure('mremap 4x2CPUx2 preemptible, symmetry + reduction', mremap, { tasks: 4, cpus: 2, pool: 2, preempt: true }),
  measure('mremap 4x2CPUx2 preemptible, symmetry only', mremap, { tasks: 4, cpus: 2, pool: 2, preempt: true, reduce: false }),
  measure('mremap 4x2CPUx2 preemptible, no symmetry, no reduction', mremap, { tasks: 4, cpus: 2, pool: 2, preempt: true, symmetry: false, reduce: false }),
  measure('order 6x3CPUx2 2.4, symmetry + reduction', order, { tasks: 6, cpus: 3, pool: 2 }),
  measure('order 6x3CPUx2 2.4, symmetry only', order, { tasks: 6, cpus: 3, pool: 2, reduce: false }),
  measure('order 6x3CPUx2 2.4, no symmetry, no reduction', order, { tasks: 6, cpus: 3, pool: 2, symmetry: false, reduce: false }),
];

console.log(`kpath simulator benchmark: medians of ${RUNS} runs (node ${process.version})`);
const w = Math.max(...rows.map((r) => r.name.length));
console.log(`${'scenario'.padEnd(w)}  ${'verdict'.padEnd(16)} ${'states'.padStart(9)} ${'ms'.padStart(9)} ${'states/s'.padStart(10)}`);
for (const r of rows)
  console.log(`${r.name.padEnd(w)}  ${r.verdict.padEnd(16)} ${String(r.states).padStart(9)} ${String(r.ms).padStart(9)} ${String(r.statesPerSecond).padStart(10)}`);
