import type { HeldPin } from '../dataflow/state';
import { suppressionFix } from '../fixes';
import type { Span } from '../span';
import { describePin, takenAt, where } from './describe';
import { here, later, sameSpan, type Rule } from './rule';

/**
 * A mapping released on some paths to a return but not on this one. Reported only when the function
 * releases the same mapping on another path (the early-return leak): a function that never releases
 * what it maps is a wrapper or hands it on, which this rule does not guess at.
 */
export const kmapLeak: Rule = {
  id: 'kmap-leak',
  defaultSeverity: 'warning',
  doc: {
    summary: 'A kmap released on some paths to a return is not released on another.',
    what:
      'Finds a return (or the end of the function) reached with a mapping still pinned that the same function releases on other paths. A mapping that is returned or stored outside the function is handed on, not leaked.',
    why:
      'A persistent kmap that is never released leaks a slot of its serie\'s pool; enough leaks exhaust the pool and every later mapper of that serie sleeps forever. An atomic or local map left pinned keeps preemption or migration disabled after the function returns.',
    example: ['addr = kmap(page);', 'if (!valid(addr))', '        return -EINVAL;   /* kmap leaked */', 'kunmap(page);'].join('\n'),
    fix: 'Release the mapping on every path, typically with a goto to a label before the common unmap.',
  },
  observe(ctx) {
    const released = new Set<number>();
    const leaks = new Map<string, { pin: HeldPin; at: Span }>();
    let lastExit: Span | undefined;
    return {
      unpin(_s, pin) {
        if (pin?.op !== undefined && !pin.fromEntry) released.add(pin.op);
      },
      exit(s, at) {
        lastExit = later(lastExit, at);
        for (const h of s.held) {
          if (h.what !== 'pin' || h.fromEntry || h.op === undefined) continue;
          const key = `${h.op}@${at.line}:${at.column}`;
          if (!leaks.has(key)) leaks.set(key, { pin: h, at });
        }
      },
      finish() {
        // Pinned at the function's last exit: it hands the mapping on (its error paths release it).
        const pinnedAtEnd = new Set([...leaks.values()].filter((e) => sameSpan(e.at, lastExit)).map((e) => e.pin.op));
        for (const { pin, at } of leaks.values()) {
          if (pinnedAtEnd.has(pin.op) || !released.has(pin.op!)) continue;
          const taken = takenAt(pin);
          const releaser = pin.releasedBy[0] ?? 'its release';
          ctx.report({
            rule: 'kmap-leak',
            message: `${describePin(pin)} taken by ${pin.callee}() at ${where(taken)} is not released on this path (other paths release it with ${releaser}())`,
            ...at,
            path: [...pin.origin, here(ctx, 'return', at, `returns with ${describePin(pin)} still pinned`)],
            fixes: [suppressionFix(ctx.file, 'kmap-leak', at)],
          });
        }
      },
    };
  },
};
