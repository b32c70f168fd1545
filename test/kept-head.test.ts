/** The heads a whole-tree program keeps (kept-head.ts): every span given back as it was. */
import { describe, expect, it } from 'vitest';
import { keptHead, plainHead } from '../server/src/engine/kept-head';
import type { FunctionHead } from '../server/src/engine/dataflow/env';

const head = (name: string, nameSpan: FunctionHead['nameSpan']): FunctionHead => ({
  name,
  span: { line: 3, column: 1, endLine: 9, endColumn: 2 },
  nameSpan,
  params: ['dev', null],
  locals: ['flags'],
  isStatic: true,
});

describe('kept heads', () => {
  it("give back the name's span, which ends where the name does", () => {
    const fn = head('foo_probe', { line: 3, column: 12, endLine: 3, endColumn: 21 });
    const kept = keptHead(fn, (t) => t);
    expect(plainHead(kept)).toEqual(plainHead(fn));
    expect(kept.nameSpan).toEqual({ line: 3, column: 12, endLine: 3, endColumn: 21 });
  });

  it('keep the end of a span that is not the name on one line (a name the lowering made up)', () => {
    const fn = head('<unnamed@264>', { line: 264, column: 1, endLine: 268, endColumn: 2 });
    const kept = keptHead(fn, (t) => t);
    expect(kept.nameSpan).toEqual({ line: 264, column: 1, endLine: 268, endColumn: 2 });
    expect(JSON.parse(JSON.stringify(kept))).toEqual(JSON.parse(JSON.stringify(plainHead(fn))));
  });
});
