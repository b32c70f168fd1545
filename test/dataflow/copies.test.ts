/** Locals holding a copy of a path (dataflow/copies.ts), and tests read in the path's terms. */
import { describe, expect, test } from 'vitest';
import { copiesAtBlockEnds, copiesAtCalls, inCopiedTerms } from '../../server/src/engine/dataflow/copies';
import { substituteExpression } from '../../server/src/engine/dataflow/lock-names';
import type { CallOp } from '../../server/src/engine/ir';
import { fn } from '../lower/helpers';

describe('copies of paths', () => {
  test('a copy holds until the local or what the path leads from is assigned, on every way in', async () => {
    const f = await fn(`int f(struct frame *mf, int x)
{
	struct header *hdr = header_of(mf);
	int function, other;

	function = hdr->Function;
	other = mf->kind;
	hdr->MsgContext = x;
	if (x)
		other = 0;
	if (function == TASK_MGMT)
		return 1;
	hdr->Function = 0;
	if (function == TASK_MGMT)
		return 2;
	return 0;
}`);
    const ends = copiesAtBlockEnds(f);
    const testing = (n: number) => {
      const tests = f.blocks.filter((b) => b.succs.some((e) => e.cond?.expr === 'function==TASK_MGMT'));
      return Object.fromEntries(ends.get(tests[n]!.id) ?? []);
    };
    // a store to another member keeps the copy; `other` was reassigned on one way in
    expect(testing(0)).toEqual({ function: 'hdr->Function' });
    // the member itself was stored
    expect(testing(1)).toEqual({});
  });

  test('a test is read with each copying local written as its path; members named like it are not it', () => {
    const copies = new Map([['function', 'hdr->Function']]);
    expect(inCopiedTerms('function==TASK_MGMT', copies)).toBe('hdr->Function==TASK_MGMT');
    expect(inCopiedTerms('p->function==TASK_MGMT', copies)).toBe('p->function==TASK_MGMT');
    expect(inCopiedTerms('s.function&&function', copies)).toBe('s.function&&hdr->Function');
    expect(inCopiedTerms('function==X', undefined)).toBe('function==X');
  });

  test('a call sees the copies that hold where it is made, before its result is assigned', async () => {
    const f = await fn(`void *map(struct cmd *cmd)
{
	struct sg *sg = cmd->sgl;
	void *p;

	if (cmd->nents == 1)
		return kmap(sg_page(sg));
	for (sg = cmd->first; sg; sg = next(sg))
		p = kmap(sg_page(sg));
	return p;
}`);
    const calls = copiesAtCalls(f);
    const at = (n: number) => {
      const op = f.blocks.flatMap((b) => b.ops).filter((o): o is CallOp => o.kind === 'call' && o.callee === 'kmap')[n]!;
      return Object.fromEntries(calls.get(op.id) ?? []);
    };
    expect(at(0)).toEqual({ sg: 'cmd->sgl' });
    // the loop assigned `sg` again (`cmd->first`, then `next(sg)`, no path): no copy holds
    expect(at(1)).toEqual({});
  });
});

describe('an expression in a caller\'s terms', () => {
  const params = ['cmd', 'pool'];
  const locals = new Set(['sg']);
  test('each path in it is given by the argument; called names, members and numbers stay', () => {
    expect(substituteExpression('sg_page(cmd->sgl)', params, [{ text: 'se_cmd' }, { text: 'p' }], locals)).toBe('sg_page(se_cmd->sgl)');
    expect(substituteExpression('sg_page(cmd->sgl)', params, [{ text: '&c' }, { text: 'p' }], locals)).toBe('sg_page(c.sgl)');
    expect(substituteExpression('page_of(cmd->sgl, pool->base+0x10)', params, [{ text: 'c' }, { text: 'dev->pool' }], locals)).toBe('page_of(c->sgl, dev->pool->base+0x10)');
    expect(substituteExpression('f::buf', params, [{ text: 'c' }], locals)).toBe('f::buf');
  });
  test("a callee's local, or a parameter not passed, cannot be named", () => {
    expect(substituteExpression('sg_page(sg)', params, [{ text: 'c' }, { text: 'p' }], locals)).toBeUndefined();
    expect(substituteExpression('virt(pool->page)', params, [{ text: 'c' }], locals)).toBeUndefined();
    // no lock is reached through a null pointer (`btrfs_search_slot(NULL, root, ...)`)
    expect(substituteExpression('cmd->lock', params, [{ text: 'NULL' }, { text: 'p' }], locals)).toBeUndefined();
  });
});
