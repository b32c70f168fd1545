/**
 * Renders a function's CFG as compact text, one line per block, so that a test shows the graph:
 *   B1: call spin_trylock(&l)#0 -> B2[!spin_trylock(&l)] B3[spin_trylock(&l)]
 * Ops: `call callee(args)#id` (`=x` for assignTo, `{macro}` for a macro block head, `[a]` macroArgs,
 * `*` indirect), `x := a,b` (assign with the value's identifiers), `ret(a,b)` (`ret=#id` when it
 * returns a call's result), `exit#id` (scope exit). Edges: `B3` or `B3[expr]` / `B3[!expr]` for
 * conditions (`@#id` when the edge names its call op). `B4(WARN_ON)`: a block entered when that warning fires.
 */
import type { CallOp, FunctionIR, Op } from '../../server/src/engine/ir';

export function renderOp(op: Op): string {
  switch (op.kind) {
    case 'call':
      return renderCall(op);
    case 'assign':
      return `${op.target} := ${op.idents.join(',')}`;
    case 'return':
      return `ret(${op.idents.join(',')})` + (op.callOp === undefined ? '' : `=#${op.callOp}`);
    case 'scope-exit':
      return `exit#${op.of}`;
  }
}

function renderCall(op: CallOp): string {
  const macro = op.macroArgs ? `[${op.macroArgs.map((a) => a.text).join(',')}]` : '';
  return (
    `call ${op.indirect ? '*' : ''}${op.callee}${macro}(${op.args.map((a) => a.text).join(',')})#${op.id}` +
    (op.assignTo !== undefined ? `=${op.assignTo}` : '') +
    (op.macroBlock ? '{macro}' : '')
  );
}

export function renderCfg(fn: FunctionIR): string {
  return fn.blocks
    .map((b) => {
      const tag = (b.id === fn.entry ? 'B' + b.id + '(entry)' : b.id === fn.exit ? 'B' + b.id + '(exit)' : 'B' + b.id) + (b.warning ? `(${b.warning})` : '');
      const ops = b.ops.map(renderOp).join('; ');
      const succs = b.succs
        .map((e) => {
          if (!e.cond) return `B${e.to}`;
          const c = e.cond;
          return `B${e.to}[${c.value ? '' : '!'}${c.expr}${c.callOp === undefined ? '' : '@#' + c.callOp}]`;
        })
        .join(' ');
      return `${tag}: ${ops}${succs ? ' -> ' + succs : ''}`;
    })
    .join('\n');
}
