/** Locals holding answers to the tables' questions about the context (dataflow/context-locals.ts). */
import { describe, expect, test } from 'vitest';
import { contextTestLocals } from '../../server/src/engine/dataflow/context-locals';
import { DEFAULT_API } from '../../server/src/engine/kernel/api';
import { indexApi } from '../../server/src/engine/kernel/index';
import { fn } from '../lower/helpers';

const knowledge = indexApi(DEFAULT_API);

describe('context test locals', () => {
  test('an && taken true, an || taken false: each test its own value; unknown parts left out', async () => {
    const f = await fn(`void f(struct foo *d)
{
	bool not_atomic = !in_atomic() && !irqs_disabled();
	bool atomic = in_interrupt() || (irqs_disabled());
	bool may = preemptible() && d->ready;
	if (not_atomic || atomic || may)
		msleep(1);
}`);
    expect(Object.fromEntries(contextTestLocals(f, knowledge))).toEqual({
      not_atomic: { when: true, tests: [['in_atomic()', false], ['irqs_disabled()', false]] },
      atomic: { when: false, tests: [['in_interrupt()', false], ['irqs_disabled()', false]] },
      may: { when: true, tests: [['preemptible()', true]] },
    });
  });

  test('none for a local assigned again, passed by address, of mixed && and ||, or asking nothing known', async () => {
    const f = await fn(`void f(struct foo *d)
{
	bool again = !in_atomic() && !irqs_disabled();
	bool passed = !in_atomic() && !irqs_disabled();
	bool mixed = !in_atomic() && (!irqs_disabled() || d->force);
	bool other = d->a && d->b;
	if (d->x)
		again = true;
	poll(&passed);
	if (again || passed || mixed || other)
		msleep(1);
}`);
    expect([...contextTestLocals(f, knowledge).keys()]).toEqual([]);
  });
});
