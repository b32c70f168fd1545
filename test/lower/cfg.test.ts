/**
 * The CFG of each construct, asserted as rendered text (see render.ts for the notation): one line
 * per block, `B3[expr]` / `B3[!expr]` for the two edges of a test, `@#n` when the edge names its
 * call op, `exit#n` for a scope exit.
 */
import { describe, expect, test } from 'vitest';
import { cfg, fn } from './helpers';

const lines = (...l: string[]) => l.join('\n');

describe('straight-line code, calls and stores', () => {
  test('calls and assignments in order, fall-off end is a return at the brace', async () => {
    expect(
      await cfg(`void f(spinlock_t *l)
{
	spin_lock(l);
	a = b;
	spin_unlock(l);
}`),
    ).toBe(lines('B0(entry): call spin_lock(l)#0; a := b; call spin_unlock(l)#1; ret() -> B1', 'B1(exit): '));
  });

  test('an initializer list naming members: the whole zero-filled, then each member with a simple value', async () => {
    const f = await fn(`void f(int id, unsigned int flags, bool sync)
{
	struct foo_cmd cmd = { .id = id, .hdr.flags = FOO_ASYNC, .data = { buf, }, .len = len(x) };
	struct foo_cmd pos = { id, flags };
	struct foo_cmd zero = { 0 };
	struct foo_cmd choice = { .flags = sync ? 0 : FOO_ASYNC };
}`);
    const assigns = f.blocks.flatMap((b) => b.ops).flatMap((op) => (op.kind === 'assign' ? [[op.target, op.constant ?? op.copyOf ?? '', op.zeroFill ?? false]] : []));
    expect(assigns).toEqual([
      ['cmd', '', true],
      ['cmd.id', 'id', false],
      ['cmd.hdr.flags', 'FOO_ASYNC', false],
      ['pos', '', false],
      ['zero', '', true],
      ['choice', '', true],
      // `sync ? 0 : FOO_ASYNC` as two branches, as a statement's would be
      ['choice.flags', '0', false],
      ['choice.flags', 'FOO_ASYNC', false],
    ]);
    expect(f.blocks.flatMap((b) => b.succs).filter((e) => e.cond?.expr === 'sync').length).toBe(4);
  });

  test('an increment, a decrement and a compound assignment step their target', async () => {
    const f = await fn(`void f(struct foo *p, int n)
{
	int i = 0;
	i++;
	--p->refs;
	n += i;
	p->flags |= FOO_DIRTY;
	g(p->count++);
	a[i]++;
}`);
    const assigns = f.blocks.flatMap((b) => b.ops).flatMap((op) => (op.kind === 'assign' ? [`${op.target}${op.stepped ? ' stepped' : ''} [${op.idents}]`] : []));
    // `a[i]` is no path a test names
    expect(assigns).toEqual(['i []', 'i stepped []', 'p->refs stepped []', 'n stepped [i]', 'p->flags stepped [FOO_DIRTY]', 'p->count stepped []']);
  });

  test('constants or-ed into a variable are listed', async () => {
    const f = await fn(`void f(unsigned int flags, int n)
{
	flags |= FOO_GET | FOO_FAST_ONLY;
	flags |= (FOO_PIN|0x4);
	flags |= n;
	flags |= BIT(3);
	flags += FOO_GET;
}`);
    const ors = f.blocks.flatMap((b) => b.ops).flatMap((op) => (op.kind === 'assign' ? [op.ors?.join(',') ?? '-'] : []));
    expect(ors).toEqual(['FOO_GET,FOO_FAST_ONLY', 'FOO_PIN,0x4', 'n', '-', '-']);
  });

  test('nested calls are evaluated first, left to right; call initialisers receive assignTo', async () => {
    expect(
      await cfg(`void f(void)
{
	outer(inner1(a), inner2(inner3(b)), c);
	pte_t *pte = pte_offset_map(dir, addr), *p2;
	x = (void *)kmap(page);
	y = z + 1, w = f();
}`),
    ).toBe(
      lines(
        'B0(entry): call inner1(a)#0; call inner3(b)#1; call inner2(inner3(b))#2; call outer(inner1(a),inner2(inner3(b)),c)#3; ' +
          'call pte_offset_map(dir,addr)#4=pte; call kmap(page)#5=x; y := z; call f()#6=w; ret() -> B1',
        'B1(exit): ',
      ),
    );
  });

  test('a return of a call names it; return values give their identifiers', async () => {
    expect(
      await cfg(`void *f(struct page *page, int off)
{
	if (off)
		return page_address(page) + off;
	return kmap(page);
}`),
    ).toBe(
      lines(
        'B0(entry):  -> B1[off] B2[!off]',
        'B1: call page_address(page)#0; ret(page_address,page,off)=#0 -> B3',
        'B2: call kmap(page)#1; ret(kmap,page)=#1 -> B3',
        'B3(exit): ',
      ),
    );
  });

  test('a call plus or minus an offset still gives the call result to its receiver', async () => {
    expect(
      await cfg(`void f(void)
{
	pte = (pte_t *)kmap_atomic(page) + pte_index(addr);
	n = count(x) * 2;
}`),
    ).toBe(
      lines('B0(entry): call kmap_atomic(page)#0=pte; call pte_index(addr)#1; call count(x)#2; n := count,x; ret() -> B1', 'B1(exit): '),
    );
  });

  test('statement expressions are inlined; their value is the last statement', async () => {
    expect(
      await cfg(`void f(void)
{
	x = ({ int __r = compute(a); __r + 1; });
	y = ({ lookup(b); });
}`),
    ).toBe(lines('B0(entry): call compute(a)#0=__r; x := __r; call lookup(b)#1=y; ret() -> B1', 'B1(exit): '));
  });

  test("indirect calls: field, dereference, subscript, a parameter's or a local's name; a function's name is direct", async () => {
    const f = await fn(`void f(struct dev *dev, void (*sync)(int))
{
	dev->ops->fn(dev);
	(*sync)(1);
	sync(2);
	ops[i](3);
	sync_all(4);
	void (*done)(int) = dev->done;
	done(5);
}`);
    const calls = f.blocks[0].ops.filter((o) => o.kind === 'call');
    expect(calls.map((c) => [c.callee, c.indirect ?? false, c.field])).toEqual([
      ['dev->ops->fn', true, 'fn'],
      ['sync', true, undefined],
      ['sync', true, undefined],
      ['ops[i]', true, undefined],
      ['sync_all', false, undefined],
      ['done', true, undefined],
    ]);
  });
});

describe('branches', () => {
  test('if/else joins', async () => {
    expect(
      await cfg(`int f(int x)
{
	if (x)
		foo();
	else
		bar();
	return x;
}`),
    ).toBe(lines('B0(entry):  -> B1[x] B2[!x]', 'B1: call foo()#0 -> B3', 'B2: call bar()#1 -> B3', 'B3: ret(x) -> B4', 'B4(exit): '));
  });

  test('if (!spin_trylock(&l)) return;: the trylock block has a false edge to the return', async () => {
    const f = await fn(`void f(void)
{
	if (!spin_trylock(&l))
		return;
	work();
}`);
    const b = f.blocks[f.entry];
    expect(b.ops).toHaveLength(1);
    const call = b.ops[0];
    expect(call).toMatchObject({ kind: 'call', callee: 'spin_trylock', id: 0 });
    expect(b.succs).toEqual([
      { to: 2, cond: { expr: 'spin_trylock(&l)', value: true, callOp: 0 } },
      { to: 1, cond: { expr: 'spin_trylock(&l)', value: false, callOp: 0 } },
    ]);
    expect(f.blocks[1].ops.map((o) => o.kind)).toEqual(['return']);
  });

  test('likely/unlikely/WARN_ON around a test are seen through; the branch a warning takes is marked', async () => {
    expect(
      await cfg(`void f(void)
{
	if (unlikely(!spin_trylock(&l)))
		return;
	if (WARN_ON(x && !y))
		bail();
}`),
    ).toBe(
      lines(
        'B0(entry): call spin_trylock(&l)#0 -> B2[spin_trylock(&l)@#0] B1[!spin_trylock(&l)@#0]',
        'B1: ret() -> B6',
        'B2:  -> B3[x] B5[!x]',
        'B3:  -> B5[y] B4[!y]',
        'B4(WARN_ON): call bail()#1 -> B5',
        'B5: ret() -> B6',
        'B6(exit): ',
      ),
    );
  });

  test('a negated warning marks the other branch; an empty one stays a block of its own', async () => {
    expect(
      await cfg(`void f(void)
{
	if (!WARN_ONCE(busy, "busy"))
		go();
	else
		stop();
	if (WARN_ON(bad) || force)
		;
	done();
}`),
    ).toBe(
      lines(
        'B0(entry):  -> B1[busy] B2[!busy]',
        'B1(WARN_ONCE): call stop()#1 -> B3',
        'B2: call go()#0 -> B3',
        'B3:  -> B4[bad] B5[!bad]',
        'B4(WARN_ON):  -> B6',
        'B5:  -> B6[force] B6[!force]',
        'B6: call done()#2; ret() -> B7',
        'B7(exit): ',
      ),
    );
  });

  test('&& and || short-circuit: the call on the right runs on one edge only', async () => {
    expect(
      await cfg(`void f(struct s *s)
{
	if (s->ready && spin_trylock(&s->lock)) {
		work(s);
		spin_unlock(&s->lock);
	}
	if (!s || check(s))
		return;
}`),
    ).toBe(
      lines(
        'B0(entry):  -> B1[s->ready] B3[!s->ready]',
        'B1: call spin_trylock(&s->lock)#0 -> B2[spin_trylock(&s->lock)@#0] B3[!spin_trylock(&s->lock)@#0]',
        'B2: call work(s)#1; call spin_unlock(&s->lock)#2 -> B3',
        'B3:  -> B4[s] B5[!s]',
        'B4: call check(s)#3 -> B5[check(s)@#3] B6[!check(s)@#3]',
        'B5: ret() -> B7',
        'B6: ret() -> B7',
        'B7(exit): ',
      ),
    );
  });

  test('comparisons with 0 and NULL test the other side, so tests correlate', async () => {
    expect(
      await cfg(`void f(void)
{
	if (x == NULL)
		a();
	if (ret != 0)
		b();
	if (ret < 0)
		c();
}`),
    ).toBe(
      lines(
        'B0(entry):  -> B2[x] B1[!x]',
        'B1: call a()#0 -> B2',
        'B2:  -> B3[ret] B4[!ret]',
        'B3: call b()#1 -> B4',
        'B4:  -> B5[ret<0] B6[!ret<0]',
        'B5: call c()#2 -> B6',
        'B6: ret() -> B7',
        'B7(exit): ',
      ),
    );
  });

  test('?: as a value and as a test; GNU ?: without the middle; a stored ?: stores in each branch', async () => {
    expect(
      await cfg(`void f(int c)
{
	v = c ? f1() : f2();
	w = c ?: f3();
	int *p = c ? NULL : (int *)g();
	x = 1 + (c ? h1() : 0);
	if (c ? t1() : t2())
		hit();
}`),
    ).toBe(
      lines(
        'B0(entry):  -> B1[c] B2[!c]',
        'B1: call f1()#0=v -> B3',
        'B2: call f2()#1=v -> B3',
        'B3:  -> B4[c] B5[!c]',
        'B4: w := c -> B6',
        'B5: call f3()#2=w -> B6',
        'B6:  -> B7[c] B8[!c]',
        'B7: p :=  -> B9',
        'B8: call g()#3=p -> B9',
        'B9:  -> B10[c] B11[!c]',
        'B10: call h1()#4 -> B11',
        'B11: x := c,h1 -> B12[c] B13[!c]',
        'B12: call t1()#5 -> B14[t1()@#5] B15[!t1()@#5]',
        'B13: call t2()#6 -> B14[t2()@#6] B15[!t2()@#6]',
        'B14: call hit()#7 -> B15',
        'B15: ret() -> B16',
        'B16(exit): ',
      ),
    );
  });

  test('an assignment tested: the edge tests the variable and names the call', async () => {
    expect(
      await cfg(`void f(void)
{
	if ((page = alloc_page(GFP_KERNEL)))
		use(page);
}`),
    ).toBe(
      lines(
        'B0(entry): call alloc_page(GFP_KERNEL)#0=page -> B1[page@#0] B2[!page@#0]',
        'B1: call use(page)#1 -> B2',
        'B2: ret() -> B3',
        'B3(exit): ',
      ),
    );
  });

  test('comma expression: the left side runs, the right side is tested', async () => {
    expect(
      await cfg(`void f(void)
{
	if (prep(), ready())
		go();
}`),
    ).toBe(
      lines(
        'B0(entry): call prep()#0; call ready()#1 -> B1[ready()@#1] B2[!ready()@#1]',
        'B1: call go()#2 -> B2',
        'B2: ret() -> B3',
        'B3(exit): ',
      ),
    );
  });
});

describe('loops', () => {
  test('for with continue and break, while, do-while: conditions are evaluated each iteration', async () => {
    expect(
      await cfg(`void f(int n)
{
	for (i = 0; i < n; i = step(i)) {
		if (skip(i))
			continue;
		if (stop(i))
			break;
		body(i);
	}
	while (more())
		work();
	do {
		once();
	} while (again());
}`),
    ).toBe(
      lines(
        'B0(entry): i :=  -> B1',
        'B1:  -> B2[i<n] B6[!i<n]',
        'B2: call skip(i)#0 -> B5[skip(i)@#0] B3[!skip(i)@#0]',
        'B3: call stop(i)#1 -> B6[stop(i)@#1] B4[!stop(i)@#1]',
        'B4: call body(i)#2 -> B5',
        'B5: call step(i)#3=i -> B1',
        'B6: call more()#4 -> B7[more()@#4] B8[!more()@#4]',
        'B7: call work()#5 -> B6',
        'B8: call once()#6; call again()#7 -> B8[again()@#7] B9[!again()@#7]',
        'B9: ret() -> B10',
        'B10(exit): ',
      ),
    );
  });

  test('do { } while (0) (a macro body) runs once; break leaves it', async () => {
    expect(
      await cfg(`void f(void)
{
	do {
		if (a())
			break;
		b();
	} while (0);
	c();
}`),
    ).toBe(
      lines(
        'B0(entry): call a()#0 -> B2[a()@#0] B1[!a()@#0]',
        'B1: call b()#1 -> B2',
        'B2: call c()#2; ret() -> B3',
        'B3(exit): ',
      ),
    );
  });

  test('an empty endless loop is one block looping on itself; the exit stays, unreachable', async () => {
    expect(await cfg('void f(void)\n{\n\tfor (;;);\n\tnever();\n}')).toBe(lines('B0(entry):  -> B1', 'B1:  -> B1', 'B2(exit): '));
  });

  test('for (;;) and while (1) have no exit edge but by break', async () => {
    expect(
      await cfg(`void f(void)
{
	for (;;) {
		if (done())
			break;
	}
	while (1)
		spin();
}`),
    ).toBe(
      lines(
        'B0(entry):  -> B1',
        'B1: call done()#0 -> B2[done()@#0] B1[!done()@#0]',
        'B2: call spin()#1 -> B2',
        'B3(exit): ',
      ),
    );
  });
});

describe('switch', () => {
  test('case edges from the head, each testing its label when the switch is on a variable; fall-through, stacked labels, default (none of them), break', async () => {
    expect(
      await cfg(`int f(int cmd)
{
	switch (cmd) {
	case 1:
		one();
		/* fall through */
	case 2:
		two();
		break;
	case 3:
	case 4:
		return four();
	default:
		other();
	}
	return 0;
}`),
    ).toBe(
      lines(
        'B0(entry):  -> B1[cmd==1] B2[cmd==2] B3[cmd==3] B3[cmd==4] B4[!cmd==1||cmd==2||cmd==3||cmd==4]',
        'B1: call one()#0 -> B2',
        'B2: call two()#1 -> B5',
        'B3: call four()#2; ret(four)=#2 -> B6',
        'B4: call other()#3 -> B5',
        'B5: ret() -> B6',
        'B6(exit): ',
      ),
    );
  });

  test("a switch on a pointer's member tests it as a variable; on another expression, nothing", async () => {
    const f = await fn(`int f(struct foo_ctl *ctl, struct foo *p)
{
	switch (ctl->cmd) {
	case FOO_STOP:
		stop();
		break;
	}
	switch (p->hdr.type) {
	case 2:
		two();
	}
	switch (p->ops->kind) {
	case 3:
		three();
	}
	switch (a[1]) {
	case 4:
		four();
	}
	return 0;
}`);
    const tests = f.blocks.flatMap((b) => b.succs).flatMap((e) => (e.cond ? [`${e.cond.value ? '' : '!'}${e.cond.expr}`] : []));
    expect(tests).toEqual(['ctl->cmd==FOO_STOP', '!ctl->cmd==FOO_STOP', 'p->hdr.type==2', '!p->hdr.type==2']);
  });

  test('without default the head also goes past the switch; the tested call runs first', async () => {
    expect(
      await cfg(`void f(int cmd)
{
	switch (get(cmd)) {
	case 1:
		one();
		break;
	}
	done();
}`),
    ).toBe(lines('B0(entry): call get(cmd)#0 -> B1 B2', 'B1: call one()#1 -> B2', 'B2: call done()#2; ret() -> B3', 'B3(exit): '));
  });

  test('without default, the way past a switch on a variable tests that no case matched; past 16 cases it does not', async () => {
    const many = Array.from({ length: 17 }, (_, i) => `\tcase ${i}:\n\t\tn${i}();\n\t\tbreak;`).join('\n');
    const big = await cfg(`void f(int cmd)\n{\n\tswitch (cmd) {\n${many}\n\t}\n\tdone();\n}`);
    expect(big.split('\n')[0]).not.toContain('||');
    expect(
      await cfg(`void f(int mode)
{
	switch (mode) {
	case MODE_A:
		one();
		break;
	case MODE_B:
		two();
		break;
	}
	done();
}`),
    ).toBe(lines('B0(entry):  -> B1[mode==MODE_A] B2[mode==MODE_B] B3[!mode==MODE_A||mode==MODE_B]', 'B1: call one()#0 -> B3', 'B2: call two()#1 -> B3', 'B3: call done()#2; ret() -> B4', 'B4(exit): '));
  });

  test('continue inside a switch inside a loop goes to the loop', async () => {
    expect(
      await cfg(`void f(void)
{
	while (next()) {
		switch (kind()) {
		case 1:
			continue;
		}
		after();
	}
}`),
    ).toBe(
      lines(
        'B0(entry):  -> B1',
        'B1: call next()#0 -> B2[next()@#0] B4[!next()@#0]',
        'B2: call kind()#1 -> B1 B3',
        'B3: call after()#2 -> B1',
        'B4: ret() -> B5',
        'B5(exit): ',
      ),
    );
  });
});

describe('goto and labels', () => {
  test('kernel error path: forward gotos to stacked cleanup labels', async () => {
    expect(
      await cfg(`int f(struct dev *d)
{
	int err;

	err = alloc_a(d);
	if (err)
		goto out;
	err = alloc_b(d);
	if (err < 0)
		goto free_a;
	return 0;
free_a:
	free_a(d);
out:
	return err;
}`),
    ).toBe(
      lines(
        'B0(entry): call alloc_a(d)#0=err -> B4[err] B1[!err]',
        'B1: call alloc_b(d)#1=err -> B3[err<0] B2[!err<0]',
        'B2: ret() -> B5',
        'B3: call free_a(d)#2 -> B4',
        'B4: ret(err) -> B5',
        'B5(exit): ',
      ),
    );
  });

  test('backward goto: a retry loop', async () => {
    expect(
      await cfg(`void f(void)
{
retry:
	if (!try_it())
		goto retry;
}`),
    ).toBe(
      lines(
        'B0(entry):  -> B1',
        'B1: call try_it()#0 -> B2[try_it()@#0] B1[!try_it()@#0]',
        'B2: ret() -> B3',
        'B3(exit): ',
      ),
    );
  });

  test('a goto to a label nobody defines goes to the exit', async () => {
    expect(await cfg(`void f(void)\n{\n\tgoto nowhere;\n}`)).toBe(lines('B0(entry):  -> B1', 'B1(exit): '));
  });
});

describe('scopes: guard() and macro blocks', () => {
  test('nested scoped_guard with a return inside: scopes left innermost first', async () => {
    expect(
      await cfg(`int f(struct s *s)
{
	scoped_guard(spinlock, &s->a) {
		scoped_guard(mutex, &s->b) {
			if (s->bad)
				return -EINVAL;
			touch(s);
		}
		after_inner(s);
	}
	return 0;
}`),
    ).toBe(
      lines(
        'B0(entry):  -> B1',
        'B1: call scoped_guard(spinlock,&s->a)#0{macro} -> B2 B7',
        'B2: call scoped_guard(mutex,&s->b)#1{macro} -> B3 B6',
        'B3:  -> B4[s->bad] B5[!s->bad]',
        'B4: exit#1; exit#0; ret(EINVAL) -> B8',
        'B5: call touch(s)#2 -> B2',
        'B6: exit#1; call after_inner(s)#3 -> B1',
        'B7: exit#0; ret() -> B8',
        'B8(exit): ',
      ),
    );
  });

  test('guard() in a loop body: left on break, continue and the end of the body', async () => {
    expect(
      await cfg(`void f(struct s *s)
{
	while (next(s)) {
		guard(spinlock_irqsave)(&s->lock);
		if (s->done)
			break;
		if (s->skip)
			continue;
		work(s);
	}
}`),
    ).toBe(
      lines(
        'B0(entry):  -> B1',
        'B1: call next(s)#0 -> B2[next(s)@#0] B7[!next(s)@#0]',
        'B2: call guard[spinlock_irqsave](&s->lock)#1 -> B3[s->done] B4[!s->done]',
        'B3: exit#1 -> B7',
        'B4:  -> B5[s->skip] B6[!s->skip]',
        'B5: exit#1 -> B1',
        'B6: call work(s)#2; exit#1 -> B1',
        'B7: ret() -> B8',
        'B8(exit): ',
      ),
    );
  });

  test('guard() left by a goto out of its compound statement, and by a return', async () => {
    expect(
      await cfg(`int f(struct s *s)
{
	{
		guard(rcu)();
		if (lookup(s))
			goto found;
	}
	return -ENOENT;
found:
	return 0;
}`),
    ).toBe(
      lines(
        'B0(entry): call guard[rcu]()#0; call lookup(s)#1 -> B1[lookup(s)@#1] B2[!lookup(s)@#1]',
        'B1: exit#0; ret() -> B3',
        'B2: exit#0; ret(ENOENT) -> B3',
        'B3(exit): ',
      ),
    );
  });

  test('CLASS(...)(...) is a scope-bound curried call too; its scope ends with the body', async () => {
    expect(
      await cfg(`void f(int fd)
{
	CLASS(fd, f)(fd);
	use(f);
}`),
    ).toBe(lines('B0(entry): call CLASS[fd,f](fd)#0; call use(f)#1; exit#0; ret() -> B1', 'B1(exit): '));
  });

  test('list_for_each_entry with and without braces (MISSING ;): break, continue', async () => {
    expect(
      await cfg(`void f(struct list_head *head)
{
	struct item *pos;

	list_for_each_entry(pos, head, node) {
		if (pos->stop)
			break;
		if (pos->skip)
			continue;
		visit(pos);
	}
	list_for_each_entry(pos, head, node)
		visit2(pos);
	done(head);
}`),
    ).toBe(
      lines(
        'B0(entry):  -> B1',
        'B1: call list_for_each_entry(pos,head,node)#0{macro} -> B2 B5',
        'B2:  -> B5[pos->stop] B3[!pos->stop]',
        'B3:  -> B1[pos->skip] B4[!pos->skip]',
        'B4: call visit(pos)#1 -> B1',
        'B5: exit#0 -> B6',
        'B6: call list_for_each_entry(pos,head,node)#2{macro} -> B7 B8',
        'B7: call visit2(pos)#3 -> B6',
        'B8: exit#2; call done(head)#4; ret() -> B9',
        'B9(exit): ',
      ),
    );
  });

  test('single-argument loop macros misread as declarations, ERROR and nested definitions', async () => {
    expect(
      await cfg(`void f(void)
{
	for_each_process(p)
		if (oom_evaluate_task(p, oc))
			break;
	rcu_read_unlock();
	for_each_online_node(nid) {
		a(nid);
	}
	for_each_hstate(h)
		order = min(order, huge_page_order(h));
	for_each_node(n)
		if (c(n))
			d();
}`),
    ).toBe(
      lines(
        'B0(entry):  -> B1',
        'B1: call for_each_process(p)#0{macro} -> B2 B3',
        'B2: call oom_evaluate_task(p,oc)#1 -> B3[oom_evaluate_task(p,oc)@#1] B1[!oom_evaluate_task(p,oc)@#1]',
        'B3: exit#0; call rcu_read_unlock()#2 -> B4',
        'B4: call for_each_online_node(nid)#3{macro} -> B5 B6',
        'B5: call a(nid)#4 -> B4',
        'B6: exit#3 -> B7',
        'B7: call for_each_hstate(h)#5{macro} -> B8 B9',
        'B8: call huge_page_order(h)#6; call min(order,huge_page_order(h))#7=order -> B7',
        'B9: exit#5 -> B10',
        'B10: call for_each_node(n)#8{macro} -> B11 B13',
        'B11: call c(n)#9 -> B12[c(n)@#9] B10[!c(n)@#9]',
        'B12: call d()#10 -> B10',
        'B13: exit#8; ret() -> B14',
        'B14(exit): ',
      ),
    );
  });

  test('a brace-less loop macro over an assignment of a call, read as one assignment to the head', async () => {
    expect(
      await cfg(`int f(struct dev *dev)
{
	int ret = 0;
	list_for_each_entry(bo, &dev->lru, lru)
		ret = flush(bo);
	return ret;
}`),
    ).toBe(
      lines(
        'B0(entry): ret :=  -> B1',
        'B1: call list_for_each_entry(bo,&dev->lru,lru)#0{macro} -> B2 B3',
        'B2: call flush(bo)#1=ret -> B1',
        'B3: exit#0; ret(ret) -> B4',
        'B4(exit): ',
      ),
    );
  });

  test('a loop macro head inside an ERROR region keeps its loop', async () => {
    expect(
      await cfg(`void f(void)
{
	for_each_hstate(h)
		printk("x %d\\n", h);
	list_for_each_entry(slab, &n->partial, slab_list)
		x += get_count(slab);
}`),
    ).toBe(
      lines(
        'B0(entry):  -> B1',
        'B1: call for_each_hstate(h)#0{macro} -> B2 B3',
        'B2: call printk("x%d\\n",h)#1 -> B1',
        'B3: exit#0 -> B4',
        'B4: call list_for_each_entry(slab,&n->partial,slab_list)#2{macro} -> B5 B6',
        'B5: call get_count(slab)#3; x := get_count,slab -> B4',
        'B6: exit#2; ret() -> B7',
        'B7(exit): ',
      ),
    );
  });

  test('a macro block as the branch of an if: its block (parsed after the if) is its body', async () => {
    expect(
      await cfg(`void f(struct list_head *h)
{
	if (x)
		list_for_each_entry(p, h, node) {
			if (stop(p))
				break;
		}
	done();
}`),
    ).toBe(
      lines(
        'B0(entry):  -> B1[x] B4[!x]',
        'B1: call list_for_each_entry(p,h,node)#0{macro} -> B2 B3',
        'B2: call stop(p)#1 -> B3[stop(p)@#1] B1[!stop(p)@#1]',
        'B3: exit#0 -> B4',
        'B4: call done()#2; ret() -> B5',
        'B5(exit): ',
      ),
    );
  });

  test('a goto out of a macro block body leaves the guard, then the macro scope', async () => {
    expect(
      await cfg(`int f(struct list_head *h)
{
	list_for_each_entry(p, h, node) {
		guard(spinlock)(&p->lock);
		if (bad(p))
			goto fail;
	}
	return 0;
fail:
	return -EIO;
}`),
    ).toBe(
      lines(
        'B0(entry):  -> B1',
        'B1: call list_for_each_entry(p,h,node)#0{macro} -> B2 B5',
        'B2: call guard[spinlock](&p->lock)#1; call bad(p)#2 -> B3[bad(p)@#2] B4[!bad(p)@#2]',
        'B3: exit#1; exit#0; ret(EIO) -> B6',
        'B4: exit#1 -> B1',
        'B5: exit#0; ret() -> B6',
        'B6(exit): ',
      ),
    );
  });

  test('a return inside a macro block body leaves the macro scope', async () => {
    expect(
      await cfg(`int f(struct list_head *head)
{
	list_for_each_entry(pos, head, node) {
		if (match(pos))
			return 1;
	}
	return 0;
}`),
    ).toBe(
      lines(
        'B0(entry):  -> B1',
        'B1: call list_for_each_entry(pos,head,node)#0{macro} -> B2 B4',
        'B2: call match(pos)#1 -> B3[match(pos)@#1] B1[!match(pos)@#1]',
        'B3: exit#0; ret() -> B5',
        'B4: exit#0; ret() -> B5',
        'B5(exit): ',
      ),
    );
  });
});

describe('broken and conditional code', () => {
  test('#ifdef in a body: the #if branch is lowered, #else skipped', async () => {
    expect(
      await cfg(`void f(void)
{
#ifdef CONFIG_BAR
	bar_path();
#else
	other_path();
#endif
	common();
}`),
    ).toBe(lines('B0(entry): call bar_path()#0; call common()#1; ret() -> B1', 'B1(exit): '));
  });

  test('an else cut from its if by #ifdef is lowered as a branch that may run', async () => {
    expect(
      await cfg(`void f(void)
{
	if (par->family == NFPROTO_IPV4)
		v4_disable(par->net);
#if IS_ENABLED(CONFIG_IPV6)
	else if (par->family == NFPROTO_IPV6)
		v6_disable(par->net);
#endif
	done();
}`),
    ).toBe(
      lines(
        'B0(entry):  -> B1[par->family==NFPROTO_IPV4] B2[!par->family==NFPROTO_IPV4]',
        'B1: call v4_disable(par->net)#0 -> B2',
        'B2:  -> B3 B5',
        'B3:  -> B4[par->family==NFPROTO_IPV6] B5[!par->family==NFPROTO_IPV6]',
        'B4: call v6_disable(par->net)#1 -> B5',
        'B5: call done()#2; ret() -> B6',
        'B6(exit): ',
      ),
    );
  });

  test('statements broken by __user annotations are re-read without them', async () => {
    const f = await fn(`static void __user *f(void __user *p)
{
	char __user *q = (char __user *)p;
	copy((void __user *)q);
	return (void __user *)q;
}`);
    expect(f.params).toEqual(['p']);
    expect(f.locals).toEqual(['q']);
    expect(f.name).toBe('f');
  });

  test('annotation re-reading', async () => {
    expect(
      await cfg(`static void __user *f(void __user *p)
{
	char __user *q = (char __user *)p;
	copy((void __user *)q);
	return (void __user *)q;
}`),
    ).toBe(lines('B0(entry): q := p; call copy((void__user*)q)#0; ret(q) -> B1', 'B1(exit): '));
  });
});
