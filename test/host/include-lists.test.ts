/** What each file includes, kept packed from lowering until a saved program writes it. */
import { describe, expect, it } from 'vitest';
import { IncludeLists, packIncludes, unpackIncludes } from '../../server/src/host/include-lists';

describe('IncludeLists', () => {
  it('gives back each file\'s includes as lowering gave them, in order', () => {
    const lists = new IncludeLists();
    lists.set('mm/a.c', [
      { path: 'linux/mm.h', system: true, line: 3 },
      { path: 'internal.h', system: false, line: 12 },
      { path: 'dir with space/x y.h', system: false, line: 140 },
    ]);
    lists.set('mm/b.c', []);
    expect(unpackIncludes(lists.packedOf('mm/a.c'))).toEqual([
      { path: 'linux/mm.h', system: true, line: 3 },
      { path: 'internal.h', system: false, line: 12 },
      { path: 'dir with space/x y.h', system: false, line: 140 },
    ]);
    expect(unpackIncludes(lists.packedOf('mm/b.c'))).toEqual([]);
    expect(unpackIncludes(lists.packedOf('mm/never.c'))).toEqual([]);
  });

  it('replaces a file\'s list when it is lowered again', () => {
    const lists = new IncludeLists();
    lists.set('a.c', [{ path: 'old.h', system: false, line: 1 }]);
    lists.set('a.c', [{ path: 'new.h', system: true, line: 2 }]);
    expect(unpackIncludes(lists.packedOf('a.c'))).toEqual([{ path: 'new.h', system: true, line: 2 }]);
  });

  it('keeps a packed list as given, and says which text is not one', () => {
    const lists = new IncludeLists();
    const packed = packIncludes([{ path: 'linux/mm.h', system: true, line: 3 }]);
    expect(packed).toBe('<3 linux/mm.h\n');
    lists.setPacked('mm/a.c', packed);
    expect(lists.packedOf('mm/a.c')).toBe(packed);
    expect(lists.packedOf('mm/never.c')).toBe('');
    expect(unpackIncludes(lists.packedOf('mm/a.c'))).toEqual([{ path: 'linux/mm.h', system: true, line: 3 }]);
    expect(() => unpackIncludes('linux/mm.h\n')).toThrow('not a packed include: "linux/mm.h"');
    expect(() => unpackIncludes('<x linux/mm.h\n')).toThrow('not a packed include: "<x linux/mm.h"');
    expect(() => unpackIncludes('<3\n')).toThrow('not a packed include: "<3"');
  });
});
