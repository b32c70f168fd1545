/** What a caller still holds while a callee sleeps, once the callee has released what its summary names. */
import { describe, expect, test } from 'vitest';
import { EMPTY_STATE, type Held, droppedAtomic, forgetConditionsOn, heldAfterReleasing } from '../../server/src/engine/dataflow/state';

const atomic = (kind: 'preempt' | 'irq', line: number): Held => ({ what: 'atomic', kind, by: 'preempt_disable', origin: [{ kind: 'atomic-enter', file: 'a.c', function: 'f', line, column: 1, endLine: line, endColumn: 2, message: '' }], fromEntry: false });
const lock = (name: string): Held => ({ what: 'lock', lock: name, display: name, class: 'spin', origin: [], fromEntry: false });

describe('heldAfterReleasing', () => {
  test('a lock released by name, and one level of an atomic section left, the innermost', () => {
    const outer = atomic('preempt', 1);
    const inner = atomic('preempt', 2);
    const irq = atomic('irq', 3);
    const l = lock('dev->lock');
    expect(heldAfterReleasing([outer, l, inner, irq], ['dev->lock', droppedAtomic('preempt')])).toEqual([outer, irq]);
    // Two levels left: both.
    expect(heldAfterReleasing([outer, inner], [droppedAtomic('preempt'), droppedAtomic('preempt')])).toEqual([]);
  });
});

describe('forgetConditionsOn', () => {
  test('forgets the tests of a variable and of what is read through it, not of a member named like it', () => {
    const s = { ...EMPTY_STATE, conds: [['need_sem', true], ['path->need_sem', false], ['s.need_sem', true], ['need_sem_count>1', true], ['f(need_sem)', true]] as [string, boolean][] };
    expect(forgetConditionsOn(s, 'need_sem').conds).toEqual([['path->need_sem', false], ['s.need_sem', true], ['need_sem_count>1', true]]);
    expect(forgetConditionsOn(s, 'path').conds.map(([e]) => e)).toEqual(['need_sem', 's.need_sem', 'need_sem_count>1', 'f(need_sem)']);
  });
});
