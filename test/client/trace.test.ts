import { describe, expect, it } from 'vitest';
import { readTrace } from '../../client/src/trace';

describe('reading the simulator trace', () => {
  it('reads the documented JSON format', () => {
    const trace = readTrace({
      verdict: 'deadlock',
      tasks: 2,
      cpus: 1,
      pool: 2,
      preempt: false,
      steps: [
        { step: 1, task: 0, cpu: 0, event: 'kmap PAGETABLE (slot 1 of 2)', file: '/ws/mm.c', line: 22, state: { task: 'running', pools: { PAGETABLE: 1 }, locks: { 'mm->page_table_lock': 0 }, extra: [1] } },
        { step: 2, task: 1, cpu: null, event: 'blocks in pte_offset', file: '/ws/mm.c', line: 23, state: 'sleeping' },
      ],
      stats: { states: 17, ms: 3 },
    });
    expect(trace).toEqual({
      tasks: 2,
      cpus: 1,
      pool: 2,
      preempt: false,
      states: 17,
      ms: 3,
      steps: [
        { index: 0, task: '0', cpu: '0', event: 'kmap PAGETABLE (slot 1 of 2)', file: '/ws/mm.c', line: 22, state: 'running · PAGETABLE 1/2 · mm->page_table_lock: T0 · extra: [1]' },
        { index: 1, task: '1', cpu: '', event: 'blocks in pte_offset', file: '/ws/mm.c', line: 23, state: 'sleeping' },
      ],
    });
  });

  it('survives a trace it does not understand', () => {
    expect(readTrace('nonsense')).toEqual({ steps: [] });
    expect(readTrace({ steps: [null, { line: 0, file: '' }] }).steps).toEqual([
      { index: 0, task: '', cpu: '', event: '' },
      { index: 1, task: '', cpu: '', event: '' },
    ]);
  });
});
