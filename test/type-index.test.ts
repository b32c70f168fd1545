/** The structures of all files merged: which structure holds the field a path of fields ends in. */
import { describe, expect, test } from 'vitest';
import type { TypeFacts } from '../server/src/engine/ir';
import { TypeIndex } from '../server/src/engine/type-index';

const facts = (members: TypeFacts['members'], typedefs: TypeFacts['typedefs'] = {}): TypeFacts => ({ members, typedefs, globals: {} });

describe('TypeIndex', () => {
  test('follows the fields through the members of every file, typedefs included', () => {
    const index = new TypeIndex(
      new Map([
        ['include/dss.h', facts({ omap_dss_device: { ops: 'omap_dss_device.ops' }, 'omap_dss_device.ops': { dsi: 'dsi_ops_t' } }, { dsi_ops_t: 'omapdss_dsi_ops' })],
        ['drivers/panel.c', facts({})],
      ]),
    );
    expect(index.holder('drivers/panel.c', { type: 'omap_dss_device', via: ['ops', 'dsi'] })).toBe('omapdss_dsi_ops');
    expect(index.holder('drivers/panel.c', { type: 'dsi_ops_t' })).toBe('omapdss_dsi_ops');
    expect(index.holder('drivers/panel.c', { type: 'omap_dss_device', via: ['src'] })).toBeUndefined();
  });

  test("two files that disagree leave a member unknown, but a file's own definition comes first", () => {
    const index = new TypeIndex(
      new Map([
        ['drivers/a/a.c', facts({ priv: { ops: 'a_ops' } })],
        ['drivers/b/b.c', facts({ priv: { ops: 'b_ops' } })],
        ['drivers/c/c.c', facts({})],
      ]),
    );
    expect(index.holder('drivers/a/a.c', { type: 'priv', via: ['ops'] })).toBe('a_ops');
    expect(index.holder('drivers/b/b.c', { type: 'priv', via: ['ops'] })).toBe('b_ops');
    expect(index.holder('drivers/c/c.c', { type: 'priv', via: ['ops'] })).toBeUndefined();
  });

  test('a typedef two files define differently names no structure', () => {
    const index = new TypeIndex(new Map([['a.h', facts({}, { handle_t: 'a_handle' })], ['b.h', facts({}, { handle_t: 'b_handle' })]]));
    expect(index.holder('x.c', { type: 'handle_t' })).toBeUndefined();
    expect(index.holder('x.c', { type: 'other' })).toBe('other');
  });
});
