/** Tests of a variable against a constant: which ones a known value decides, and how. */
import { describe, expect, test } from 'vitest';
import { comparison, decidedBy, isRelation, meets } from '../../server/src/engine/dataflow/param-tests';

describe('comparison', () => {
  test('an equality, the constant on either side', () => {
    expect(comparison('action==FOO_LED_POWER_OFF')).toEqual({ name: 'action', constant: 'FOO_LED_POWER_OFF', equal: true });
    expect(comparison('WaitSleep!=wait_type')).toEqual({ name: 'wait_type', constant: 'WaitSleep', equal: false });
  });

  test('a relation to a number, written with the variable on the left', () => {
    expect(comparison('wait_ms>0')).toEqual({ name: 'wait_ms', constant: '>0', equal: true });
    expect(comparison('0<tries')).toEqual({ name: 'tries', constant: '>0', equal: true });
    expect(comparison('16>=cmd->len')).toEqual({ name: 'cmd->len', constant: '<=16', equal: true });
    expect(isRelation('>0')).toBe(true);
    expect(isRelation('FOO_LED_POWER_OFF')).toBe(false);
  });

  test('no relation to a name or between variables: a macro may be any number', () => {
    expect(comparison('wait_ms>MAX_WAIT')).toBeUndefined();
    expect(comparison('i<try_cnt')).toBeUndefined();
  });
});

describe('meets and decidedBy', () => {
  test('a number passed decides a relation; a name or an or of flags does not', () => {
    expect(meets('0', '>0')).toBe(false);
    expect(meets('10', '>0')).toBe(true);
    expect(meets('0x10', '>=16')).toBe(true);
    expect(meets('false', '<1')).toBe(true);
    expect(meets('HZ', '>0')).toBeUndefined();
    expect(meets('1|2', '>0')).toBeUndefined();
  });

  test('the edge a known value takes', () => {
    expect(decidedBy('wait_ms>0', (name) => (name === 'wait_ms' ? '0' : undefined))).toBe(false);
    expect(decidedBy('0<tries', (name) => (name === 'tries' ? '3' : undefined))).toBe(true);
    expect(decidedBy('wait_ms>0', () => undefined)).toBeUndefined();
  });
});
