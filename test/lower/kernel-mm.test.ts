/**
 * Robustness on real kernel code: every `mm/*.c` of Debian's linux-source-6.1 lowers without an
 * exception, every function definition gives a FunctionIR, every CFG is well formed, and the syntax
 * errors counted are the tree's. The tarball is installed by `.ci/run` (package linux-source-6.1);
 * without it this test fails (KPATH_TEST_LINUX_TARBALL names another copy of the same tarball).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Query } from 'web-tree-sitter';
import type { FunctionIR } from '../../server/src/engine/ir';
import { lowerFile } from '../../server/src/engine/lower';
import { blankAttributeCalls } from '../../server/src/engine/lower/annotations';
import { blankConditionalsInExpressions } from '../../server/src/engine/lower/conditionals';
import { braceMacroLoopBodies } from '../../server/src/engine/lower/loop-bodies';
import { leftOut } from '../../server/src/engine/lower/shapes';
import type { SyntaxNode } from '../../server/src/engine/syntax/parser';
import { getParser } from './helpers';

const TARBALL = process.env.KPATH_TEST_LINUX_TARBALL ?? '/usr/src/linux-source-6.1.tar.xz';
let dir = '';

beforeAll(() => {
  if (!existsSync(TARBALL)) return; // the test fails, saying so
  dir = mkdtempSync(join(tmpdir(), 'kpath-lower-mm-'));
  execFileSync('tar', ['-xJf', TARBALL, '-C', dir, '--wildcards', 'linux-source-6.1/mm/*.c']);
}, 300_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/**
 * `for_each_online_node(nid) { ... }` inside a body parses as a nested definition without a
 * function declarator; it is a macro block of the enclosing function, not a function.
 */
function isMacroBlockDefinition(def: SyntaxNode): boolean {
  const parts = def.namedChildren.map((c) => c!.type);
  if (!parts.includes('parenthesized_declarator') || parts.includes('function_declarator') || parts.includes('pointer_declarator')) return false;
  for (let up = def.parent; up; up = up.parent) if (up.type === 'compound_statement') return true;
  return false;
}

/** Words a function misread from its header would be named (`void __init f(void)` once gave `void`). */
const C_TYPE_WORDS = new Set(['void', 'int', 'long', 'char', 'short', 'unsigned', 'signed', 'bool', 'struct', 'enum', 'static', 'inline']);

/**
 * Where a definition's header starts: `void __init f(void) { }` parses as a declaration `void __init`
 * cut by a MISSING `;`, then a definition; the lowering reads the two as one, starting at the first.
 */
function headerStart(def: SyntaxNode): { row: number; column: number } {
  const before = def.previousNamedSibling;
  const last = before?.type === 'declaration' ? before.child(before.childCount - 1) : null;
  return last && last.isMissing ? before!.startPosition : def.startPosition;
}

/** Structural invariants of a CFG; returns the problems found. */
function problems(f: FunctionIR): string[] {
  const out: string[] = [];
  const n = f.blocks.length;
  if (f.blocks[f.exit]?.succs.length !== 0) out.push('exit has successors');
  if (f.entry < 0 || f.entry >= n) out.push('entry out of range');
  const callIds = new Set<number>();
  const scopeOfs: number[] = [];
  f.blocks.forEach((b, i) => {
    if (b.id !== i) out.push(`block ${i} has id ${b.id}`);
    for (const op of b.ops) {
      if (op.kind === 'call') {
        if (callIds.has(op.id)) out.push(`call id ${op.id} twice`);
        callIds.add(op.id);
        if (!op.callee) out.push(`call without callee at ${op.span.line}`);
      }
      if (op.kind === 'scope-exit') scopeOfs.push(op.of);
    }
    for (const e of b.succs) {
      if (e.to < 0 || e.to >= n) out.push(`edge to ${e.to}`);
      if (e.to === f.entry) out.push('edge into entry');
      if (e.cond?.callOp !== undefined && !b.ops.some((o) => o.kind === 'call' && o.id === e.cond!.callOp)) {
        out.push(`edge names call ${e.cond.callOp} not in its block`);
      }
    }
  });
  for (const of of scopeOfs) if (!callIds.has(of)) out.push(`scope exit of unknown call ${of}`);
  const seen = new Set([f.entry]);
  const stack = [f.entry];
  while (stack.length) for (const e of f.blocks[stack.pop()!].succs) if (!seen.has(e.to)) seen.add(e.to), stack.push(e.to);
  f.blocks.forEach((b, i) => {
    if (!seen.has(i) && i !== f.exit) out.push(`block ${i} unreachable`);
  });
  return out;
}

test('every mm/*.c of linux 6.1 lowers, with a well-formed CFG per function definition', async () => {
  if (!existsSync(TARBALL)) {
    expect.fail(`${TARBALL} is missing: install the Debian package linux-source-6.1 (CI does, in .ci/run)`);
  }
  const parser = await getParser();
  const mm = join(dir, 'linux-source-6.1', 'mm');
  const files = readdirSync(mm).filter((f) => f.endsWith('.c'));
  expect(files.length).toBeGreaterThan(100);
  const failures: string[] = [];
  let definitions = 0;
  let errors: Query | undefined;
  for (const name of files) {
    const text = readFileSync(join(mm, name), 'utf8');
    const tree = parser.parse(text);
    try {
      // (a definition in `#if 0` or a debugging switch's branch is not compiled: not lowered either)
      const defs = tree.rootNode.descendantsOfType('function_definition').filter((d) => d && !isMacroBlockDefinition(d) && !inLeftOutBranch(d));
      definitions += defs.length;
      const ir = lowerFile(tree, `mm/${name}`);
      errors ??= new Query(tree.language, '(ERROR) @error (MISSING) @missing');
      let syntaxErrors = errors.captures(tree.rootNode).length;
      // a file with attribute calls (`__alloc_size(1)`) or conditionals inside expressions is read
      // with them blanked when that reads better; one where a definition swallowed another may be
      // read with its brace-less macro loops braced (of whichever reading)
      const withoutAttributes = blankAttributeCalls(text);
      const readings = [withoutAttributes, blankConditionalsInExpressions(withoutAttributes ?? text)];
      const braced = [text, ...readings].map((r) => (r === undefined ? undefined : braceMacroLoopBodies(r)));
      const counts = new Map<string | undefined, number>();
      for (const reading of [...readings, ...braced]) {
        if (reading === undefined || counts.has(reading)) continue;
        const again = parser.parse(reading);
        counts.set(reading, errors.captures(again.rootNode).length);
        again.delete();
      }
      for (const r of readings) if (r !== undefined) syntaxErrors = Math.min(syntaxErrors, counts.get(r)!);
      const bracedCounts = braced.flatMap((r) => (r === undefined ? [] : [counts.get(r)!]));
      if (ir.syntaxErrors !== syntaxErrors && !bracedCounts.includes(ir.syntaxErrors)) {
        failures.push(`${name}: syntaxErrors ${ir.syntaxErrors}, the tree has ${syntaxErrors}`);
      }
      const lowered = new Set(ir.functions.map((f) => `${f.span.line}:${f.span.column}`));
      for (const d of defs) {
        const at = `${d!.startPosition.row + 1}:${d!.startPosition.column + 1}`;
        const start = headerStart(d!);
        if (!lowered.has(`${start.row + 1}:${start.column + 1}`)) failures.push(`${name}:${at}: definition without a FunctionIR`);
      }
      for (const f of ir.functions) for (const p of problems(f)) failures.push(`${name}: ${f.name}: ${p}`);
      for (const f of ir.functions) if (!/^[A-Za-z_]\w*$/.test(f.name) || C_TYPE_WORDS.has(f.name)) failures.push(`${name}:${f.span.line}: a function named ${f.name}`);
      // no definition runs on over the next (mm/page_alloc.c's __show_free_areas() did, by a brace-less macro loop)
      const real = ir.functions.filter((f) => !f.misread);
      for (const f of real) {
        const inside = real.find((g) => g !== f && g.span.line > f.span.line && g.span.line < f.span.endLine);
        if (inside) failures.push(`${name}:${f.span.line}: ${f.name} runs on over ${inside.name} at line ${inside.span.line}`);
      }
    } catch (e) {
      failures.push(`${name}: threw ${(e as Error).stack}`);
    } finally {
      tree.delete();
    }
  }
  expect(failures).toEqual([]);
  expect(definitions).toBeGreaterThan(4000);
}, 300_000);

const CONDITIONALS = new Set(['preproc_if', 'preproc_ifdef', 'preproc_elif', 'preproc_elifdef']);
const ALTERNATIVES = new Set(['preproc_else', 'preproc_elif', 'preproc_elifdef']);

/** Whether `node` is in the first branch of a conditional a default build leaves out. */
function inLeftOutBranch(node: SyntaxNode): boolean {
  let child = node;
  for (let at = node.parent; at; child = at, at = at.parent) {
    if (CONDITIONALS.has(at.type) && leftOut(at) && !ALTERNATIVES.has(child.type)) return true;
  }
  return false;
}
