import { describe, expect, it } from 'vitest';
import { validateCount } from '../../client/src/parameters';

describe('simulation parameter input', () => {
  it('accepts whole numbers in range', () => {
    expect(validateCount('tasks', '1024')).toBeUndefined();
    expect(validateCount('cpus', ' 2 ')).toBeUndefined();
  });
  it('rejects what is not a whole number', () => {
    expect(validateCount('pool', '2.5')).toBe('Enter a whole number from 1 to 65535.');
    expect(validateCount('pool', '')).toBe('Enter a whole number from 1 to 65535.');
    expect(validateCount('tasks', '-1')).toBe('Enter a whole number from 1 to 65535.');
  });
  it('rejects numbers out of range', () => {
    expect(validateCount('cpus', '0')).toBe('cpus must be from 1 to 4096.');
    expect(validateCount('cpus', '4097')).toBe('cpus must be from 1 to 4096.');
  });
});
