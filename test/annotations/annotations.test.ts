import { describe, expect, test } from 'vitest';
import {
  fileSuppressions,
  functionAnnotations,
  isSuppressed,
  lockNameMatches,
  normaliseLock,
} from '../../server/src/engine/annotations/index';
import type { Comment, FileIR, FunctionIR } from '../../server/src/engine/ir';

/** A function as the lowerer gives it; only the fields annotations read matter. */
function fn(header: string, leadingComment = '', params: (string | null)[] = []): FunctionIR {
  const span = { line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { name: 'f', span, nameSpan: span, params, locals: [], isStatic: false, header, leadingComment, blocks: [], entry: 0, exit: 0 };
}

function file(comments: [string, number, number?][]): FileIR {
  const list: Comment[] = comments.map(([text, line, endLine]) => ({
    text,
    span: { line, column: 1, endLine: endLine ?? line, endColumn: 10 },
  }));
  return { file: 'mm/x.c', functions: [], comments: list, functionRefs: [], includes: [], syntaxErrors: 0 };
}

const locks = (list: { lock: string }[]) => list.map((a) => a.lock);

describe('lock names', () => {
  test('normalised like the dataflow does', () => {
    expect(normaliseLock('&dst -> page_table_lock')).toBe('dst->page_table_lock');
    expect(normaliseLock('&( mm->page_table_lock )')).toBe('mm->page_table_lock');
    expect(normaliseLock('(a)->b')).toBe('(a)->b');
  });
  test('field-only names match a held lock by its last field', () => {
    expect(lockNameMatches('page_table_lock', 'dst->page_table_lock')).toBe(true);
    expect(lockNameMatches('page_table_lock', 'page_table_lock')).toBe(true);
    expect(lockNameMatches('page_table_lock', 'dst->my_page_table_lock')).toBe(false);
    expect(lockNameMatches('mm->page_table_lock', 'dst->page_table_lock')).toBe(false);
  });
});

describe('header annotations', () => {
  test('__must_hold with & and a parameter', () => {
    const a = functionAnnotations(fn('static int copy_page_range(struct mm_struct *dst, struct mm_struct *src) __must_hold(&dst->page_table_lock)', '', ['dst', 'src']));
    expect(a.mustHold).toEqual([
      {
        lock: 'dst->page_table_lock',
        text: '__must_hold(&dst->page_table_lock)',
        source: 'header',
        class: 'spin',
        ref: { arg: 0, field: 'page_table_lock' },
      },
    ]);
    expect(a.acquires).toEqual([]);
  });
  test('acquires, releases, cond_acquires (both forms), must_not_hold, several locks', () => {
    const a = functionAnnotations(
      fn(
        'void f(spinlock_t *l, struct foo *p) __acquires(l) __releases(&p->lock) __releases(p->other) __cond_acquires(true, &p->c) __must_not_hold(&big_lock)',
        '',
        ['l', 'p'],
      ),
    );
    expect(a.acquires).toEqual([{ lock: 'l', text: '__acquires(l)', source: 'header', ref: { arg: 0 } }]);
    expect(locks(a.releases)).toEqual(['p->lock', 'p->other']);
    expect(a.condAcquires).toEqual([{ lock: 'p->c', text: '__cond_acquires(true, &p->c)', source: 'header', ref: { arg: 1, field: 'c' } }]);
    expect(a.mustNotHold).toEqual([{ lock: 'big_lock', text: '__must_not_hold(&big_lock)', source: 'header' }]);
  });
  test('__cond_acquires(x) and __cond_lock(x, c)', () => {
    expect(locks(functionAnnotations(fn('int t(spinlock_t *l) __cond_acquires(l)', '', ['l'])).condAcquires)).toEqual(['l']);
    expect(locks(functionAnnotations(fn('int t(spinlock_t *l) __cond_lock(l, _t(l))', '', ['l'])).condAcquires)).toEqual(['l']);
  });
  test('an annotation name inside another word is not one', () => {
    expect(functionAnnotations(fn('int my__must_hold(int x)')).mustHold).toEqual([]);
  });
});

describe("the kernel's comment idioms", () => {
  const entry = (comment: string, params: string[] = []) => functionAnnotations(fn('void f(void)', comment, params)).mustHold;

  test('the seed: "dst->page_table_lock is held on entry and exit"', () => {
    const c = '/*\n * dst->page_table_lock is held on entry and exit,\n * but may be dropped within pmd_alloc() and pte_alloc().\n */';
    expect(entry(c, ['dst', 'src', 'vma'])).toEqual([
      {
        lock: 'dst->page_table_lock',
        text: 'dst->page_table_lock is held on entry',
        source: 'comment',
        class: 'spin',
        ref: { arg: 0, field: 'page_table_lock' },
      },
    ]);
  });
  test.each([
    ['/* Called with mm->page_table_lock held. */', ['mm->page_table_lock']],
    ['/* Must be called with &zone->lock held */', ['zone->lock']],
    ['// called with tasklist_lock locked', ['tasklist_lock']],
    ['/* Caller must hold mapping->i_mmap_rwsem in write mode. */', ['mapping->i_mmap_rwsem']],
    ['/* The caller must hold the page_table_lock. */', ['page_table_lock']],
    ['/* Called with the mm->page_table_lock spinlock held */', ['mm->page_table_lock']],
    ['/* Called with interrupts disabled and zone->lock held */', ['zone->lock']],
    ['/* called with inode->i_lock and mapping->private_lock held */', ['inode->i_lock', 'mapping->private_lock']],
    ['/* Called under ptl */', ['ptl']],
    ['/* Frees the page. It is called with zone->lock held */', ['zone->lock']],
    ['/* mm->mmap_lock must be held */', ['mm->mmap_lock']],
    ['/* Expects mapping->invalidate_lock to be held. */', ['mapping->invalidate_lock']],
    ['/* The mmap_lock must have been held on entry, and may have been released */', ['mmap_lock']],
  ])('%s', (comment, expected) => {
    expect(locks(entry(comment))).toEqual(expected);
  });
  test.each([
    '/* Called with interrupts disabled. */',
    '/* Called with the page locked */',
    '/* Called with the lock held */',
    '/* Returns with the lock held */',
    '/* The caller must hold a reference on the page */',
    '/* Called under rcu_read_lock() */',
    '/* called with rcu_read_lock held */',
    '/* Called with the anon_vma lock held */',
    '/* This function takes zone->lock. It is called with nothing held */',
    '/* while the page_table_lock is held we walk the list */',
    '/* Context: lru_lock must not be held, interrupts must be enabled */',
    '/* Must be called in process context and with no spinlocks held */',
    '/* d_walk - walk the dentry tree. The @enter() callbacks are called with d_lock held. */',
    '/* The callback is called with zone->lock held */',
    '/* The @match function must take the i_lock spin_lock. It also must not sleep, since it is called with the inode_hash_lock spinlock held. */',
    '/* Context: Either rcu read lock or files_lock must be held */',
    '/* Called with mm->mmap_lock or mm->page_table_lock held */',
  ])('no lock: %s', (comment) => {
    expect(entry(comment)).toEqual([]);
  });
  test('the class comes from the words or the name', () => {
    expect(entry('/* Called with mm->mmap_lock held for read */')[0]?.class).toBe('rwsem');
    expect(entry('/* Called with the dev->state_mutex held */')[0]?.class).toBe('mutex');
    expect(entry('/* Called with the foo->bar mutex held */')).toEqual([
      { lock: 'foo->bar', text: 'Called with the foo->bar mutex held', source: 'comment', class: 'mutex' },
    ]);
    expect(entry('/* Called with zone->lock held */')[0]?.class).toBeUndefined();
  });
  test('an annotation in the header wins over the comment for the same lock', () => {
    const a = functionAnnotations(fn('void f(struct mm_struct *mm) __must_hold(&mm->page_table_lock)', '/* Called with mm->page_table_lock held */', ['mm']));
    expect(a.mustHold.map((x) => x.source)).toEqual(['header']);
  });
});

describe('kpath: annotations on functions', () => {
  test('holds, with an optional class', () => {
    const a = functionAnnotations(fn('void f(struct mm_struct *mm)', '/* kpath: holds mm->page_table_lock, &dev->mtx (mutex) */', ['mm']));
    expect(a.mustHold).toEqual([
      { lock: 'mm->page_table_lock', text: 'kpath: holds mm->page_table_lock, &dev->mtx (mutex)', source: 'kpath', class: 'spin', ref: { arg: 0, field: 'page_table_lock' } },
      { lock: 'dev->mtx', text: 'kpath: holds mm->page_table_lock, &dev->mtx (mutex)', source: 'kpath', class: 'mutex' },
    ]);
  });
  test('acquires and releases', () => {
    const a = functionAnnotations(fn('void f(void)', '/*\n * kpath: acquires big_lock\n * kpath: releases other_lock\n */'));
    expect(locks(a.acquires)).toEqual(['big_lock']);
    expect(locks(a.releases)).toEqual(['other_lock']);
  });
  test('may-sleep, never-sleeps, atomic', () => {
    expect(functionAnnotations(fn('void f(void)', '// kpath: may-sleep waits for the firmware')).sleeps).toEqual({ why: 'waits for the firmware' });
    expect(functionAnnotations(fn('void f(void)', '/* kpath: may-sleep */')).sleeps).toEqual({ why: 'annotated kpath: may-sleep' });
    const n = functionAnnotations(fn('void f(void)', '/* kpath: never-sleeps */\n/* kpath: may-sleep */'));
    expect(n.neverSleeps).toBe(true);
    expect(n.sleeps).toBeUndefined();
    expect(functionAnnotations(fn('void f(void)', '/* kpath: atomic hardirq */')).atomic).toEqual({ kind: 'hardirq', text: 'kpath: atomic hardirq' });
    expect(functionAnnotations(fn('void f(void)', '/* kpath: atomic */')).atomic?.kind).toBe('preempt');
  });
  test('maps a serie, with releasers and key', () => {
    expect(functionAnnotations(fn('pte_t *f(void)', '/* kpath: maps PAGETABLE released-by my_unmap, pte_kunmap */')).map).toEqual({
      kind: 'persistent',
      serie: 'PAGETABLE',
      blocks: true,
      key: 'result',
      releasedBy: ['my_unmap', 'pte_kunmap'],
    });
    expect(functionAnnotations(fn('void *f(struct page *p)', '/* kpath: maps DEFAULT key arg 0 */')).map).toEqual({
      kind: 'persistent',
      serie: 'DEFAULT',
      blocks: true,
      key: { arg: 0 },
      releasedBy: [],
    });
    expect(functionAnnotations(fn('void *f(void)', '/* kpath: maps atomic released-by my_kunmap_atomic */')).map).toEqual({
      kind: 'atomic',
      blocks: false,
      key: 'result',
      releasedBy: ['my_kunmap_atomic'],
    });
  });
  test('unmaps', () => {
    expect(functionAnnotations(fn('void f(void *p)', '/* kpath: unmaps */')).unmap).toEqual({ kinds: ['persistent', 'atomic', 'local', 'nowait'], keyArg: 0 });
    expect(functionAnnotations(fn('void f(int x, void *p)', '/* kpath: unmaps local arg 1 */')).unmap).toEqual({ kinds: ['local'], keyArg: 1 });
  });
  test('a malformed annotation is not honoured', () => {
    const a = functionAnnotations(fn('void f(void)', '/* kpath: maps PAGETABLE3 */\n/* kpath: holds a b c */'));
    expect(a.map).toBeUndefined();
    expect(a.mustHold).toEqual([]);
  });
  test('"kpath:" in the middle of prose is not an annotation', () => {
    expect(functionAnnotations(fn('void f(void)', '/* see the kpath: holds docs */')).mustHold).toEqual([]);
  });
});

describe('suppressions', () => {
  test('a reasoned suppression silences its line and the next', () => {
    const ir = file([
      ['/* kpath: ignore sleep-in-atomic: the pool cannot be empty here */', 10],
      ['// kpath: ignore kmap-leak, kunmap-order: released by the caller', 20],
    ]);
    const { suppressions, problems } = fileSuppressions(ir);
    expect(problems).toEqual([]);
    expect(suppressions).toEqual([
      {
        rules: ['sleep-in-atomic'],
        reason: 'the pool cannot be empty here',
        span: { line: 10, column: 1, endLine: 10, endColumn: 10 },
        fromLine: 10,
        toLine: 11,
      },
      {
        rules: ['kmap-leak', 'kunmap-order'],
        reason: 'released by the caller',
        span: { line: 20, column: 1, endLine: 20, endColumn: 10 },
        fromLine: 20,
        toLine: 21,
      },
    ]);
    expect(isSuppressed({ rule: 'sleep-in-atomic', line: 11 }, suppressions)).toBe(true);
    expect(isSuppressed({ rule: 'sleep-in-atomic', line: 10 }, suppressions)).toBe(true);
    expect(isSuppressed({ rule: 'sleep-in-atomic', line: 12 }, suppressions)).toBe(false);
    expect(isSuppressed({ rule: 'kmap-leak', line: 11 }, suppressions)).toBe(false);
    expect(isSuppressed({ rule: 'kunmap-order', line: 21 }, suppressions)).toBe(true);
  });
  test('in a block comment, from the directive line to the line after the comment', () => {
    const { suppressions } = fileSuppressions(file([['/*\n * Explained at length.\n * kpath: ignore lock-imbalance: returns with it held\n */', 30, 33]]));
    expect(suppressions.map((s) => [s.fromLine, s.toLine])).toEqual([[32, 34]]);
  });
  test('without a reason or with an unknown rule: not honoured, and a problem naming the line', () => {
    const ir = file([
      ['/* kpath: ignore sleep-in-atomic */', 5],
      ['/* kpath: ignore sleep-in-atomic:   */', 6],
      ['/* kpath: ignore sleep-in-atomc: typo */', 7],
      ['/* kpath: ignore */', 8],
      ['/* kpath: mpas DEFAULT */', 9],
      ['/* kpath: maps PAGETABLE3 */', 12],
      ['/* kpath: holds */', 13],
      ['/* ordinary comment */', 14],
    ]);
    const { suppressions, problems } = fileSuppressions(ir);
    expect(suppressions).toEqual([]);
    expect(problems).toEqual([
      { file: 'mm/x.c', message: "line 5: kpath: ignore sleep-in-atomic: a suppression needs a reason after ':'; not honoured" },
      { file: 'mm/x.c', message: "line 6: kpath: ignore sleep-in-atomic: a suppression needs a reason after ':'; not honoured" },
      {
        file: 'mm/x.c',
        message:
          'line 7: kpath: ignore: unknown rule id "sleep-in-atomc" (known: sleep-in-atomic, kmap-serie-reentry, kmap-serie-order, kmap-leak, kunmap-order, kunmap-mismatch, lock-imbalance); not honoured',
      },
      { file: 'mm/x.c', message: 'line 8: kpath: ignore needs a rule id and a reason: "kpath: ignore <rule>: <reason>"; not honoured' },
      {
        file: 'mm/x.c',
        message: 'line 9: kpath: unknown annotation "mpas" (known: holds, acquires, releases, atomic, may-sleep, never-sleeps, maps, unmaps, ignore)',
      },
      { file: 'mm/x.c', message: 'line 12: kpath: maps: unknown serie "PAGETABLE3" (known: PAGETABLE2, PAGETABLE, DEFAULT, or atomic, local, nowait)' },
      { file: 'mm/x.c', message: 'line 13: kpath: holds needs a lock expression' },
    ]);
  });
});

describe('dropped and retaken', () => {
  test('__releases(x) __acquires(x) is a lock dropped inside, held on entry and exit (listed in drops too)', () => {
    const a = functionAnnotations(
      fn('static bool maybe_create_worker(struct worker_pool *pool) __releases(&pool->lock) __acquires(&pool->lock) __acquires(&other)', '', ['pool']),
    );
    expect(a.drops).toEqual([{ lock: 'pool->lock', text: '__releases(&pool->lock)', source: 'header', ref: { arg: 0, field: 'lock' } }]);
    expect(locks(a.acquires)).toEqual(['pool->lock', 'other']);
    expect(locks(a.releases)).toEqual(['pool->lock']);
  });
});

describe('comment capitalisation', () => {
  test('a capital starting the sentence is not part of the name; an all-caps word is no lock', () => {
    expect(locks(functionAnnotations(fn('void f(void)', '/* Lru_lock must be held */')).mustHold)).toEqual(['lru_lock']);
    expect(locks(functionAnnotations(fn('void f(void)', '/* Called under the PTL */')).mustHold)).toEqual([]);
  });
});
