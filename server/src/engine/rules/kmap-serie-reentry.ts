import { suppressionFix } from '../fixes';
import { describePin, takenAt, where } from './describe';
import { here, pinsBlockingBehind, type Rule } from './rule';
import { spanOfOp } from './sleep-in-atomic';
import type { HeldPin } from '../dataflow/state';

/** A second entry of a serie taken while one is pinned: mremap's double PAGETABLE kmap. */
export const kmapSerieReentry: Rule = {
  id: 'kmap-serie-reentry',
  defaultSeverity: 'warning',
  doc: {
    summary: 'A persistent kmap of a serie is taken while the task already pins an entry of the same serie.',
    what:
      'Finds a blocking persistent kmap (kmap, pte_offset, pte_offset2, pte_alloc, or a wrapper that returns one) of a serie taken while an earlier mapping of the same serie is still pinned on the path, in this function or in a caller. Mapping again a page that is still mapped (kmap(page) twice, by the same page argument) takes no second slot and is not reported.',
    why:
      'Each serie has a pool of LAST_PKMAP slots and a mapper sleeps when its pool is empty. With N slots, N tasks each holding one slot and waiting for a second one wait forever: "a task must never hold two entries of the same serie or the system can deadlock". This is why pte-highmem-5 has PAGETABLE2, and why mremap taking two PAGETABLE kmaps in a row deadlocks.',
    example: ['src = pte_offset(src_pmd, old_addr);   /* PAGETABLE */', 'dst = pte_offset(dst_pmd, new_addr);   /* second PAGETABLE: may wait forever */'].join('\n'),
    fix:
      'Take the second mapping from the next serie (pte_offset2 / kmap_pagetable2 for a second page table), or an atomic map (pte_offset_atomic) when nothing sleeps until it is released, or release the first mapping before taking the second.',
  },
  observe(ctx) {
    return {
      pin(s, pin, op) {
        const earlier = pinsBlockingBehind(ctx, s, pin, op)?.find((p) => p.serie === pin.serie && !samePage(p, pin));
        if (!earlier) return;
        const at = takenAt(earlier);
        ctx.report({
          rule: 'kmap-serie-reentry',
          message: `${pin.callee}() takes a second ${pin.serie} kmap while ${describePin(earlier)} taken by ${earlier.callee}() at ${where(at)} is still pinned; a task must not hold two entries of one serie`,
          ...spanOfOp(op.calleeSpan, op.span),
          path: [...earlier.origin, ...pin.origin.slice(0, -1), here(ctx, 'kmap', op.span, `${pin.callee}() waits for a second ${pin.serie} slot`, { serie: pin.serie, mapKind: 'persistent', callee: pin.callee })],
          fixes: [suppressionFix(ctx.file, 'kmap-serie-reentry', op.span)],
        });
      },
    };
  },
};

/**
 * A page mapped again while its first mapping is pinned: kmap() finds the page's address and
 * counts one more user of its slot, it takes no second one (target_core_pr's command page, reiserfs
 * mapping `bh_result->b_page` in map_block_for_writepage() and again in _get_block_create_0()).
 * Only mappings keyed by their page argument say which page they map.
 */
function samePage(earlier: HeldPin, pin: HeldPin): boolean {
  return pin.page !== undefined && pin.key === pin.page && earlier.key === pin.key;
}
