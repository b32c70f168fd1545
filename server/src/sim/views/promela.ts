/**
 * The trace's machine as a Promela model for the Spin model checker: one process per task running
 * its program, written directly from the program steps (not from kpath's counter system), so Spin
 * checks kpath's exploration independently. Spin reports
 *   - an invalid end state: some task can never finish (kpath's deadlock or lockup);
 *   - an assertion violation: a task schedules out while atomic (kpath's sleep-in-atomic);
 *   - no error: kpath's safe.
 * The semantics are the header's of model.ts: in the 2.4 model a task holds a CPU from dispatch
 * until it blocks, sleeps or finishes; in the preemptible model only atomic (or spinning) tasks hold
 * one, and the others run whenever a CPU is not pinned.
 */
import type { ProgramStep, Trace } from '../trace';
import { machine } from './text';

function ident(s: string): string {
  return s.replace(/[^A-Za-z0-9_]/g, '_');
}

function comment(s: string): string {
  return s.replace(/\*\//g, '* /');
}

interface Names {
  pool: (serie: string) => string;
  lock: (lock: string) => string;
}

/** The statements of one step (each line one Promela statement, already indented). */
function stepCode(s: ProgramStep, next: ProgramStep | undefined, last: boolean, k: number, preempt: boolean, names: Names): string[] {
  const out: string[] = [];
  const atomic = s.atomic;
  const atomicAfter = next ? next.atomic : false;
  const pool = s.serie !== undefined ? names.pool(s.serie) : undefined;
  const shared = s.lock !== undefined && s.shared;
  const lk = s.lock !== undefined ? names.lock(s.lock) : '';
  // The effect of the step on shared state, without the CPU.
  const effect = s.op === 'kunmap' && pool ? `${pool}++` : s.op === 'unlock' && shared ? `${lk} = 0` : 'skip';
  if (!preempt) {
    const leave = last ? '; cpu++' : '';
    if (s.op === 'kmap' && pool) {
      out.push(`s${k}: if`);
      out.push(`    :: atomic { ${pool} > 0 -> ${pool}--${leave} }`);
      if (atomic) out.push(`    :: atomic { ${pool} == 0 -> assert(false) }`);
      else out.push(`    :: atomic { ${pool} == 0 -> cpu++ }; (${pool} > 0); atomic { cpu > 0 -> cpu-- }; goto s${k}`);
      out.push('    fi;');
    } else if (s.op === 'sleep') {
      if (atomic) out.push('assert(false);');
      else if (last) out.push('cpu++;');
      else out.push('cpu++; atomic { cpu > 0 -> cpu-- };');
    } else if (s.op === 'lock' && shared) out.push(`atomic { ${lk} == 0 -> ${lk} = 1${leave} };`);
    else out.push(`atomic { ${effect}${leave} };`);
    return out;
  }
  if (atomic) {
    const leave = atomicAfter ? '' : '; cpu++';
    if (s.op === 'kmap' && pool) {
      out.push('if');
      out.push(`    :: atomic { ${pool} > 0 -> ${pool}--${leave} }`);
      out.push(`    :: atomic { ${pool} == 0 -> assert(false) }`);
      out.push('    fi;');
    } else if (s.op === 'sleep') out.push('assert(false);');
    else if (s.op === 'lock' && shared) out.push(`atomic { ${lk} == 0 -> ${lk} = 1${leave} };`);
    else out.push(`atomic { ${effect}${leave} };`);
    return out;
  }
  if (s.op === 'lock' && shared) {
    out.push('atomic { cpu > 0 -> cpu-- };   /* preempt_disable: pinned, spins */');
    out.push(`atomic { ${lk} == 0 -> ${lk} = 1 };`);
  } else if (atomicAfter) out.push('atomic { cpu > 0 -> cpu-- };');
  else if (s.op === 'kmap' && pool) out.push(`atomic { cpu > 0 && ${pool} > 0 -> ${pool}-- };`);
  else if (s.op === 'sleep') out.push('(cpu > 0);');
  else out.push(`atomic { cpu > 0 -> ${effect} };`);
  return out;
}

export function renderPromela(trace: Trace): string {
  const series = trace.series;
  const locks = [...new Set(trace.programs.flatMap((p) => p.steps.filter((s) => s.lock !== undefined && s.shared).map((s) => s.lock!)))];
  const names: Names = { pool: (s) => `pool_${series.indexOf(s)}`, lock: (l) => `lock_${locks.indexOf(l)}` };
  const f = trace.finding;
  const out: string[] = [];
  out.push(`/* kpath simulate: ${comment(`${f.rule} at ${f.file}:${f.line} (${f.function})`)}`);
  out.push(` * ${machine(trace)}.`);
  out.push(' * Invalid end state: deadlock or lockup. Assertion violated: scheduling while atomic.');
  // pan refuses to create more than 255 processes (init included).
  if (trace.tasks > 254) out.push(` * Note: Spin runs at most 255 processes; this model has ${trace.tasks} tasks plus init, so pan will stop at the limit.`);
  out.push(' */');
  out.push('');
  out.push(`short cpu = ${trace.cpus};   /* CPUs not held */`);
  series.forEach((s) => out.push(`short ${names.pool(s)} = ${trace.pool};   /* free ${comment(s)} slots */`));
  locks.forEach((l) => out.push(`bit ${names.lock(l)} = 0;   /* ${comment(l)} */`));
  for (const p of trace.programs) {
    if (p.tasks.length === 0) continue;
    out.push('', `proctype ${ident(p.name)}() {`);
    if (!trace.preempt) out.push('    atomic { cpu > 0 -> cpu-- };   /* dispatched */');
    p.steps.forEach((s, k) => {
      out.push(`    /* ${k}: ${comment(s.label)}  ${comment(`${s.file}:${s.line}`)} */`);
      for (const line of stepCode(s, p.steps[k + 1], k + 1 === p.steps.length, k, trace.preempt, names)) out.push(`    ${line}`);
    });
    out.push('}');
  }
  out.push('', 'init {', '    atomic {');
  const order = trace.programs.flatMap((p) => p.tasks.map((t) => ({ t, name: ident(p.name) }))).sort((a, b) => a.t - b.t);
  for (const { t, name } of order) out.push(`        run ${name}();   /* T${t} */`);
  out.push('    }', '}', '');
  return out.join('\n');
}
