import { pinsOf } from '../dataflow/state';
import { describeMap } from '../dataflow/transfer';
import { releaserFix, suppressionFix } from '../fixes';
import type { CallOp, FunctionIR } from '../ir';
import { pinName, takenAt, where } from './describe';
import { here, type Rule } from './rule';
import { spanOfOp } from './sleep-in-atomic';

/** An unmap that does not match the map: the wrong release function, or a name that maps nothing. */
export const kunmapMismatch: Rule = {
  id: 'kunmap-mismatch',
  defaultSeverity: 'warning',
  doc: {
    summary: 'An unmap does not match the mapping it releases.',
    what:
      'Finds kunmap_atomic() of a kmap() mapping, kunmap() of a kmap_local_page() one and the like, and an unmap naming a variable that this function never mapped while one of its own mappings of that kind is still pinned.',
    why:
      'Each kind of mapping has its own release: kunmap() returns a pool slot and wakes waiters, kunmap_atomic() and kunmap_local() pop a per-CPU slot. The wrong one corrupts the other\'s bookkeeping and leaks the real mapping.',
    example: ['addr = kmap(page);', 'kunmap_atomic(addr);   /* kmap is released by kunmap(page) */'].join('\n'),
    fix: 'Call the release that matches the map, with the value it expects (kunmap(page), kunmap_atomic(addr), kunmap_local(addr)).',
  },
  observe(ctx) {
    const mappedNames = namesMappedIn(ctx.fn);
    return {
      unpin(s, pin, op, unmap, key) {
        if (pin) {
          if (unmap.kinds.includes(pin.kind)) return;
          const fix = releaserFix(ctx.file, op, pin);
          ctx.report({
            rule: 'kunmap-mismatch',
            message: `${op.callee}() releases ${describeMap(pin.kind, pin.serie)} '${pinName(pin)}' taken by ${pin.callee}() at ${where(takenAt(pin))}; it is released by ${pin.releasedBy.join(' or ')}()`,
            ...spanOfOp(op.calleeSpan, op.span),
            path: [...pin.origin, here(ctx, 'kunmap', op.span, `${op.callee}() is the wrong release`, { callee: op.callee })],
            fixes: [...(fix ? [fix] : []), suppressionFix(ctx.file, 'kunmap-mismatch', op.span)],
          });
          return;
        }
        if (mappedNames.has(key) || op.args[unmap.keyArg]?.idents.some((i) => mappedNames.has(i))) return;
        const candidates = pinsOf(s).filter((p) => !p.fromEntry && unmap.kinds.includes(p.kind));
        if (candidates.length !== 1) return;
        const only = candidates[0]!;
        const fix = releaserFix(ctx.file, op, only);
        ctx.report({
          rule: 'kunmap-mismatch',
          message: `${op.callee}(${key}) releases nothing mapped here; '${pinName(only)}', taken by ${only.callee}() at ${where(takenAt(only))}, is still mapped`,
          ...spanOfOp(op.calleeSpan, op.span),
          path: [...only.origin, here(ctx, 'kunmap', op.span, `${op.callee}(${key}) names the wrong mapping`, { callee: op.callee })],
          fixes: [...(fix ? [fix] : []), suppressionFix(ctx.file, 'kunmap-mismatch', op.span)],
        });
      },
    };
  },
};

/** Every name a mapping could go by in `fn`: results of calls and their page arguments. */
function namesMappedIn(fn: FunctionIR): Set<string> {
  const names = new Set<string>();
  for (const block of fn.blocks) {
    for (const op of block.ops) {
      if (op.kind === 'assign') names.add(op.target);
      if (op.kind !== 'call') continue;
      const call = op as CallOp;
      if (call.assignTo) names.add(call.assignTo);
    }
  }
  return names;
}
