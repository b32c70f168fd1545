/** Locals holding a copy of a path (dataflow/copies.ts), and tests read in the path's terms. */
import { describe, expect, test } from 'vitest';
import { copiesAtBlockEnds, inCopiedTerms } from '../../server/src/engine/dataflow/copies';
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
});
