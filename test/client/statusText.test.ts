import { describe, expect, it } from 'vitest';
import { describeStatus } from '../../client/src/statusText';

describe('status bar text', () => {
  it('shows progress while the workspace is analysed', () => {
    expect(describeStatus({ kind: 'status', params: { state: 'analyzing', done: 3, total: 10, findings: 1 } })).toEqual({
      text: '$(sync~spin) kpath: analysing 3/10',
      tooltip: 'kpath: analysing the workspace, 3 of 10 files done; 1 finding so far',
    });
  });

  it('counts findings when idle, with a check mark for none', () => {
    expect(describeStatus({ kind: 'status', params: { state: 'idle', done: 0, total: 0, findings: 0 } }).text).toBe(
      '$(check) kpath: 0 findings',
    );
    expect(describeStatus({ kind: 'status', params: { state: 'idle', done: 4, total: 4, findings: 2 } }).text).toBe(
      '$(warning) kpath: 2 findings',
    );
  });

  it('says when the server is not running', () => {
    expect(describeStatus({ kind: 'stopped' }).text).toBe('$(debug-disconnect) kpath');
  });
});
