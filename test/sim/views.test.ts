/**
 * The views render the same trace data: text (lockdep layout), svg (lanes, pool occupancy,
 * colours), html (self-contained) and json (documented keys first).
 */
import { describe, expect, it } from 'vitest';
import { renderHtml, renderJson, renderSvg, renderText, simulateFinding } from '../../server/src/sim/index';
import * as P from './paths';

const deadlock = simulateFinding(P.mremap, { tasks: 2, pool: 2, cpus: 2 });

describe('text', () => {
  it('one column per task, each step with file:line, and who holds and waits for what', () => {
    const lines = renderText(deadlock).split('\n');
    const start = lines.indexOf(' Possible unsafe scenario:');
    expect(lines.slice(start + 2, start + 10)).toEqual([
      '        T0                                          T1',
      '        ----                                        ----',
      '    1   scheduled on CPU0  mremap.c:10',
      '    2   kmap PAGETABLE (pte_offset) (1/2 in use)  mremap.c:10',
      '    3                                               scheduled on CPU1  mremap.c:10',
      '    4                                               kmap PAGETABLE (pte_offset) (2/2 in use)  mremap.c:10',
      '    5   kmap PAGETABLE (pte_alloc): PAGETABLE pool empty (2/2 in use), sleeps on its queue  mremap.c:12',
      '    6                                               kmap PAGETABLE (pte_alloc): PAGETABLE pool empty (2/2 in use), sleeps on its queue  mremap.c:12',
    ]);
    expect(lines.slice(start + 11, start + 20)).toEqual([
      ' *** DEADLOCK ***',
      '',
      ' T0 (blocked)',
      '    holds: a PAGETABLE slot (mremap.c:10)',
      '    waits for: a PAGETABLE slot (mremap.c:12)',
      ' T1 (blocked)',
      '    holds: a PAGETABLE slot (mremap.c:10)',
      '    waits for: a PAGETABLE slot (mremap.c:12)',
      '',
    ]);
  });

  it('more than four tasks: one column naming task and CPU', () => {
    const t = simulateFinding(P.mremap, { tasks: 6, pool: 5, preempt: true });
    const lines = renderText(t).split('\n');
    expect(lines).toContain('    1   T0/CPU0: kmap PAGETABLE (pte_offset) (1/5 in use)  mremap.c:10');
    expect(lines).toContain('    5   T4/CPU0: kmap PAGETABLE (pte_offset) (5/5 in use)  mremap.c:10');
  });
});

describe('svg', () => {
  it('is self-contained and themed by CSS variables unless colours are passed', () => {
    const svg = renderSvg(deadlock);
    expect(svg).not.toMatch(/<script|href=|<image|@import|url\(/);
    expect(svg).toContain('fill="var(--kpath-sim-blocked, #c62828)"');
    const coloured = renderSvg(deadlock, { colors: { blocked: '#ff0000' } });
    expect(coloured).toContain('fill="#ff0000"');
    expect(coloured).not.toContain('--kpath-sim-blocked');
  });

  it('draws a lane per task with its statuses, a marker per step and the pool occupancy', () => {
    const svg = renderSvg(deadlock);
    // A step's column shows the state after it: T0 is dispatched at step 1, T1 waits for it until step 3.
    expect(deadlock.lanes.map((l) => l.changes)).toEqual([
      [[0, 'ready'], [0, 'running'], [4, 'blocked']],
      [[0, 'ready'], [2, 'running'], [5, 'blocked']],
    ]);
    expect(svg.match(/<title>T[01]: [a-z]+<\/title>/g)).toEqual(['<title>T0: running</title>', '<title>T0: blocked</title>', '<title>T1: ready</title>', '<title>T1: running</title>', '<title>T1: blocked</title>']);
    expect(svg.match(/<circle /g)?.length).toBe(6);
    expect(svg).toContain('<title>5. T0 CPU0: kmap PAGETABLE (pte_alloc): PAGETABLE pool empty (2/2 in use), sleeps on its queue (mremap.c:12)</title>');
    // 36 px per step from x=120; 50 px high chart: 0, 1, 2 slots of 2 in use.
    const points = /<polyline points="([^"]+)"/.exec(svg)![1];
    const ys = [...new Set(points.split(' ').map((p) => Number(p.split(',')[1])))];
    expect(ys.length).toBe(3);
    expect(ys[0] - ys[1]).toBe(25);
    expect(ys[1] - ys[2]).toBe(25);
    expect(svg).toContain('>mremap.c:12</text>');
  });

  it('caps the lanes drawn and says how many are left out', () => {
    const t = simulateFinding(P.mremap, { tasks: 20, pool: 19, preempt: true });
    const svg = renderSvg(t, { maxLanes: 4 });
    expect(svg).toContain('… 16 more task lanes not drawn');
  });
});

describe('html and json', () => {
  it('html embeds the svg and the text, nothing remote', () => {
    const html = renderHtml(deadlock);
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(html).toContain(' *** DEADLOCK ***');
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/);
  });
  it('json starts with the documented keys', () => {
    const j = JSON.parse(renderJson(deadlock));
    expect(Object.keys(j)).toEqual(['verdict', 'tasks', 'cpus', 'pool', 'preempt', 'steps', 'stats', 'finding', 'rule', 'series', 'programs', 'lanes', 'summary']);
    expect(j.steps[1]).toEqual({
      step: 2,
      task: 0,
      cpu: 0,
      event: 'kmap PAGETABLE (pte_offset) (1/2 in use)',
      file: 'mremap.c',
      line: 10,
      state: { task: 'running', pools: { PAGETABLE: 1 }, locks: {} },
    });
  });
});
