/** Tests of a variable against a constant: which ones a known value decides, and how. */
import { describe, expect, test } from 'vitest';
import { bitFacts, bitKnown, comparedNames, comparedParams, comparison, copiedParams, decidedBy, isRelation, meets, paramTestsAtCalls, truthOfArgument, truthOfVariable } from '../../server/src/engine/dataflow/param-tests';
import type { CallOp } from '../../server/src/engine/ir';
import { fn } from '../lower/helpers';

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

describe('bits or-ed in', () => {
  test('an argument has a bit it or-es in, or one the path or-ed into the variable', () => {
    expect(bitKnown('flags|FOO_FAST_ONLY', 'FOO_FAST_ONLY', [])).toBe(true);
    expect(bitKnown('flags|FOO_GET', 'FOO_FAST_ONLY', [])).toBeUndefined();
    expect(bitKnown('gup_flags', 'FOO_FAST_ONLY', [['gup_flags&FOO_FAST_ONLY', true]])).toBe(true);
    expect(bitKnown('gup_flags', 'FOO_FAST_ONLY', [['gup_flags&FOO_GET', true]])).toBeUndefined();
  });

  test("a context is told the bits in the callee's terms", () => {
    expect(bitFacts('gup_flags', 'flags|FOO_GET|FOO_FAST_ONLY', [])).toEqual([
      ['gup_flags&FOO_GET', true],
      ['gup_flags&FOO_FAST_ONLY', true],
    ]);
    expect(bitFacts('f', 'gup_flags', [['gup_flags&FOO_FAST_ONLY', true], ['gup_flags', true], ['other&FOO_GET', true]])).toEqual([['f&FOO_FAST_ONLY', true]]);
    expect(bitFacts('f', 'v->flags', [])).toEqual([]);
  });
});

describe('comparedNames', () => {
  test("a local's relation to a number counts, a counter's does not", async () => {
    const f = await fn(`void f(int n) {
      int i, j = 0, wakeup = -1;
      if (n == 3) wakeup = n;
      for (i = 0; i < 16; i++) g(i);
      while (j > 4) j += 2;
      if (wakeup >= 0) h(wakeup);
    }`);
    expect([...comparedNames(f)].sort()).toEqual(['n', 'wakeup']);
  });
});

describe('meets and decidedBy', () => {
  test('a negative number is a number', () => {
    expect(meets('-1', '>=0')).toBe(false);
    expect(meets('-0x10', '<-8')).toBe(true);
    expect(comparison('idx>-1')).toEqual({ name: 'idx', constant: '>-1', equal: true });
    expect(comparison('ret==-1')).toEqual({ name: 'ret', constant: '-1', equal: true });
  });

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

  test("a switch's default edge: decided when one case is, or all are", () => {
    const known = (value: string) => (name: string) => (name === 'type' ? value : undefined);
    expect(decidedBy('type==CMD_WAIT||type==CMD_NO_WAIT', known('CMD_NO_WAIT'))).toBe(true);
    expect(decidedBy('type==CMD_WAIT||type==CMD_NO_WAIT', known('CMD_BUSY_WAIT'))).toBe(false);
    expect(decidedBy('type==CMD_WAIT||cmd==1...5', known('CMD_BUSY_WAIT'))).toBeUndefined();
  });
});

describe('an argument that tests a variable', () => {
  test("its truth says the variable's, or nothing", () => {
    expect(truthOfVariable('wait_ms>0', true)).toEqual({ name: 'wait_ms', truth: true });
    expect(truthOfVariable('wait_ms > 0', false)).toEqual({ name: 'wait_ms', truth: undefined });
    expect(truthOfVariable('!sync', true)).toEqual({ name: 'sync', truth: false });
    expect(truthOfVariable('p == NULL', false)).toEqual({ name: 'p', truth: true });
    expect(truthOfVariable('count != 0', false)).toEqual({ name: 'count', truth: false });
    expect(truthOfVariable('wait_ack', true)).toEqual({ name: 'wait_ack', truth: true });
  });

  test("a known truth of the variable decides the argument's where it can", () => {
    expect(truthOfArgument('wait_ms > 0', [['wait_ms', false]])).toBe(false);
    expect(truthOfArgument('wait_ms > 0', [['wait_ms', true]])).toBeUndefined();
    expect(truthOfArgument('!sync', [['sync', true]])).toBe(false);
    expect(truthOfArgument('!sync', [])).toBeUndefined();
    expect(truthOfArgument('wait_ack', [['wait_ack', false]])).toBeUndefined(); // the plain variable is read elsewhere
  });
});

describe('a local copy of a parameter', () => {
  test("a copy of a member, assigned once, is tested as the member", async () => {
    const f = await fn(`int issue(struct adapter *a, struct cmd_args *cmd)
{
	int cmd_type, err;

	cmd_type = cmd->type;
	err = enqueue(a, cmd);
	switch (cmd_type) {
	case CMD_WAIT:
		wait_for_completion(&cmd->done);
		break;
	}
	return err;
}`);
    expect(Object.fromEntries(copiedParams(f))).toEqual({ cmd_type: 'cmd->type' });
    expect(comparedParams(f)).toEqual(['cmd->type']);
    const wait = f.blocks.flatMap((b) => b.ops).find((o): o is CallOp => o.kind === 'call' && o.callee === 'wait_for_completion')!;
    expect(paramTestsAtCalls(f).get(wait.id)).toEqual([[1, true, 'CMD_WAIT', 'type']]);
  });

  test('a local assigned twice, or passed by address, is its own', async () => {
    const f = await fn(`int issue(struct cmd_args *cmd, int mode)
{
	int type = cmd->type, m;

	if (mode == MODE_FORCE)
		type = CMD_WAIT;
	m = mode;
	read_mode(&m);
	return type == CMD_WAIT || m == MODE_FORCE;
}`);
    expect(copiedParams(f).size).toBe(0);
  });
});
