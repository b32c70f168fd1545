/**
 * A call's arguments as far as a callee's tests of their bits go: an argument written with a
 * function-like macro that always or-s in constants (`MAKE_SEND_FLAGS(g2h_len_dw)`, see
 * lower/macro-bits.ts) is read as or-ing them in (`MAKE_SEND_FLAGS(g2h_len_dw)|INTEL_GUC_CT_SEND_NB`),
 * the way the callee sees the value once the preprocessor has run.
 */
import type { Arg, CallOp } from '../ir';
import { topLevelParts } from './expression-text';

export type MacroBits = (name: string) => readonly string[] | undefined;

/** `op` with its arguments' macros followed to their bits; `op` itself when none has any. */
export function withMacroBits(op: CallOp, bitsOf: MacroBits | undefined): CallOp {
  if (!bitsOf || !op.args.some((a) => a.text.includes('('))) return op;
  let changed = false;
  const args = op.args.map((arg): Arg => {
    const bits = arg.text.includes('(') ? topLevelParts(arg.text, '|').flatMap((part) => macroBitsOf(part, bitsOf)) : [];
    if (bits.length === 0) return arg;
    changed = true;
    return { ...arg, text: [arg.text, ...bits].join('|') };
  });
  return changed ? { ...op, args } : op;
}

/** The bits of one or-ed part written as a macro call (`NAME(...)`), else none. */
function macroBitsOf(part: string, bitsOf: MacroBits): readonly string[] {
  const m = MACRO_CALL.exec(part);
  return (m && part.endsWith(')') && bitsOf(m[1]!)) || [];
}
const MACRO_CALL = /^([A-Za-z_]\w*)\(/;
