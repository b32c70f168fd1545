/** Lowering with a memo (the language server's per-document reuse) gives what lowering afresh gives. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LoweringMemo, lowerFile } from '../../server/src/engine/lower/index';
import type { CParser } from '../../server/src/engine/syntax/parser';
import { getParser } from './helpers';

let parser: CParser;
beforeAll(async () => {
  parser = await getParser();
});

function lower(text: string, memo?: LoweringMemo) {
  const tree = parser.parse(text);
  try {
    return lowerFile(tree, 'f.c', memo);
  } finally {
    tree.delete();
  }
}

describe('LoweringMemo', () => {
  const base = readFileSync(join(__dirname, '..', 'fixtures', 'sleep-in-atomic', 'ops-pointer.c'), 'utf8');
  const edits: [string, (t: string) => string][] = [
    ['a line added in the first function', (t) => t.replace('msleep(20);', 'msleep(20);\n\tudelay(1);')],
    ['a comment changed above a function', (t) => t.replace('/* The networking core', '/* The core')],
    ['an initialiser changed', (t) => t.replace('.name = "foo",', '.name = "bar",\n\t.flags = 1,')],
    ['a function removed', (t) => t.replace(/void foo_recover[\s\S]*?\n}\n/, '')],
  ];
  for (const [what, edit] of edits) {
    it(`after ${what}, equals a fresh lowering`, () => {
      const memo = new LoweringMemo();
      lower(base, memo);
      const edited = edit(base);
      expect(edited).not.toBe(base);
      expect(lower(edited, memo)).toEqual(lower(edited));
    });
  }

  it('reuses the definitions an edit did not touch, moved by the lines added above them', () => {
    const memo = new LoweringMemo();
    const first = lower(base, memo);
    const second = lower(base.replace('msleep(20);', 'msleep(20);\n\tudelay(1);'), memo);
    const recover = (ir: typeof first) => ir.functions.find((f) => f.name === 'foo_recover')!;
    expect(recover(second).span.line).toBe(recover(first).span.line + 1);
    expect(recover(second).blocks).not.toBe(recover(first).blocks); // a moved copy
    const unchanged = lower(base.replace('msleep(20);', 'msleep(30);'), memo);
    expect(recover(unchanged)).toEqual(recover(first));
  });
});
