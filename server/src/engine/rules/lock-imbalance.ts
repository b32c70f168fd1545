import { type HeldLock, returnedValue, sameLock } from '../dataflow/state';
import { suppressionFix } from '../fixes';
import type { Span } from '../span';
import { indexedByVariable, takenAt, where } from './describe';
import { here, later, sameSpan, type Rule } from './rule';
import { spanOfOp } from './sleep-in-atomic';

/** Taken through a callee's summary (its origin starts at the call) rather than by a lock call. */
const viaCall = (h: HeldLock): boolean => h.origin[0]?.kind === 'call';

/** Lock classes whose balance is checked: owned locks. Semaphores are often released by another task. */
const OWNED = new Set(['spin', 'raw_spin', 'bit_spin', 'mutex', 'rwsem', 'seqlock', 'rwlock']);

/** What a function returns when it succeeded, by kernel convention: 0 for an int, true or 1 for a test. */
const SUCCESS: ReadonlySet<string> = new Set(['0', 'true', '1']);

/**
 * A lock still held at a return on which other paths have released it, a lock taken twice, and a
 * lock released twice. A function that returns holding a lock on every path is a lock helper (its
 * summary says so), not an imbalance.
 */
export const lockImbalance: Rule = {
  id: 'lock-imbalance',
  defaultSeverity: 'warning',
  doc: {
    summary: 'A lock is left held on one return path, taken while already held, or released twice.',
    what:
      'Finds a return reached with a lock held that the function releases on other paths (and is not annotated __acquires, is not a lookup returning the object it found locked and NULL or an error pointer otherwise, and does not return success holding it and failure having released it, as prepare_bprm_creds() returns 0 holding cred_guard_mutex and -ENOMEM having dropped it, and does not hand its caller one lock or another, every return holding one of its own, as sem_lock() in ipc/sem.c returns holding the lock of one semaphore or that of the whole array, or holding none where it fails, as pm_clk_op_lock() returns 0 holding a spinlock or a mutex and -EPERM holding neither; a return on which the path never took the lock does not count), a spinlock or mutex taken again while the same path holds it (the takes reached under a lock a caller holds, through one call out of the holding function, are one cause, reported once where the chain is shortest, saying how many more that call reaches), and an unlock of a lock that the same path has already released.',
    why:
      'A spinlock left held by an error path deadlocks the next task that takes it; taking a non-recursive lock twice deadlocks at once; taking an rw semaphore for reading twice deadlocks as soon as a writer waits between the two takes (the writer waits for the first reader, the second read waits behind the writer); a double unlock corrupts the lock and lets two tasks into the critical section.',
    example: ['spin_lock(&q->lock);', 'if (!req)', '        return -ENOMEM;   /* q->lock still held */', 'spin_unlock(&q->lock);'].join('\n'),
    fix: 'Release the lock on every path out (a goto to the unlock is the kernel idiom), or annotate a function that returns holding the lock on purpose with __acquires(lock) or a kpath comment.',
  },
  observe(ctx) {
    const releasedHere = new Set<string>();
    const conditional = new Set<string>();
    const atExits = new Map<string, { lock: HeldLock; at: Span }>();
    let lastExit: Span | undefined;
    /** Locks the caller held that this function drops (and may take again before returning). */
    const droppedEntry = new Set<string>();
    const returnedNames = new Set<string>();
    /** What the return being taken returns (its identifiers), and what each exit returned holding what. */
    let returning: readonly string[] = [];
    let returningValue: string | undefined;
    const exits: { returns: readonly string[]; value: string | undefined; held: Set<string>; own: Set<string>; letGo: readonly string[] }[] = [];
    return {
      acquire(s, lock, op) {
        if (ctx.knowledge.call(op.callee, op.args.length)?.acquire?.conditional) conditional.add(lock.lock);
        if (!OWNED.has(lock.class) || lock.class === 'rwlock') return;
        const held = s.held.find((h): h is HeldLock => h.what === 'lock' && sameLock(h, lock));
        // Only two direct takes are certain: a helper's summary may take it conditionally.
        if (!held || held.uncertain || viaCall(held) || viaCall(lock)) return;
        // Taken by this same call on an earlier turn of a loop: a release kpath could not
        // correlate (`if (mode == M_PARTIAL) spin_unlock(...)`) is likelier than a deadlock.
        const first = takenAt(held);
        if (first.line === op.span.line && first.column === op.span.column) return;
        // `mutex_lock(&work[i].mutex)` in a loop: each turn another element.
        if (indexedByVariable(lock.lock)) return;
        const before = held.fromEntry ? `held on entry: ${first.message}` : `taken at ${where(first)}`;
        // Two readers do not exclude each other: the deadlock needs a writer queued between them.
        const reads = [op.callee, first.callee].every((callee) => callee !== undefined && ctx.knowledge.call(callee)?.acquire?.shared);
        ctx.report({
          rule: 'lock-imbalance',
          message: reads
            ? `${op.callee}() takes '${lock.display}' for reading while it is already held for reading (${before}); a writer waiting between the two takes blocks this one, and waits for the first: this deadlocks`
            : `${op.callee}() takes '${lock.display}' which is already held (${before}); this deadlocks`,
          ...spanOfOp(op.calleeSpan, op.span),
          path: [...held.origin, here(ctx, 'lock', op.span, `'${lock.display}' taken again`, { lock: lock.lock, callee: op.callee })],
          fixes: [suppressionFix(ctx.file, 'lock-imbalance', op.span)],
        });
      },
      releaseUnheld(s, lock, op) {
        releasedHere.add(lock);
        droppedEntry.add(lock);
        if (!s.released.includes(lock) || indexedByVariable(lock)) return;
        // A counting semaphore is taken and released as many times as it counts (mlx5_cmd_flush()
        // downs cmd->vars.sem once per slot, then ups it as often): only owned locks are checked.
        const released = ctx.knowledge.call(op.callee, op.args.length)?.release?.class;
        if (released !== undefined && !OWNED.has(released)) return;
        ctx.report({
          rule: 'lock-imbalance',
          message: `${op.callee}() releases '${lock}' which this path has already released`,
          ...spanOfOp(op.calleeSpan, op.span),
          path: [here(ctx, 'unlock', op.span, `'${lock}' released again`, { lock, callee: op.callee })],
          fixes: [suppressionFix(ctx.file, 'lock-imbalance', op.span)],
        });
      },
      release(_s, lock, _op, _depth, as) {
        releasedHere.add(lock.lock);
        // Under the name this function gives it too: ext4_dio_write_checks() drops its caller's
        // `inode->i_rwsem` (held through the caller's own local) and takes it again exclusive.
        if (lock.fromEntry) droppedEntry.add(lock.lock).add(as);
      },
      before(_s, op) {
        // `return ptl;` hands the lock itself to the caller (__pmd_trans_huge_lock).
        if (op.kind === 'return') {
          for (const id of op.idents) returnedNames.add(id);
          returning = op.idents;
          returningValue = op.value;
        }
      },
      exit(s, at) {
        lastExit = later(lastExit, at);
        const locks = s.held.filter((h): h is HeldLock => h.what === 'lock');
        exits.push({
          returns: returning,
          value: returnedValue(s.conds, returningValue),
          held: new Set(locks.map((h) => h.lock)),
          own: new Set(locks.filter((h) => !h.fromEntry).map((h) => h.lock)),
          letGo: s.letGo,
        });
        returning = [];
        returningValue = undefined;
        for (const h of s.held) {
          if (h.what !== 'lock' || h.fromEntry || h.uncertain || !OWNED.has(h.class)) continue;
          const key = `${h.lock}@${at.line}:${at.column}`;
          if (!atExits.has(key)) atExits.set(key, { lock: h, at });
        }
      },
      finish() {
        // Most functions return holding nothing of their own: nothing to compare (and no pattern to compile).
        if (atExits.size === 0) return;
        // Held at the function's last exit: a helper returning with the lock taken (its error paths release it).
        const heldAtEnd = new Set([...atExits.values()].filter((e) => sameSpan(e.at, lastExit)).map((e) => e.lock.lock));
        // A function returning a pointer that returns the object it found with its lock held, and
        // having released it either NULL (no identifier: listening_get_first(), a seq_file iterator),
        // the same variable, by then an ERR_PTR() (filename_create()), or an error pointer it makes
        // (vbg_get_gdev()'s `return ERR_PTR(-ENODEV)`): the lock is the caller's on success. Not for
        // an int: `return ret;` with the lock held is the bug.
        const returnsPointer = new RegExp(`\\*\\s*${ctx.fn.name}\\s*\\(`).test(ctx.fn.header);
        const isErrorPointer = (value: string | undefined) => value !== undefined && ctx.knowledge.makesErrorPointer(value);
        const onSuccess = (lock: string) => {
          if (!returnsPointer) return false;
          const holding = exits.filter((e) => e.held.has(lock));
          if (holding.some((e) => isErrorPointer(e.value))) return false;
          const found = new Set(holding.flatMap((e) => e.returns));
          return found.size > 0 && exits.some((e) => !e.held.has(lock) && (e.returns.every((id) => found.has(id)) || isErrorPointer(e.value)));
        };
        // A function returning success (`return 0;`, `true`) with the lock held and something else
        // wherever it released it takes the lock for its caller when it succeeds:
        // prepare_bprm_creds() returns 0 holding cred_guard_mutex and -ENOMEM having dropped it.
        // Returns on which the path never took it say nothing (nilfs_transaction_begin() returns 0
        // without its semaphore when the transaction is nested).
        const onSuccessValue = (lock: string) => {
          const holding = new Set(exits.filter((e) => e.held.has(lock)).map((e) => e.value));
          const [value] = holding;
          if (holding.size !== 1 || value === undefined || !SUCCESS.has(value)) return false;
          const releasing = exits.filter((e) => !e.held.has(lock) && e.letGo.includes(lock));
          // A returned expression too long to keep (a call's result) is taken for another value.
          return releasing.length > 0 && releasing.every((e) => e.value !== value);
        };
        // A helper handing its caller one lock of two (ipc's sem_lock() returns holding one
        // semaphore's lock, or the whole array's and SEM_GLOBAL_LOCK): every return without this
        // lock holds another of the function's own, one that no return holding this lock holds.
        // Or one of two when it succeeds, and neither when it fails: pm_clk_op_lock() returns 0
        // holding psd->lock or, for clocks that may sleep, clock_mutex, and -EPERM holding neither.
        const handsAnother = (lock: string) => {
          const holding = exits.filter((e) => e.own.has(lock));
          const success = new Set(holding.map((e) => e.value));
          const [value] = success;
          const failsEmpty = (e: (typeof exits)[number]) => success.size === 1 && value !== undefined && SUCCESS.has(value) && e.own.size === 0 && e.value !== undefined && e.value !== value;
          return exits.every((e) => e.own.has(lock) || [...e.own].some((other) => !holding.some((h) => h.own.has(other))) || failsEmpty(e));
        };
        for (const { lock, at } of atExits.values()) {
          if (droppedEntry.has(lock.lock) || returnedNames.has(lock.lock) || onSuccess(lock.lock) || onSuccessValue(lock.lock) || handsAnother(lock.lock)) continue;
          if (heldAtEnd.has(lock.lock) || !releasedHere.has(lock.lock) || conditional.has(lock.lock) || ctx.annotatedAcquires.has(lock.lock)) continue;
          ctx.report({
            rule: 'lock-imbalance',
            message: `returns with '${lock.display}' held (taken at ${where(takenAt(lock))}); other paths release it`,
            ...at,
            path: [...lock.origin, here(ctx, 'return', at, `returns with '${lock.display}' held`, { lock: lock.lock })],
            fixes: [suppressionFix(ctx.file, 'lock-imbalance', at)],
          });
        }
      },
    };

  },
};
