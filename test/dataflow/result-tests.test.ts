/** Tests of a call's result against the one code its callee releases a lock on. */
import { describe, expect, test } from 'vitest';
import { codeTested, differentCodes, isResultCode, testSaysResultIs } from '../../server/src/engine/dataflow/result-tests';
import type { HeldLock, PendingTry } from '../../server/src/engine/dataflow/state';
import { DEFAULT_API } from '../../server/src/engine/kernel/api';

describe('result codes', () => {
  test('a negated error macro or a nonzero number is a code callers can test for', () => {
    expect(isResultCode('-EINTR')).toBe(true);
    expect(isResultCode('1')).toBe(true);
    expect(isResultCode('-12')).toBe(true);
    expect(isResultCode('0')).toBe(false);
    expect(isResultCode('ret')).toBe(false);
    expect(isResultCode('EINTR')).toBe(false);
  });

  test('different macros differ; a macro and a number from 0 up differ; a macro and a negative number cannot be told', () => {
    expect(differentCodes('-ENOENT', '-EINTR')).toBe(true);
    expect(differentCodes('-EINTR', '-EINTR')).toBe(false);
    expect(differentCodes('-EWOULDBLOCK', '-EAGAIN', DEFAULT_API.errnoAliases)).toBe(false);
    expect(differentCodes('-EWOULDBLOCK', '-EAGAIN')).toBe(true);
    expect(differentCodes('-EDEADLK', '-EDEADLOCK', DEFAULT_API.errnoAliases)).toBe(false);
    expect(differentCodes('1', '-EINTR')).toBe(true);
    expect(differentCodes('0', '-EINTR')).toBe(true);
    expect(differentCodes('-4', '-EINTR')).toBeUndefined();
    expect(differentCodes('2', '1')).toBe(true);
    expect(differentCodes('ret', '-EINTR')).toBeUndefined();
  });
});

describe('testSaysResultIs', () => {
  test('an equality with the code decides both ways', () => {
    expect(testSaysResultIs('ret!=-EINTR', true, 'ret', '-EINTR')).toBe(false);
    expect(testSaysResultIs('ret!=-EINTR', false, 'ret', '-EINTR')).toBe(true);
    expect(testSaysResultIs('ret==-EINTR', true, 'ret', '-EINTR')).toBe(true);
    expect(testSaysResultIs('err==-EINTR', true, 'ret', '-EINTR')).toBeUndefined();
    expect(testSaysResultIs('ret==-EWOULDBLOCK', true, 'ret', '-EAGAIN', DEFAULT_API.errnoAliases)).toBe(true);
  });

  test('equal to another code says it is not this one; different from another says nothing', () => {
    expect(testSaysResultIs('ret==-ENOENT', true, 'ret', '-EINTR')).toBe(false);
    expect(testSaysResultIs('ret==1', true, 'ret', '-EINTR')).toBe(false);
    expect(testSaysResultIs('ret!=-ENOENT', true, 'ret', '-EINTR')).toBeUndefined();
  });

  test('a truth test says only that 0 is not the code', () => {
    expect(testSaysResultIs('ret', false, 'ret', '-EINTR')).toBe(false);
    expect(testSaysResultIs('ret', true, 'ret', '-EINTR')).toBeUndefined();
    expect(testSaysResultIs('!ret', true, 'ret', '-EINTR')).toBe(false);
  });

  test("a relation to 0 decides where the code's sign is on the other side", () => {
    expect(testSaysResultIs('ret<=0', true, 'ret', '-EINTR')).toBeUndefined();
    expect(testSaysResultIs('ret<=0', false, 'ret', '-EINTR')).toBe(false);
    expect(testSaysResultIs('ret<0', false, 'ret', '-EINTR')).toBe(false);
    expect(testSaysResultIs('ret>0', true, 'ret', '-EINTR')).toBe(false);
    expect(testSaysResultIs('ret>=0', true, 'ret', '-EINTR')).toBe(false);
    expect(testSaysResultIs('ret>0', true, 'ret', '1')).toBeUndefined();
    expect(testSaysResultIs('ret>0', false, 'ret', '1')).toBe(false);
    expect(testSaysResultIs('ret<5', false, 'ret', '-EINTR')).toBeUndefined();
  });
});

describe('codeTested', () => {
  const lock = { what: 'lock', lock: 'sbi->wq_mutex', class: 'mutex', origin: [] } as unknown as HeldLock;
  const coded: PendingTry = { op: 3, variable: 'ret', lock, heldUnless: '-EINTR', kind: 'restore' };
  const truth: PendingTry = { op: 2, variable: 'ret', lock };

  test('the pending result held unless its call returned the code, when the test tells', () => {
    expect(codeTested([truth, coded], 'ret!=-EINTR', true)).toEqual({ pending: coded, is: false });
    expect(codeTested([truth, coded], 'ret<=0', true)).toBeUndefined();
    expect(codeTested([truth], 'ret!=-EINTR', true)).toBeUndefined();
  });
});
