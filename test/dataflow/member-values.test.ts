/** What the members of a structure a function fills hold where it passes the structure (dataflow/member-values.ts). */
import { describe, expect, test } from 'vitest';
import { memberValue, memberValuesAtCalls } from '../../server/src/engine/dataflow/member-values';
import type { CallOp } from '../../server/src/engine/ir';
import { fn } from '../lower/helpers';

/** The values of `path` at the call to `callee`. */
function at(f: Awaited<ReturnType<typeof fn>>, callee: string, path: string): string[] | undefined {
  const op = f.blocks.flatMap((b) => b.ops).find((o): o is CallOp => o.kind === 'call' && o.callee === callee)!;
  const values = memberValuesAtCalls(f).get(op.id);
  return values && memberValue(values, path)?.map((v) => v.value);
}

describe('member values', () => {
  test('storing into an element of one member forgets that member only', async () => {
    const f = await fn(`int f(struct adapter *a, u32 op)
{
	struct cmd_args *cmd = kzalloc(sizeof(*cmd), GFP_ATOMIC);

	cmd->type = CMD_NO_WAIT;
	cmd->req.arg[1] = op;
	return issue_cmd(a, cmd);
}`);
    expect(at(f, 'issue_cmd', 'cmd->type')).toEqual(['CMD_NO_WAIT']);
  });

  test('the address of a member stored lets that member be written, not the others', async () => {
    const f = await fn(`int f(struct adapter *a, struct mac_vlan *mv)
{
	struct cmd_args *cmd = kzalloc(sizeof(*cmd), GFP_ATOMIC);
	u32 *buf;

	cmd->type = CMD_NO_WAIT;
	cmd->req.len = 2;
	buf = &cmd->req.hdr;
	memcpy(buf, mv, sizeof(*mv));
	return issue_cmd(a, cmd);
}`);
    expect(at(f, 'issue_cmd', 'cmd->type')).toEqual(['CMD_NO_WAIT']);
    expect(at(f, 'issue_cmd', 'cmd->req.len')).toBeUndefined();
  });

  test('the address of the structure itself stored: nothing is followed', async () => {
    const f = await fn(`int f(struct adapter *a)
{
	struct cmd_args cmd = { .type = CMD_NO_WAIT };
	struct cmd_args *p;

	p = &cmd;
	return issue_cmd(a, &cmd);
}`);
    expect(at(f, 'issue_cmd', 'cmd.type')).toBeUndefined();
  });
});

describe('a structure a pointer reaches', () => {
  test("its member set before its address is passed; a lock call on another member keeps it", async () => {
    const f = await fn(`void resize(struct bitmap *bitmap, struct storage *store)
{
	store->file = bitmap->storage.file;
	bitmap->storage.file = NULL;
	spin_lock_irq(&bitmap->lock);
	file_unmap(&bitmap->storage);
	spin_unlock_irq(&bitmap->lock);
}`);
    expect(at(f, 'file_unmap', 'bitmap->storage.file')).toEqual(['NULL']);
  });
});
