import { describe, expect, it } from 'vitest';
import { findingPicks } from '../../client/src/findingPicks';
import type { FindingSummary } from '../../server/src/shared/protocol';

function finding(uri: string, line: number, rule: FindingSummary['rule'], id: string): FindingSummary {
  return {
    uri,
    id,
    rule,
    severity: rule === 'sleep-in-atomic' ? 'error' : 'warning',
    message: `${rule} message`,
    function: `f${line}`,
    range: { start: { line, character: 4 }, end: { line, character: 10 } },
    pathLength: 3,
  };
}

describe('finding picker', () => {
  const a = 'file:///ws/mm/a.c';
  const b = 'file:///ws/mm/b.c';
  const findings = [finding(b, 40, 'kmap-leak', 'b40'), finding(a, 20, 'kmap-serie-reentry', 'a20'), finding(b, 3, 'sleep-in-atomic', 'b3'), finding(a, 5, 'sleep-in-atomic', 'a5')];
  const relative = (uri: string) => uri.replace('file:///ws/', '');

  it('lists the active file first, then the workspace, each in line order', () => {
    const picks = findingPicks(findings, b, relative);
    expect(picks.map((p) => [p.group, p.finding.id])).toEqual([
      ['Active file', 'b3'],
      ['Active file', 'b40'],
      ['Workspace', 'a5'],
      ['Workspace', 'a20'],
    ]);
  });

  it('labels a finding with its rule, message and 1-based line', () => {
    const [first] = findingPicks(findings, a, relative);
    expect(first).toMatchObject({
      label: '$(error) sleep-in-atomic: sleep-in-atomic message',
      description: 'mm/a.c:6',
      detail: 'in f5(), a path of 3 steps',
    });
  });

  it('puts everything under Workspace when no editor is active', () => {
    expect(findingPicks(findings, undefined, relative).every((p) => p.group === 'Workspace')).toBe(true);
  });
});
