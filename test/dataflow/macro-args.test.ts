/** A call's arguments written with macros that or in constants (dataflow/macro-args.ts). */
import { describe, expect, test } from 'vitest';
import { withMacroBits } from '../../server/src/engine/dataflow/macro-args';
import type { CallOp } from '../../server/src/engine/ir';

const span = { line: 1, column: 1, endLine: 1, endColumn: 2 };
const call = (...args: string[]): CallOp => ({ kind: 'call', id: 1, span, calleeSpan: span, callee: 'send', args: args.map((text) => ({ text, idents: [], span })) });
const bits = (name: string) => ({ MAKE_SEND_FLAGS: ['SEND_NB'], TWO: ['A', 'B'] })[name];

describe('arguments written with a macro', () => {
  test("read as or-ing in the macro's bits, wherever the macro is among the or-ed parts", () => {
    const op = withMacroBits(call('ct', 'MAKE_SEND_FLAGS(len)', 'extra|TWO(x|y)', 'MAKE_SEND_FLAGS(a)|MAKE_SEND_FLAGS(b)'), bits);
    expect(op.args.map((a) => a.text)).toEqual(['ct', 'MAKE_SEND_FLAGS(len)|SEND_NB', 'extra|TWO(x|y)|A|B', 'MAKE_SEND_FLAGS(a)|MAKE_SEND_FLAGS(b)|SEND_NB|SEND_NB']);
    expect(op.id).toBe(1);
  });

  test('the call itself when no argument has a macro with bits, or the macro is only inside a part', () => {
    const op = call('ct', 'OTHER(len)', 'f(MAKE_SEND_FLAGS(len))', '(MAKE_SEND_FLAGS(len))+1');
    expect(withMacroBits(op, bits)).toBe(op);
    expect(withMacroBits(op, undefined)).toBe(op);
  });
});
