import { suppressionFix } from '../fixes';
import { describePin, takenAt, where } from './describe';
import { here, pinsBlockingBehind, type Rule } from './rule';
import { spanOfOp } from './sleep-in-atomic';

/** A serie taken while a serie that comes later in the order is pinned. */
export const kmapSerieOrder: Rule = {
  id: 'kmap-serie-order',
  defaultSeverity: 'warning',
  doc: {
    summary: 'A persistent kmap serie is taken while a serie that must be taken after it is pinned.',
    what:
      'Finds a blocking persistent kmap of serie A taken while a mapping of serie B is pinned, where B comes after A in the serie order (PAGETABLE2, PAGETABLE, DEFAULT by default; `serieOrder` in .kpath.json).',
    why:
      'Two tasks taking two series in opposite orders, with both pools exhausted, each wait for a slot the other holds. Andrea Arcangeli\'s answer to Hugh Dickins in the pte-highmem-5 review: "PAGETABLE2 first, PAGETABLE second, and DEFAULT third". Hugh\'s objection, a DEFAULT kmap pinned while a PAGETABLE one is taken (file_read_actor faulting in __copy_to_user), is exactly this finding.',
    example: ['addr = kmap(page);                      /* DEFAULT pinned */', 'pte = pte_offset(pmd, address);         /* PAGETABLE after DEFAULT */'].join('\n'),
    fix: 'Take the mappings in the serie order (map the page table before the page), or release the later serie first, or use an atomic map for the inner one.',
  },
  observe(ctx) {
    const order = ctx.knowledge.api.serieOrder.join(', ');
    return {
      pin(s, pin, op) {
        const pinned = pinsBlockingBehind(ctx, s, pin, op);
        if (!pinned) return;
        const rank = ctx.knowledge.serieRank(pin.serie!);
        const later = pinned.find((p) => p.serie !== pin.serie && ctx.knowledge.serieRank(p.serie!) > rank);
        if (!later) return;
        ctx.report({
          rule: 'kmap-serie-order',
          message: `${pin.callee}() takes a ${pin.serie} kmap while ${describePin(later)} taken by ${later.callee}() at ${where(takenAt(later))} is pinned; series must be taken in the order ${order}`,
          ...spanOfOp(op.calleeSpan, op.span),
          path: [...later.origin, ...pin.origin.slice(0, -1), here(ctx, 'kmap', op.span, `${pin.callee}() takes ${pin.serie} after ${later.serie}`, { serie: pin.serie, mapKind: 'persistent', callee: pin.callee })],
          fixes: [suppressionFix(ctx.file, 'kmap-serie-order', op.span)],
        });
      },
    };
  },
};
