import { pinsOf } from '../dataflow/state';
import { suppressionFix } from '../fixes';
import { indexedByVariable, pinName, takenAt, where } from './describe';
import { here, type Rule } from './rule';
import { spanOfOp } from './sleep-in-atomic';

/** kmap_local / kmap_atomic mappings released out of LIFO order. */
export const kunmapOrder: Rule = {
  id: 'kunmap-order',
  defaultSeverity: 'warning',
  doc: {
    summary: 'Nested kmap_local (or kmap_atomic) mappings are released out of reverse order.',
    what: 'Finds an unmap of a CPU-local or atomic mapping while a mapping of the same kind taken after it is still pinned.',
    why:
      'kmap_local_page() and kmap_atomic() slots form a per-CPU stack: Documentation/mm/highmem.rst requires nested mappings to be released in the reverse order of their creation. Releasing the outer one first unmaps the wrong slot.',
    example: ['a = kmap_local_page(p);', 'b = kmap_local_page(q);', 'kunmap_local(a);   /* b is still mapped */', 'kunmap_local(b);'].join('\n'),
    fix: 'Release in reverse order: kunmap_local(b) before kunmap_local(a).',
  },
  observe(ctx) {
    return {
      unpin(s, pin, op) {
        if (!pin || (pin.kind !== 'local' && pin.kind !== 'atomic')) return;
        const stack = pinsOf(s).filter((p) => p.kind === pin.kind);
        const index = stack.indexOf(pin);
        const later = stack[index + 1];
        if (index < 0 || !later) return;
        const name = pinName(pin);
        const laterName = pinName(later);
        // `pointers[stripe++] = kmap_local_page(...)` in a loop, released `pointers[stripe]` in a
        // loop going down: which mapping an element indexed by a variable is, names cannot tell.
        if (indexedByVariable(name) || indexedByVariable(laterName)) return;
        ctx.report({
          rule: 'kunmap-order',
          message: `${op.callee}(${name}) releases '${name}' while '${laterName}', mapped later by ${later.callee}() at ${where(takenAt(later))}, is still mapped; nested ${pin.kind === 'local' ? 'kmap_local' : 'kmap_atomic'} mappings must be released in reverse order`,
          ...spanOfOp(op.calleeSpan, op.span),
          path: [...pin.origin, ...later.origin, here(ctx, 'kunmap', op.span, `${op.callee}(${name}) out of order`, { mapKind: pin.kind, callee: op.callee })],
          fixes: [suppressionFix(ctx.file, 'kunmap-order', op.span)],
        });
      },
    };
  },
};
