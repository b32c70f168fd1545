/** The Program's API beyond findings: incremental updates, removal, hover state, serie nestings, summaries. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CParser, DEFAULT_CONFIG, Program, createCParser, lowerFile } from '../server/src/engine/index';
import { resolveConfig } from '../server/src/engine/kernel/config';
import { readGrammarBinaries } from '../server/src/host/grammars';
import { summaryKey } from '../server/src/engine/summaries';
import type { FileIR, FunctionIR } from '../server/src/engine/ir';
import type { BodyStore } from '../server/src/engine/program';
import type { PathEvent } from '../server/src/engine/finding';
import { type SavedItem, SavedEvents, eventHash, unpackEvents } from '../server/src/engine/saved-program';

let parser: CParser;
beforeAll(async () => {
  parser = await createCParser(readGrammarBinaries());
});

const fixture = (p: string) => readFileSync(join(__dirname, 'fixtures', p), 'utf8');
const FORK = 'kernel/fork.c';
const MEMORY = 'mm/memory.c';

function update(program: Program, file: string, text: string, options: { onDemand?: boolean } = {}): void {
  const tree = parser.parse(text);
  try {
    program.update(lowerFile(tree, file), options);
  } finally {
    tree.delete();
  }
}

function brief(program: Program, files?: string[]): string[] {
  return program.check(files).map((f) => `${f.file}:${f.line} ${f.rule}`);
}

describe('Program', () => {
  const fork = () => fixture('sleep-in-atomic/fork/kernel/fork.c');
  const memory = () => fixture('sleep-in-atomic/fork/mm/memory.c');

  it('follows a caller in another file, and forgets it when the file goes', () => {
    const program = new Program(DEFAULT_CONFIG);
    update(program, MEMORY, memory());
    expect(brief(program)).toEqual([`${MEMORY}:21 kmap-serie-order`]);
    update(program, FORK, fork());
    expect(brief(program)).toEqual([`${MEMORY}:21 kmap-serie-order`, `${MEMORY}:21 sleep-in-atomic`]);
    program.remove(FORK);
    expect(brief(program)).toEqual([`${MEMORY}:21 kmap-serie-order`]);
  });

  it("explores a warning's branch when the configuration's `warnings` leaves its macro out", () => {
    const WARNED = 'sleep-in-atomic/warning-branch.c';
    const strict = new Program(DEFAULT_CONFIG);
    update(strict, WARNED, fixture(WARNED));
    expect(brief(strict)).toEqual([`${WARNED}:35 sleep-in-atomic`, `${WARNED}:44 sleep-in-atomic`]);
    const { config } = resolveConfig(JSON.stringify({ warnings: ['WARN_ONCE'] }), '.kpath.json');
    const explored = new Program(config);
    update(explored, WARNED, fixture(WARNED));
    expect(brief(explored)).toEqual([`${WARNED}:17 sleep-in-atomic`, `${WARNED}:35 sleep-in-atomic`, `${WARNED}:44 sleep-in-atomic`, `${WARNED}:53 lock-imbalance`]);
  });

  it("ends a path at a call the configuration's `neverReturns` names", () => {
    const FILE = 'drivers/foo/fatal.c';
    const text = [
      'void foo_fatal(const char *why);',
      '',
      'int foo_start(struct foo *f)',
      '{',
      '\tspin_lock(&f->lock);',
      '\tif (!f->ready) {',
      '\t\tfoo_fatal("not ready");',
      '\t\treturn -EIO;',
      '\t}',
      '\tspin_unlock(&f->lock);',
      '\treturn 0;',
      '}',
      '',
    ].join('\n');
    const plain = new Program(DEFAULT_CONFIG);
    update(plain, FILE, text);
    expect(brief(plain)).toEqual([`${FILE}:8 lock-imbalance`]);
    const { config, problems } = resolveConfig(JSON.stringify({ neverReturns: ['foo_fatal'] }), '.kpath.json');
    expect(problems).toEqual([]);
    const declared = new Program(config);
    update(declared, FILE, text);
    expect(brief(declared)).toEqual([]);
  });

  it('gives after an edit what a fresh program gives', () => {
    const program = new Program(DEFAULT_CONFIG);
    update(program, FORK, fork());
    update(program, MEMORY, memory());
    expect(brief(program, [MEMORY])).toEqual([`${MEMORY}:21 kmap-serie-order`, `${MEMORY}:21 sleep-in-atomic`]);

    const fixed = memory().replace('pte_offset2(src_pmd', 'pte_offset_atomic2(src_pmd');
    update(program, MEMORY, fixed);
    expect(brief(program)).toEqual([]);

    // The caller's lock moves: the callee's finding follows it.
    const unlockedEarly = fork().replace('\t\tretval = copy_page_range(mm, current->mm, mpnt);', '\t\tspin_unlock(&mm->page_table_lock);\n\t\tretval = copy_page_range(mm, current->mm, mpnt);\n\t\tspin_lock(&mm->page_table_lock);');
    update(program, MEMORY, memory());
    update(program, FORK, unlockedEarly);
    const fresh = new Program(DEFAULT_CONFIG);
    update(fresh, FORK, unlockedEarly);
    update(fresh, MEMORY, memory());
    expect(brief(program)).toEqual(brief(fresh));
    expect(brief(program)).toEqual([`${MEMORY}:21 kmap-serie-order`]);
  });

  it('says what is held at a point, and where it came from', () => {
    const program = new Program(DEFAULT_CONFIG);
    update(program, FORK, fork());
    update(program, MEMORY, memory());
    const state = program.stateAt(MEMORY, 22, 3)!;
    expect(state.function).toBe('copy_page_range');
    const lock = state.held.find((h) => h.what === 'lock')!;
    expect(lock.name).toBe('dst->page_table_lock');
    expect(lock.onAllPaths).toBe(false); // the context without a caller holds nothing
    expect(lock.origin.map((e) => `${e.file}:${e.line} ${e.kind}`)).toEqual([`${FORK}:8 lock`, `${FORK}:9 call`]);
    const pins = state.held.filter((h) => h.what === 'pin').map((h) => `${h.name}: ${h.detail}`);
    expect(pins).toEqual(['dst_pte: persistent kmap, PAGETABLE serie', 'src_pte: persistent kmap, PAGETABLE2 serie']);
  });

  it('hands no context from one architecture to another through generic code', () => {
    const program = new Program(DEFAULT_CONFIG);
    const at = (p: string) => [p, fixture(`sleep-in-atomic/per-arch/${p}`)] as const;
    for (const [file, text] of [at('arch/bar/platforms/dma_lib.c'), at('drivers/of/address.c'), at('arch/x86/mm/memtype.c')]) update(program, file, text);
    // bar's lock reaches generic foo_of_iomap(), and stops before x86's foo_memtype_reserve().
    expect(program.stateAt('drivers/of/address.c', 4, 6)!.held.map((h) => h.name)).toEqual(['bar_init_lock']);
    expect(program.stateAt('arch/x86/mm/memtype.c', 3, 30)!.held).toEqual([]);
    const [file, text] = at('drivers/foo/probe.c');
    update(program, file, text);
    expect(program.stateAt('arch/x86/mm/memtype.c', 3, 30)!.held.map((h) => h.name)).toEqual(['foo_probe_lock']);
  });

  it('lists every serie taken while another is pinned', () => {
    const program = new Program(DEFAULT_CONFIG);
    update(program, 'mremap.c', fixture('kmap-serie-reentry/mremap.c'));
    update(program, 'order.c', fixture('kmap-serie-order/right-order.c'));
    const nestings = program.serieNestings().map((n) => `${n.outer}>${n.inner} ${n.path.map((e) => `${e.file}:${e.line}`).join(',')}`);
    expect(nestings).toEqual([
      'PAGETABLE>PAGETABLE mremap.c:7,mremap.c:8',
      'PAGETABLE2>PAGETABLE order.c:5,order.c:6',
      'PAGETABLE2>DEFAULT order.c:5,order.c:7',
      'PAGETABLE>DEFAULT order.c:6,order.c:7',
    ]);
  });

  it('summarises lock helpers and kmap wrappers for their callers', () => {
    const program = new Program(DEFAULT_CONFIG);
    update(program, 'helpers.c', fixture('lock-imbalance/helpers.c'));
    update(program, 'map.c', fixture('kmap-serie-reentry/wrapper/map.c'));
    expect(program.summaryOf('helpers.c', 'foo_lock')!.acquires.map((l) => `${l.lock}:${l.class}`)).toEqual(['dev->lock:spin']);
    expect(program.summaryOf('helpers.c', 'foo_lock_annotated')!.acquires.map((l) => l.lock)).toEqual(['dev->lock']);
    expect(program.summaryOf('helpers.c', 'foo_trylock')!.acquires).toEqual([]);
    const wrapper = program.summaryOf('map.c', 'map_table_plain')!.returnsPin!;
    expect([wrapper.kind, wrapper.serie, wrapper.callee]).toEqual(['persistent', 'PAGETABLE', 'pte_offset']);
  });

  it('summarises a lock taken where the function returns no error pointer, and its balanced callers as releasing nothing', () => {
    const program = new Program(DEFAULT_CONFIG);
    update(program, 'entry.c', fixture('sleep-in-atomic/error-pointer-on-failure.c'));
    const helper = program.summaryOf('entry.c', 'foo_add_entry')!;
    expect(helper.acquires).toEqual([]);
    expect(helper.condAcquires!.map((l) => `${l.lock}:${l.class}:${l.heldWhenZero ?? false}`)).toEqual(['t->lock:spin:false']);
    for (const caller of ['foo_ref_add', 'foo_ref_add_logged', 'foo_ref_add_all']) {
      const summary = program.summaryOf('entry.c', caller)!;
      expect([caller, summary.releases, summary.condReleases ?? [], summary.acquires]).toEqual([caller, [], [], []]);
    }
  });

  it("takes a seqlock's lockless-or-locking reader loop for balanced, whatever the header's bodies say", () => {
    const program = new Program(DEFAULT_CONFIG);
    // The bodies as a header has them: each takes or drops the lock on one parity of the sequence.
    update(
      program,
      'seqlock.h',
      [
        'static inline void read_seqbegin_or_lock(seqlock_t *lock, int *seq)',
        '{',
        '\tif (!(*seq & 1))',
        '\t\t*seq = read_seqbegin(lock);',
        '\telse',
        '\t\tspin_lock(&lock->lock);',
        '}',
        '',
        'static inline void done_seqretry(seqlock_t *lock, int seq)',
        '{',
        '\tif (seq & 1)',
        '\t\tspin_unlock(&lock->lock);',
        '}',
        '',
      ].join('\n'),
      { onDemand: true },
    );
    update(
      program,
      'path.c',
      [
        'char *foo_path(struct foo_dentry *d, char *buf)',
        '{',
        '\tint seq = 0;',
        '',
        'again:',
        '\tread_seqbegin_or_lock(&foo_rename_lock, &seq);',
        '\tfoo_walk(d, buf);',
        '\tif (need_seqretry(&foo_rename_lock, seq)) {',
        '\t\tseq = 1;',
        '\t\tgoto again;',
        '\t}',
        '\tdone_seqretry(&foo_rename_lock, seq);',
        '\treturn buf;',
        '}',
        '',
      ].join('\n'),
    );
    const path = program.summaryOf('path.c', 'foo_path')!;
    expect([path.acquires, path.releases, path.condReleases, path.inert]).toEqual([[], [], undefined, true]);
  });

  it("summarises the caller's locks a function releases before it sleeps", () => {
    const program = new Program(DEFAULT_CONFIG);
    update(
      program,
      'grow.c',
      [
        'static int foo_grow(struct foo *f)',
        '{',
        '\tvoid *p;',
        '',
        '\tspin_unlock(&f->lock);',
        '\tp = kmalloc(64, GFP_KERNEL);',
        '\tspin_lock(&f->lock);',
        '\treturn p != NULL;',
        '}',
        '',
        'static void foo_wait(struct foo *f)',
        '{',
        '\tmsleep(1);',
        '\tspin_unlock(&f->lock);',
        '\tkmalloc(64, GFP_KERNEL);',
        '}',
        '',
      ].join('\n'),
    );
    const grow = program.summaryOf('grow.c', 'foo_grow')!;
    expect([grow.sleeps?.at(-1)?.callee, grow.sleepsAfterReleasing]).toEqual(['kmalloc', ['f->lock']]);
    // A sleep before the release is what a caller holding the lock must hear of.
    const wait = program.summaryOf('grow.c', 'foo_wait')!;
    expect([wait.sleeps?.at(-1)?.callee, wait.sleepsAfterReleasing]).toEqual(['msleep', undefined]);
     // Two calls down (jffs2_do_reserve_space() -> jffs2_find_nextblock()): the release is carried up.
    update(program, 'reserve.c', 'int foo_reserve(struct foo *f)\n{\n\treturn foo_grow_shared(f);\n}\n');
    update(program, 'shared.c', 'int foo_grow_shared(struct foo *f)\n{\n\tspin_unlock(&f->lock);\n\tmsleep(1);\n\tspin_lock(&f->lock);\n\treturn 0;\n}\n');
    expect(program.summaryOf('reserve.c', 'foo_reserve')!.sleepsAfterReleasing).toEqual(['f->lock']);
    // Calls between the release and the sleep (migration_entry_wait_on_locked()) do not hide it, and
    // the caller's mapping it unmaps first is named too.
    update(
      program,
      'wait.c',
      'void foo_wait_on_locked(pte_t *ptep, spinlock_t *ptl)\n{\n\tif (ptep)\n\t\tpte_unmap_unlock(ptep, ptl);\n\telse\n\t\tspin_unlock(ptl);\n\tfoo_prepare(ptep);\n\tio_schedule();\n}\n',
    );
    expect(program.summaryOf('wait.c', 'foo_wait_on_locked')!.sleepsAfterReleasing).toEqual(['%ptep', 'ptl']);
    // Released through a local of its own (fuse_send_writepage()'s `fi`): named as the function's, up the calls.
    update(program, 'local.c', fixture('sleep-in-atomic/released-through-own-local.c'));
    expect(program.summaryOf('local.c', 'foo_send_one')!.sleepsAfterReleasing).toEqual(['foo_send_one::fi->lock']);
    expect(program.summaryOf('local.c', 'foo_flush_writes')!.sleepsAfterReleasing).toEqual(['foo_send_one::fi->lock']);
    // Through a local that is NULL until it copies a path (__dentry_kill()'s `parent`): the path's lock.
    update(
      program,
      'kill.c',
      'void foo_kill(struct dentry *dentry)\n{\n\tstruct dentry *parent = NULL;\n\n\tif (!IS_ROOT(dentry))\n\t\tparent = dentry->d_parent;\n\tif (parent)\n\t\tspin_unlock(&parent->d_lock);\n\tspin_unlock(&dentry->d_lock);\n\tcond_resched();\n}\n',
    );
    const kill = program.summaryOf('kill.c', 'foo_kill')!;
    expect([kill.releases.map((l) => l.lock).sort(), kill.sleepsAfterReleasing]).toEqual([['dentry->d_lock', 'dentry->d_parent->d_lock'], ['dentry->d_lock']]);
  });

  it('summarises the shortest way to a sleep, whatever order the paths are explored in', () => {
    const program = new Program(DEFAULT_CONFIG);
    const text = (first: string, second: string) =>
      `static void foo_helper(void)\n{\n\tmsleep(1);\n}\n\nvoid foo(int a)\n{\n\tif (a)\n\t\t${first};\n\telse\n\t\t${second};\n}\n`;
    update(program, 'a.c', text('foo_helper()', 'msleep(2)'));
    update(program, 'b.c', text('msleep(2)', 'foo_helper()'));
    const sleeps = (file: string) => program.summaryOf(file, 'foo')!.sleeps!.map((e) => `${e.function}:${e.line} ${e.callee}`);
    expect(sleeps('a.c')).toEqual(['foo:11 msleep']);
    expect(sleeps('b.c')).toEqual(['foo:9 msleep']);
  });

  it('compares summaries without the order their lists were met in', () => {
    const summary = (exitsAtomic: string[], releases: string[]) => ({
      gfpSleeps: {},
      acquires: [],
      releases: releases.map((lock) => ({ lock, class: 'spin' as const, origin: [] })),
      exitsAtomic: exitsAtomic as ('irq' | 'preempt' | 'rcu')[],
    });
    expect(summaryKey(summary(['irq', 'rcu'], ['a->lock', 'b->lock']))).toBe(summaryKey(summary(['rcu', 'irq'], ['b->lock', 'a->lock'])));
  });

  it("re-analyses callers when a release starts turning interrupts back on (spin_unlock -> spin_unlock_irqrestore)", () => {
    const releasing = (restores?: 'irq') => ({ gfpSleeps: {}, acquires: [], releases: [{ lock: 'l', class: 'spin' as const, origin: [], ...(restores ? { restores } : {}) }] });
    expect(summaryKey(releasing('irq'))).not.toBe(summaryKey(releasing()));
  });

  it("leaves out of a summary the locks named through the function's own locals", () => {
    const program = new Program(DEFAULT_CONFIG);
    // finish_lock_switch()'s shape: the scheduler's rq lock, named through a local, released for a
    // caller that took it under another name. Carried up, every caller of schedule() released it.
    update(program, 'sched.c', 'void foo_finish(void)\n{\n\tstruct rq *rq = this_rq();\n\n\traw_spin_rq_unlock_irq(rq);\n\tspin_unlock(rq_lockp(rq));\n\tspin_unlock(&foo_global_lock);\n}\n');
    expect(program.summaryOf('sched.c', 'foo_finish')!.releases.map((l) => l.lock)).toEqual(['foo_global_lock']);
  });

  it('settles round a recursion whose lock names grow at each turn', () => {
    const program = new Program(DEFAULT_CONFIG);
    // regulator_unlock_supply()'s shape: the callee's `rdev->mutex` is the caller's
    // `rdev->supply->rdev->mutex`, one step longer round each turn.
    update(program, 'reg.c', 'static void reg_unlock_supply(struct rdev *rdev)\n{\n\tif (rdev->supply)\n\t\treg_unlock_supply(rdev->supply->rdev);\n\tmutex_unlock(&rdev->mutex);\n}\n');
    expect(program.summaryOf('reg.c', 'reg_unlock_supply')!.releases.map((l) => l.lock).sort()).toEqual([
      'rdev->mutex',
      'rdev->supply->rdev->mutex',
      'rdev->supply->rdev->supply->rdev->mutex',
      'rdev->supply->rdev->supply->rdev->supply->rdev->mutex',
    ]);
    expect(program.stats.summaries).toBe(5);
  });

  it('skips a function whose analysis throws, says so, and checks the rest', () => {
    const program = new Program(DEFAULT_CONFIG);
    update(program, 'good.c', fixture('lock-imbalance/early-return.c'));
    const tree = parser.parse('void broken(void) { f(); }');
    const ir = lowerFile(tree, 'bad.c');
    tree.delete();
    // An op the transfer function does not know: what a corrupt cache entry could hold.
    (ir.functions[0]!.blocks[ir.functions[0]!.entry]!.ops as unknown[]).push({ kind: 'bogus' });
    program.update(ir);
    expect(brief(program)).toEqual(['good.c:6 lock-imbalance']);
    expect(program.problems().map((p) => `${p.file}: ${p.message.split(':')[0]}`)).toEqual(['bad.c: broken() could not be analysed (skipped)']);
  });

  it('re-analyses only the function an edit changed', () => {
    const program = new Program(DEFAULT_CONFIG);
    const text = fixture('lock-imbalance/early-return.c');
    update(program, 'a.c', text);
    expect(brief(program)).toEqual(['a.c:6 lock-imbalance']);
    const before = { ...program.stats };
    // Same lines, another value: foo_queue changes, foo_queue_ok (below it) does not move.
    update(program, 'a.c', text.replace('return -ENOMEM; //', 'return -EINVAL; //'));
    expect(brief(program)).toEqual(['a.c:6 lock-imbalance']);
    // One exploration: foo_queue's summary and its run in its own context; nothing hands it a context.
    expect([program.stats.summaries - before.summaries, program.stats.handed - before.handed, program.stats.runs - before.runs]).toEqual([1, 0, 1]);
  });

  it('analyses a header helper added on demand only when something analysed calls it', () => {
    const program = new Program(DEFAULT_CONFIG);
    update(program, 'include/foo.h', 'static inline void foo_wait(void)\n{\n\tmsleep(1);\n}\n\nstatic inline void foo_idle(void)\n{\n\tfoo_wait();\n}\n', { onDemand: true });
    update(program, 'foo.c', 'void foo_work(void)\n{\n\tfoo_wait();\n}\n');
    expect(program.summaryOf('include/foo.h', 'foo_wait')?.sleeps?.at(-1)?.callee).toBe('msleep');
    // foo_idle calls foo_wait, whose summary changed; nothing analysed calls foo_idle.
    expect(program.summaryOf('include/foo.h', 'foo_idle')).toBeUndefined();
    expect(program.stats.summaries).toBe(2);
    update(program, 'idle.c', 'void foo_loop(void)\n{\n\tfoo_idle();\n}\n');
    expect(program.summaryOf('include/foo.h', 'foo_idle')?.sleeps?.map((e) => e.function)).toEqual(['foo_idle', 'foo_wait']);
  });

  it("forgets a header helper's findings when its last caller stops handing it a context", () => {
    const program = new Program(DEFAULT_CONFIG);
    update(program, 'include/foo.h', 'static inline void foo_idle(void)\n{\n\tschedule();\n}\n', { onDemand: true });
    update(program, 'foo.c', 'void foo_work(spinlock_t *l)\n{\n\tspin_lock(l);\n\tfoo_idle();\n\tspin_unlock(l);\n}\n');
    expect(program.check().map((f) => `${f.file}:${f.line} ${f.function}`)).toEqual(['include/foo.h:3 foo_idle']);
    update(program, 'foo.c', 'void foo_work(spinlock_t *l)\n{\n\tspin_lock(l);\n\tspin_unlock(l);\n}\n');
    expect(program.check()).toEqual([]);
  });

  it('answers after a save and a restore as it did, and then recomputes only what an update reaches', () => {
    const kept = new Map<string, readonly FunctionIR[]>();
    const bodies: BodyStore = { keep: (file, fns) => void kept.set(file, fns), load: (file, i) => kept.get(file)![i]! };
    const build = () => {
      const program = new Program(DEFAULT_CONFIG, { bodies });
      update(program, 'include/foo.h', 'static inline void foo_wait(void)\n{\n\tmsleep(1);\n}\n\nstatic inline void foo_grab(spinlock_t *l)\n{\n\tspin_lock(l);\n}\n', { onDemand: true });
      update(program, 'a.c', 'void a_work(spinlock_t *l)\n{\n\tspin_lock(l);\n\tfoo_wait();\n\tb_helper(l);\n\tspin_unlock(l);\n}\n');
      update(program, 'b.c', 'static void b_tick(struct timer_list *t)\n{\n\tb_helper(NULL);\n}\n\nvoid b_helper(spinlock_t *l)\n{\n\tkmalloc(8, GFP_KERNEL);\n}\n\nvoid b_start(struct b *b)\n{\n\ttimer_setup(&b->t, b_tick, 0);\n}\n');
      return program;
    };
    const saved = build();
    const findings = saved.check();
    expect(findings.map((f) => `${f.file}:${f.line} ${f.function}`)).toEqual(['b.c:8 b_helper', 'include/foo.h:3 foo_wait']);
    // Through JSON, as a host keeps it.
    const items = [...saved.save()].map((item) => JSON.parse(JSON.stringify(item)) as SavedItem);
    const written = JSON.stringify(items); // restoring changes the items in place
    const restored = Program.restore(DEFAULT_CONFIG, { bodies }, items);
    expect(restored.check()).toEqual(findings);
    expect(restored.stats.summaries + restored.stats.runs).toBe(0);
    // The helper nobody called is analysed once something calls it, as in the saved program.
    const edit = (program: Program) => {
      update(program, 'a.c', 'void a_work(spinlock_t *l)\n{\n\tfoo_grab(l);\n\tfoo_wait();\n\tspin_unlock(l);\n}\n');
      return program.check();
    };
    const expected = edit(saved);
    expect(expected.map((f) => `${f.file}:${f.line} ${f.function}: ${f.message}`)).toEqual([
      'b.c:8 b_helper: kmalloc() may sleep (GFP_KERNEL allocation) while in a timer callback (registered as a timer callback by timer_setup() in b_start() at b.c:13)',
      "include/foo.h:3 foo_wait: msleep() may sleep (sleeps until a timeout) while 'l' is held (taken by foo_grab() called by caller a_work at a.c:3)",
    ]);
    expect(edit(restored)).toEqual(expected);
    expect(restored.stats.summaries).toBe(2); // a_work, and foo_grab, which nothing called before
    expect(() => Program.restore(DEFAULT_CONFIG, { bodies }, items.slice(1))).toThrow('not a saved program');
    expect(() => Program.restore(DEFAULT_CONFIG, { bodies }, [{ t: 'format', format: 1 }])).toThrow('a saved program of format 1, not 12');
    // Saved as its last use: the same items, and a program that answers nothing after.
    const last = build();
    last.check();
    const spent = 'this program was saved as its last use (save({ last: true })) and answers nothing more';
    // `onLetGo` once, when the indexes are gone and before the first item: where the CLI collects.
    const seen: string[] = [];
    const lastItems: unknown[] = [];
    const onLetGo = () => {
      expect(() => last.check()).toThrow(spent);
      seen.push('let go');
    };
    for (const item of last.save({ last: true, onLetGo })) {
      seen.push(item.t);
      lastItems.push(item);
    }
    expect(JSON.stringify(lastItems)).toBe(written);
    expect(seen.slice(0, 2)).toEqual(['let go', 'format']);
    expect(seen.filter((t) => t === 'let go')).toHaveLength(1);
    expect(() => last.check()).toThrow(spent);
    expect(() => update(last, 'a.c', 'void a(void)\n{\n}\n')).toThrow(spent);
    expect(() => last.remove('a.c')).toThrow(spent);
    expect(() => [...last.save()]).toThrow(spent);
  });

  it("takes a call for a private header's macro of that name, as long as the header defines it, and after a restore", () => {
    const HEADER = 'drivers/foo/foo.h';
    const update2 = (program: Program, macro: boolean) =>
      update(program, HEADER, `#ifndef FOO_H\n#define FOO_H\n${macro ? '#define foo_poll(d, ...) __foo_poll(&(d)->core, __VA_ARGS__)\n' : ''}#endif\n`, { onDemand: true });
    const kept = new Map<string, readonly FunctionIR[]>();
    const bodies: BodyStore = { keep: (file, fns) => void kept.set(file, fns), load: (file, i) => kept.get(file)![i]! };
    const program = new Program(DEFAULT_CONFIG, { bodies });
    update2(program, true);
    update(program, 'drivers/bar/core.c', 'void foo_poll(struct bar *b, int reg)\n{\n\tmsleep(1);\n}\n');
    update(program, 'drivers/foo/a/irq.c', 'void foo_tick(struct foo *f)\n{\n\tspin_lock(&f->lock);\n\tfoo_poll(f, 1);\n\tspin_unlock(&f->lock);\n}\n');
    expect(brief(program)).toEqual([]);
    const items = [...program.save()].map((item) => JSON.parse(JSON.stringify(item)) as SavedItem);
    const restored = Program.restore(DEFAULT_CONFIG, { bodies }, items);
    expect(brief(restored)).toEqual([]);
    // The header stops defining it: the call is the global function's again.
    for (const p of [program, restored]) {
      update2(p, false);
      expect(brief(p)).toEqual(['drivers/bar/core.c:3 sleep-in-atomic']);
      update2(p, true);
      expect(brief(p)).toEqual([]);
    }
  });

  it("reads an argument written with a header's macro as or-ing in the macro's bits, in summaries too, after an edit of the header and a restore", () => {
    const HEADER = 'drivers/foo/foo_ct.h';
    const header = (bit: string) => `#define MAKE_SEND_FLAGS(len) ({ \\\n\tBUG_ON((len) > 255); \\\n\t((len) | ${bit}); \\\n})\n`;
    const kept = new Map<string, readonly FunctionIR[]>();
    const bodies: BodyStore = { keep: (file, fns) => void kept.set(file, fns), load: (file, i) => kept.get(file)![i]! };
    const program = new Program(DEFAULT_CONFIG, { bodies });
    update(program, HEADER, header('FOO_SEND_NB'), { onDemand: true });
    update(
      program,
      'drivers/foo/ct.c',
      [
        'int foo_ct_send(struct foo_ct *ct, u32 len, u32 flags)\n{\n\tif (flags & FOO_SEND_NB)\n\t\treturn foo_send_nb(ct, len);\n\tmsleep(1);\n\treturn 0;\n}\n',
        'int foo_send_nb(struct foo_ct *ct, u32 len, u32 g2h)\n{\n\treturn foo_ct_send(ct, len, MAKE_SEND_FLAGS(g2h));\n}\n',
        'void foo_submit(struct foo_ct *ct)\n{\n\tspin_lock(&ct->lock);\n\tfoo_send_nb(ct, 2, 0);\n\tspin_unlock(&ct->lock);\n}\n',
      ].join(''),
    );
    const sleeps = (p: Program) => {
      const s = p.summaryOf('drivers/foo/ct.c', 'foo_send_nb')!;
      return [...(s.sleeps ?? []), ...(s.condSleeps ?? []).flatMap((c) => c.chain)].map((e) => `${e.file}:${e.line} ${e.callee}`);
    };
    expect(brief(program)).toEqual([]);
    expect(sleeps(program)).toEqual([]);
    const items = [...program.save()].map((item) => JSON.parse(JSON.stringify(item)) as SavedItem);
    const restored = Program.restore(DEFAULT_CONFIG, { bodies }, items);
    expect(brief(restored)).toEqual([]);
    // The macro or-s in another bit: the sender's blocking way is taken, in the summary and under the lock.
    for (const p of [program, restored]) {
      update(p, HEADER, header('FOO_SEND_WAIT'), { onDemand: true });
      expect(brief(p)).toEqual(['drivers/foo/ct.c:5 sleep-in-atomic']);
      expect(sleeps(p)).toEqual(['drivers/foo/ct.c:10 foo_ct_send', 'drivers/foo/ct.c:5 msleep']);
      update(p, HEADER, header('FOO_SEND_NB'), { onDemand: true });
      expect(brief(p)).toEqual([]);
      expect(sleeps(p)).toEqual([]);
    }
  });

  it("summarises a sleep behind a context test through a local as one a caller in that context does not reach, when the local was set with nothing held", () => {
    const program = new Program(DEFAULT_CONFIG);
    update(program, 'busy.c', fixture('sleep-in-atomic/context-test-through-local.c'));
    const unlessIn = (name: string) => (program.summaryOf('busy.c', name)!.condSleeps ?? []).map((c) => `${c.chain.at(-1)!.callee} ${(c.unlessIn ?? []).join(',')}`);
    expect(unlessIn('foo_send_busy_loop')).toEqual(['msleep bh,hardirq,irq,softirq,tasklet,timer']);
    expect(unlessIn('foo_wait_ack')).toEqual(['usleep_range bh,hardirq,irq,softirq,tasklet,timer']);
    // asked on entry, tested under the function's own irqsave lock: still about the caller's context
    expect(unlessIn('foo_op_lock')).toEqual(['mutex_lock bh,hardirq,irq,softirq,tasklet,timer']);
  });

  it('restores a program that keeps its bodies from the IRs it is given, and a file that changed since from its update', () => {
    const texts: Record<string, string> = {
      'include/foo.h': 'static inline void foo_wait(void)\n{\n\tmsleep(1);\n}\n',
      'a.c': 'void a_work(spinlock_t *l)\n{\n\tspin_lock(l);\n\tb_helper(l);\n\tspin_unlock(l);\n}\n',
      'b.c': 'void b_helper(spinlock_t *l)\n{\n\tcpu_relax();\n}\n',
    };
    const irs = new Map<string, FileIR>();
    const lower = (file: string) => {
      const tree = parser.parse(texts[file]!);
      try {
        irs.set(file, lowerFile(tree, file));
      } finally {
        tree.delete();
      }
      return irs.get(file)!;
    };
    const saved = new Program(DEFAULT_CONFIG);
    saved.update(lower('include/foo.h'), { onDemand: true });
    saved.update(lower('a.c'));
    saved.update(lower('b.c'));
    expect(saved.check()).toEqual([]);
    const items = [...saved.save()].map((item) => JSON.parse(JSON.stringify(item)) as SavedItem);
    expect(() => Program.restore(DEFAULT_CONFIG, {}, items)).toThrow('restoring a program needs its bodies');

    // b.c changed while the program was kept: its helper now waits, under a_work's lock.
    texts['b.c'] = 'void b_helper(spinlock_t *l)\n{\n\tfoo_wait();\n}\n';
    lower('b.c');
    const restored = Program.restore(DEFAULT_CONFIG, {}, items, (file, index) => (file === 'b.c' ? undefined : irs.get(file)!.functions[index]));
    restored.update(irs.get('b.c')!);
    const fresh = new Program(DEFAULT_CONFIG);
    for (const ir of irs.values()) fresh.update(ir, { onDemand: ir.file.endsWith('.h') });
    const expected = fresh.check();
    expect(expected.map((f) => `${f.file}:${f.line} ${f.function}: ${f.message}`)).toEqual([
      "include/foo.h:3 foo_wait: msleep() may sleep (sleeps until a timeout) while 'l' is held (taken by caller a_work at a.c:3)",
    ]);
    expect(restored.check()).toEqual(expected);
    // Only the changed file and what it reaches ran again.
    expect(restored.stats.summaries).toBe(3);
    // A file the restore had no body for, and that was not updated: a problem that says so.
    const stale = Program.restore(DEFAULT_CONFIG, {}, items, (file, index) => (file === 'include/foo.h' ? irs.get(file)!.functions[index] : undefined));
    stale.update(irs.get('b.c')!);
    expect(stale.check()).toEqual([]);
    expect(stale.problems(['a.c']).map((p) => p.message)).toEqual([
      'a_work() could not be analysed (skipped): a.c changed since the program was saved and was not updated after restoring it',
    ]);
  });

  it('reports the sleeps of one cause once, where the chain is shortest, and for the files of any of them with orThrough', () => {
    const program = new Program(DEFAULT_CONFIG);
    update(program, 'a.c', 'void a_work(spinlock_t *l)\n{\n\tspin_lock(l);\n\tb_helper();\n\tspin_unlock(l);\n}\n');
    update(program, 'b.c', 'void b_helper(void)\n{\n\tmsleep(1);\n\tc_inner();\n}\n');
    update(program, 'c.c', 'void c_inner(void)\n{\n\tmutex_lock(&m);\n}\n');
    const all = program.check();
    expect(all.map((f) => `${f.file}:${f.line} ${f.more ?? 0} ${f.message}`)).toEqual([
      "b.c:3 1 msleep() may sleep (sleeps until a timeout) while 'l' is held (taken by caller a_work at a.c:3); the call to b_helper() at a.c:4 reaches 1 more sleeping call, not reported apart",
    ]);
    // The file of the sleep not reported apart: nothing of its own, but the report stands for it.
    expect(program.check(['c.c'])).toEqual([]);
    expect(program.check(['c.c'], { orThrough: true })).toEqual(all);
    // b_helper() no longer reaches c_inner(): one sleep, reported with no count.
    update(program, 'b.c', 'void b_helper(void)\n{\n\tmsleep(1);\n}\n');
    expect(program.check().map((f) => `${f.file}:${f.line} ${f.more ?? 0}`)).toEqual(['b.c:3 0']);
  });

  it("keeps a sleep behind a parameter's test conditional after the function took and dropped a lock of its own", () => {
    // drbd's _drbd_thread_stop(): its own t_lock released before `if (wait) wait_for_completion()`.
    const program = new Program(DEFAULT_CONFIG);
    update(program, 'a.c', 'void foo_stop(struct foo_thread *thi, int restart, int wait)\n{\n\tunsigned long flags;\n\n\tspin_lock_irqsave(&thi->t_lock, flags);\n\tthi->state = 2;\n\tspin_unlock_irqrestore(&thi->t_lock, flags);\n\tif (wait)\n\t\twait_for_completion(&thi->stop);\n}\n\nvoid foo_drop(spinlock_t *l, int wait)\n{\n\tspin_unlock(l);\n\tif (wait)\n\t\tmsleep(1);\n}\n');
    const stop = program.summaryOf('a.c', 'foo_stop');
    expect(stop?.sleeps).toBeUndefined();
    expect(stop?.condSleeps?.map((c) => [c.when, c.chain.at(-1)?.callee])).toEqual([[[[2, true]], 'wait_for_completion']]);
    // A caller's lock dropped first is said, and the test is kept with it.
    const drop = program.summaryOf('a.c', 'foo_drop');
    expect(drop?.sleeps).toBeUndefined();
    expect(drop?.condSleeps?.map((c) => [c.when, c.chain.at(-1)?.callee, c.released])).toEqual([[[[1, true]], 'msleep', ['l']]]);
    // drbd's case in the whole tree: send_sig()'s summary releases a lock it does not take.
    update(program, 'b.c', 'void foo_signal(struct task *t)\n{\n\tspin_unlock(&t->siglock);\n}\n\nvoid foo_halt(struct foo_thread *thi, int wait)\n{\n\tfoo_signal(thi->task);\n\tif (wait)\n\t\twait_for_completion(&thi->stop);\n}\n');
    const halt = program.summaryOf('b.c', 'foo_halt');
    expect(halt?.sleeps).toBeUndefined();
    expect(halt?.condSleeps?.map((c) => [c.when, c.chain.at(-1)?.callee, c.released])).toEqual([[[[1, true]], 'wait_for_completion', ['thi->task->siglock']]]);
  });

  it('summarises references taken and dropped, and a sleep behind a last put as one a holder of a reference does not reach', () => {
    const program = new Program(DEFAULT_CONFIG);
    update(program, 'refs.c', fixture('sleep-in-atomic/reference-balanced.c'));
    const summary = (name: string) => program.summaryOf('refs.c', name)!;
    expect(summary('foo_link_hold').gets).toEqual(['lnk->refcnt']);
    const put = summary('foo_link_put');
    expect([put.sleeps, put.puts, put.condSleeps?.map((c) => [c.when, c.chain.at(-1)?.callee, c.unlessRefs])]).toEqual([
      undefined,
      ['lnk->refcnt'],
      [[[], 'mutex_lock', ['lnk->refcnt']]],
    ]);
    // Two last puts on the way, the volume's through a local copy: a reference on either rules it out.
    expect(summary('foo_put_cookie').condSleeps?.map((c) => c.unlessRefs)).toEqual([['cookie->ref', 'cookie->volume->ref']]);
    // A get, then a put of it where the work was queued already: no sleep, and the reference given to the work.
    const queue = summary('foo_link_down_cond_sched');
    expect([queue.sleeps, queue.condSleeps, queue.gets, queue.puts]).toEqual([undefined, undefined, undefined, undefined]);
    // Summaries depend on these: a caller is re-analysed when they change.
    expect(summaryKey(put)).not.toEqual(summaryKey({ ...put, condSleeps: put.condSleeps!.map((c) => ({ ...c, unlessRefs: undefined })) }));
  });

  it('summarises a lock held where the function returns 0, and dropped where it returns anything else, as taken when it returns 0', () => {
    const program = new Program(DEFAULT_CONFIG);
    update(program, 'a.c', 'int foo_begin(struct foo *f)\n{\n\tmutex_lock(&f->lock);\n\tf->buf = kmalloc(16, GFP_KERNEL);\n\tif (f->buf)\n\t\treturn 0;\n\tmutex_unlock(&f->lock);\n\treturn -ENOMEM;\n}\n');
    const summary = program.summaryOf('a.c', 'foo_begin');
    expect(summary?.acquires).toEqual([]);
    expect(summary?.condAcquires?.map((c) => [c.lock, c.class, c.heldWhenZero])).toEqual([['f->lock', 'mutex', true]]);
    // Returning the same value both ways says nothing of success: no lock for the caller.
    update(program, 'a.c', 'int foo_begin(struct foo *f)\n{\n\tmutex_lock(&f->lock);\n\tif (f->buf)\n\t\treturn 0;\n\tmutex_unlock(&f->lock);\n\treturn 0;\n}\n');
    expect(program.summaryOf('a.c', 'foo_begin')?.condAcquires).toBeUndefined();
  });

  it("keeps a sleep behind a member's test in summaries, carried to the parameter the caller put there", () => {
    // iwlwifi's commands: `cmd->flags & CMD_ASYNC` decides whether sending waits for the answer.
    const program = new Program(DEFAULT_CONFIG);
    const text = [
      'int foo_send(struct foo_trans *t, struct foo_cmd *cmd)\n{\n\tif (cmd->flags & FOO_ASYNC)\n\t\treturn 0;\n\tmsleep(1);\n\treturn 1;\n}\n',
      // the member set from a parameter, or from a constant chosen by one
      'int foo_pdu(struct foo_trans *t, int id, unsigned int flags)\n{\n\tstruct foo_cmd cmd = { .id = id, .flags = flags };\n\n\treturn foo_send(t, &cmd);\n}\n',
      'int foo_sync(struct foo_trans *t, bool sync)\n{\n\tstruct foo_cmd cmd = { .flags = sync ? 0 : FOO_ASYNC };\n\n\treturn foo_send(t, &cmd);\n}\n',
      // changed on the synchronous branch only: still asynchronous when `flags` says so
      'int foo_sta(struct foo_trans *t, unsigned int flags)\n{\n\tstruct foo_cmd cmd = { .flags = flags };\n\n\tif (!(flags & FOO_ASYNC))\n\t\tcmd.flags |= FOO_WANT_SKB;\n\treturn foo_send(t, &cmd);\n}\n',
      // zero when the list does not name it; unknown once a callee had the structure
      'int foo_zero(struct foo_trans *t)\n{\n\tstruct foo_cmd cmd = { .id = 1 };\n\n\treturn foo_send(t, &cmd);\n}\n',
      'int foo_twice(struct foo_trans *t)\n{\n\tstruct foo_cmd cmd = { .flags = FOO_ASYNC };\n\n\tfoo_fill(&cmd);\n\treturn foo_send(t, &cmd);\n}\n',
    ].join('\n');
    update(program, 'a.c', text);
    const tests = (name: string) => {
      const summary = program.summaryOf('a.c', name);
      return { sleeps: summary?.sleeps?.at(-1)?.callee, when: summary?.condSleeps?.map((c) => c.when) };
    };
    expect(tests('foo_send')).toEqual({ sleeps: undefined, when: [[[1, false, '&FOO_ASYNC', 'flags']]] });
    expect(tests('foo_pdu')).toEqual({ sleeps: undefined, when: [[[2, false, '&FOO_ASYNC']]] });
    expect(tests('foo_sync')).toEqual({ sleeps: undefined, when: [[[1, true]]] });
    expect(tests('foo_sta')).toEqual({ sleeps: undefined, when: [[[1, false, '&FOO_ASYNC']]] });
    expect(tests('foo_zero')).toEqual({ sleeps: 'msleep', when: undefined });
    expect(tests('foo_twice')).toEqual({ sleeps: 'msleep', when: undefined });
  });

  it("keeps a sleep behind a member's truth in summaries, decided by what the caller set through its pointer", () => {
    // fuse's `args->force = true;` before fuse_simple_background(fm, args, GFP_ATOMIC)
    const program = new Program(DEFAULT_CONFIG);
    const text = [
      'int foo_send(struct foo_mount *fm, struct foo_args *args)\n{\n\tif (!args->force)\n\t\tmsleep(1);\n\treturn 0;\n}\n',
      'int foo_forced(struct foo_mount *fm, struct foo_wpa *wpa)\n{\n\tstruct foo_args *args = &wpa->args;\n\n\targs->force = true;\n\treturn foo_send(fm, args);\n}\n',
      // the member set from a parameter: carried to it
      'int foo_maybe(struct foo_mount *fm, struct foo_args *args, bool force)\n{\n\targs->force = force;\n\treturn foo_send(fm, args);\n}\n',
      // a call given the pointer may change the member
      'int foo_prepared(struct foo_mount *fm, struct foo_args *args)\n{\n\targs->force = true;\n\tfoo_prepare(args->in);\n\treturn foo_send(fm, args);\n}\n',
    ].join('\n');
    update(program, 'a.c', text);
    const tests = (name: string) => {
      const summary = program.summaryOf('a.c', name);
      return { sleeps: summary?.sleeps?.at(-1)?.callee, when: summary?.condSleeps?.map((c) => c.when) };
    };
    expect(tests('foo_send')).toEqual({ sleeps: undefined, when: [[[1, true, '0', 'force']]] });
    expect(tests('foo_forced')).toEqual({ sleeps: undefined, when: undefined });
    expect(tests('foo_maybe')).toEqual({ sleeps: undefined, when: [[[2, true, '0']]] });
    expect(tests('foo_prepared')).toEqual({ sleeps: 'msleep', when: undefined });
  });

  it('saves the summary inert functions share once, and shares it again when restored', () => {
    const kept = new Map<string, readonly FunctionIR[]>();
    const bodies: BodyStore = { keep: (file, fns) => void kept.set(file, fns), load: (file, i) => kept.get(file)![i]! };
    const program = new Program(DEFAULT_CONFIG, { bodies });
    update(program, 'a.c', 'int a_one(int x)\n{\n\treturn x + 1;\n}\n\nint a_two(int x)\n{\n\treturn x * 2;\n}\n\nvoid a_wait(void)\n{\n\tmsleep(1);\n}\n');
    program.check();
    expect(program.summaryOf('a.c', 'a_one')).toBe(program.summaryOf('a.c', 'a_two'));
    const items = [...program.save()].map((item) => JSON.parse(JSON.stringify(item)) as SavedItem);
    expect(items.filter((i) => i.t === 'inert')).toHaveLength(1);
    const fns = items.filter((i): i is Extract<SavedItem, { t: 'function' }> => i.t === 'function');
    expect(fns.map((f) => [f.head.name, f.inert === true, f.summary === undefined])).toEqual([
      ['a_one', true, true],
      ['a_two', true, true],
      ['a_wait', false, false],
    ]);
    const restored = Program.restore(DEFAULT_CONFIG, { bodies }, items);
    expect(restored.summaryOf('a.c', 'a_one')).toBe(restored.summaryOf('a.c', 'a_two'));
    expect(restored.summaryOf('a.c', 'a_one')).toEqual(program.summaryOf('a.c', 'a_one'));
    expect(restored.summaryOf('a.c', 'a_wait')).toEqual(program.summaryOf('a.c', 'a_wait'));
    expect(() => Program.restore(DEFAULT_CONFIG, { bodies }, items.filter((i) => i.t !== 'inert'))).toThrow('the saved program names the inert summary for a.c#a_one before defining it');
  });

  it('writes each path event once in a saved program, and reads back strings that look like its marks', () => {
    const event: PathEvent = { kind: 'lock', file: 'a.c', line: 3, column: 2, endLine: 3, endColumn: 10, message: "'l' taken", function: 'f' };
    const value = { origin: [event, { ...event }], odd: ['\u0001 not a mark', '\u0002 neither', 'plain'] };
    const defined: SavedItem[] = [];
    const packed = new SavedEvents().pack(value, defined);
    expect(defined).toEqual([{ t: 'event', id: 0, event }]);
    expect(packed.origin).toEqual(['\u00010', '\u00010']);
    expect(unpackEvents(JSON.parse(JSON.stringify(packed)), [event])).toEqual(value);
  });

  it('numbers events by their fields, whatever their order, and tells apart two that share a hash', () => {
    const event: PathEvent = { kind: 'lock', file: 'a.c', line: 3, column: 2, endLine: 3, endColumn: 10, message: "'l' taken", function: 'f' };
    const reordered = { function: 'f', message: "'l' taken", kind: 'lock', endColumn: 10, endLine: 3, column: 2, line: 3, file: 'a.c' } as PathEvent;
    const withLock: PathEvent = { ...event, lock: 'l' };
    expect(eventHash(reordered)).toBe(eventHash(event));
    // Two events whose hashes collide (found by trying messages m0, m1, ...).
    const pair: [PathEvent, PathEvent] = [{ ...event, message: 'm13387' }, { ...event, message: 'm1107810' }];
    expect(eventHash(pair[0])).toBe(eventHash(pair[1]));
    const defined: SavedItem[] = [];
    const events = new SavedEvents();
    const packed = events.pack([event, reordered, withLock, pair[0], pair[1], { ...pair[1] }], defined);
    expect(packed).toEqual(['\u00010', '\u00010', '\u00011', '\u00012', '\u00013', '\u00013']);
    expect(defined).toEqual([
      { t: 'event', id: 0, event },
      { t: 'event', id: 1, event: withLock },
      { t: 'event', id: 2, event: pair[0] },
      { t: 'event', id: 3, event: pair[1] },
    ]);
  });

  it('resolves a static inline function of a header given with the .c files', () => {
    const program = new Program(DEFAULT_CONFIG);
    update(program, 'include/foo.h', 'static inline void foo_lock(struct foo *f)\n{\n\tspin_lock(&f->lock);\n}\n');
    update(program, 'foo.c', 'void foo_work(struct foo *f)\n{\n\tfoo_lock(f);\n\tmsleep(1);\n\tspin_unlock(&f->lock);\n}\n');
    expect(program.check(['foo.c']).map((f) => `${f.file}:${f.line} ${f.message}`)).toEqual([
      "foo.c:4 msleep() may sleep (sleeps until a timeout) while 'f->lock' is held (taken by foo_lock() called at foo.c:3)",
    ]);
  });
});
