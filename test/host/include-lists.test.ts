/** What each file includes, kept packed from lowering until a saved program writes it. */
import { describe, expect, it } from 'vitest';
import { IncludeLists } from '../../server/src/host/include-lists';

describe('IncludeLists', () => {
  it('gives back each file\'s includes as lowering gave them, in order', () => {
    const lists = new IncludeLists();
    lists.set('mm/a.c', [
      { path: 'linux/mm.h', system: true, line: 3 },
      { path: 'internal.h', system: false, line: 12 },
      { path: 'dir with space/x y.h', system: false, line: 140 },
    ]);
    lists.set('mm/b.c', []);
    expect(lists.get('mm/a.c')).toEqual([
      { path: 'linux/mm.h', system: true, line: 3 },
      { path: 'internal.h', system: false, line: 12 },
      { path: 'dir with space/x y.h', system: false, line: 140 },
    ]);
    expect(lists.get('mm/b.c')).toEqual([]);
    expect(lists.get('mm/never.c')).toEqual([]);
  });

  it('replaces a file\'s list when it is lowered again', () => {
    const lists = new IncludeLists();
    lists.set('a.c', [{ path: 'old.h', system: false, line: 1 }]);
    lists.set('a.c', [{ path: 'new.h', system: true, line: 2 }]);
    expect(lists.get('a.c')).toEqual([{ path: 'new.h', system: true, line: 2 }]);
  });
});
