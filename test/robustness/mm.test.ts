/**
 * Every `.c` file of a real kernel directory, Linux 6.1's mm/ from Debian's linux-source-6.1
 * package, is read, lowered and checked without an exception. Without the package this test fails
 * (saying how to install it): it is never skipped.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { linuxSource } from '../../bench/kernel-source';
import { DEFAULT_CONFIG, Program, RULE_IDS, type Finding } from '../../server/src/engine/index';
import type { FileIR } from '../../server/src/engine/ir';
import { lowerPaths, type BatchResult } from '../../server/src/host/batch';

let mm: string;
let result: BatchResult;

function countC(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) n += countC(join(dir, e.name));
    else if (e.name.endsWith('.c')) n++;
  }
  return n;
}

/** Problems in the shape of a CFG: dangling edges, a misplaced entry or exit, duplicate op ids. */
function cfgProblems(ir: FileIR): string[] {
  const problems: string[] = [];
  for (const fn of ir.functions) {
    const where = `${ir.file}: ${fn.name}`;
    const n = fn.blocks.length;
    if (!(fn.entry >= 0 && fn.entry < n) || !(fn.exit >= 0 && fn.exit < n)) problems.push(`${where}: entry/exit out of range`);
    const ids = new Set<number>();
    fn.blocks.forEach((b, i) => {
      if (b.id !== i) problems.push(`${where}: block ${i} has id ${b.id}`);
      for (const e of b.succs) if (!(e.to >= 0 && e.to < n)) problems.push(`${where}: edge ${i} -> ${e.to} leaves the function`);
      for (const op of b.ops) {
        if (op.kind !== 'call') continue;
        if (ids.has(op.id)) problems.push(`${where}: call id ${op.id} used twice`);
        ids.add(op.id);
      }
    });
    if (fn.blocks[fn.exit]?.succs.length) problems.push(`${where}: the exit block has successors`);
  }
  return problems;
}

beforeAll(async () => {
  mm = join(linuxSource(['mm'], resolve(__dirname, '../..')), 'mm');
  result = await lowerPaths([mm], { workers: 1 });
});

describe("Linux 6.1 mm/", () => {
  it('lowers every .c file without an error', () => {
    expect(result.errors).toEqual([]);
    expect(result.irs).toHaveLength(countC(mm));
    expect(result.irs.length).toBeGreaterThan(140);
  });

  it('produces well-formed control-flow graphs', () => {
    expect(result.irs.flatMap(cfgProblems)).toEqual([]);
    const functions = result.irs.reduce((n, ir) => n + ir.functions.length, 0);
    expect(functions).toBeGreaterThan(5000);
  });

  it('checks all of it with the engine without an exception, into well-formed findings', () => {
    const program = new Program(DEFAULT_CONFIG);
    for (const ir of result.irs) program.update(ir);
    const findings: Finding[] = program.check();
    const files = new Set(result.irs.map((ir) => ir.file));
    // The path passes through the finding's location (a sleep reached through callees goes on
    // past the call site, into the callee chain, so it need not end there).
    const malformed = findings.filter(
      (f) =>
        !RULE_IDS.includes(f.rule) ||
        !files.has(f.file) ||
        f.line < 1 ||
        f.column < 1 ||
        !f.path.some((e) => e.file === f.file && e.line === f.line) ||
        f.path.some((e) => !files.has(e.file) || e.line < 1 || e.column < 1 || e.message === ''),
    );
    expect(malformed.map((f) => `${f.file}:${f.line}:${f.column}: ${f.message} [${f.rule}]`)).toEqual([]);
  }, 300_000); // the whole of mm/ through every rule; `npm run bench` prints how long it takes
});
