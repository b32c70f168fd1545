/** What lowerFile reports about a file besides the CFGs: functions, headers, spans, comments, refs. */
import { describe, expect, test } from 'vitest';
import type { CallOp } from '../../server/src/engine/ir';
import { fn, lower } from './helpers';
import { renderCfg } from './render';

const span = (line: number, column: number, endLine: number, endColumn: number) => ({ line, column, endLine, endColumn });

describe('functions', () => {
  test('header, leading comment, params, locals, static', async () => {
    const f = await fn(`/* file comment */

/*
 * Called with mm->page_table_lock held.
 */
static int copy_one(struct mm_struct *dst, struct mm_struct *src /* the source */, unsigned long)
	__must_hold(&src->page_table_lock)
{
	int a = 1, *b;
	{
		char c[4];
	}
	for (int i = 0; i < 2; i++)
		;
	return a;
}`);
    expect(f).toMatchObject({
      name: 'copy_one',
      params: ['dst', 'src', null],
      locals: ['a', 'b', 'c', 'i'],
      isStatic: true,
      header:
        'static int copy_one(struct mm_struct *dst, struct mm_struct *src , unsigned long) __must_hold(&src->page_table_lock)',
      leadingComment: '/*\n * Called with mm->page_table_lock held.\n */',
      span: span(6, 1, 16, 2),
      nameSpan: span(6, 12, 6, 20),
    });
  });

  test('(void) has no params; adjacent line comments form the leading comment', async () => {
    const f = await fn(`int x;
// first
// second
void noparams(void) { }`);
    expect(f).toMatchObject({ params: [], isStatic: false, header: 'void noparams(void)', leadingComment: '// first\n// second' });
  });

  test('functions inside #ifdef and #else at file level are all found', async () => {
    const ir = await lower(`#ifdef CONFIG_FOO
static void __init in_ifdef(char __user *buf)
{
	use(buf);
}
#else
static void __init in_ifdef(char __user *buf) { }
#endif
#if defined(A) && B
int in_if(void) { return 1; }
#endif`);
    expect(ir.functions.map((f) => [f.name, f.params, f.span.line])).toEqual([
      ['in_ifdef', ['buf'], 2],
      ['in_ifdef', ['buf'], 7],
      ['in_if', [], 10],
    ]);
  });

  test('a macro-defined function is named from its first argument', async () => {
    const f = await fn(`SYSCALL_DEFINE3(mremap, unsigned long, addr, unsigned long, len, int, flags)
{
	return do_mremap(addr, len, flags);
}`);
    expect(f).toMatchObject({
      name: 'mremap',
      params: ['addr', 'len', 'flags'],
      header: 'SYSCALL_DEFINE3(mremap, unsigned long, addr, unsigned long, len, int, flags)',
      nameSpan: span(1, 17, 1, 23),
      span: span(1, 1, 4, 2),
    });
  });

  test('a definition nested in another (unbalanced braces) is lowered on its own', async () => {
    const ir = await lower(`void a(void)
{
	if (x) {
		foo();
	}
void b(void) { bar(); }
}`);
    expect(ir.functions.map((f) => f.name)).toEqual(['a', 'b']);
    expect(ir.functions.map((f) => f.misread)).toEqual([undefined, undefined]);
  });

  test('statements read as a definition with a macro call for its type are flagged misread', async () => {
    const nested = await lower(`void a(void)
{
	for_each_possible_cpu(cpu)
		per_cpu(v, cpu).kthread = NULL;

	for_each_cpu(cpu, mask) {
		start(cpu);
	}
}`);
    expect(nested.functions.map((f) => [f.name, f.misread])).toEqual([
      ['a', undefined],
      ['per_cpu', true],
    ]);
    // At file level (the misreading ran out of a body): the identifier list gives it away.
    const top = await lower(`for_each_online_cpu(cpu) per_cpu(v, cpu)
{
	stop();
}

__printf(1, 2) int log_it(const char *fmt, ...)
{
	return 0;
}

typeof(int) plain(int x)
{
	return x;
}`);
    expect(top.functions.map((f) => [f.name, f.misread])).toEqual([
      ['per_cpu', true],
      ['log_it', undefined],
      ['plain', undefined],
    ]);
  });
});

describe('macros', () => {
  test('the function-like macros defined outside any #if but the include guard are listed, once each', async () => {
    const ir = await lower(`#ifndef __FOO_H
#define __FOO_H
#define foo_poll(dev, ...) __foo_poll(&(dev)->core, __VA_ARGS__)
#define FOO_REG 3
#ifdef CONFIG_FOO_DEBUG
#define foo_dbg(x) pr_debug(x)
#else
#define foo_dbg(x) no_printk(x)
#endif
#if 0
#define foo_old(x) x
#endif
#define foo_poll(dev, ...) __foo_poll(&(dev)->core, __VA_ARGS__)
#define foo_rd(dev, r) readl((dev)->base + (r))
#endif
`, 'foo.h');
    expect(ir.macros).toEqual(['foo_poll', 'foo_rd']);
  });

  test('a file whose first #ifndef is no include guard has its macros in a branch', async () => {
    const ir = await lower(`#ifndef CONFIG_FOO
#define foo_on(x) 0
#endif
#define foo_off(x) 1
`);
    expect(ir.macros).toEqual(['foo_off']);
  });
});

describe('statics', () => {
  test("a .c file's file-level static variables are listed, whatever declares them; a header's are not its own", async () => {
    const source = `static DEFINE_MUTEX(register_mutex);
static DEFINE_SPINLOCK(a_lock), b;
static spinlock_t c_lock;
DEFINE_MUTEX(exported_mutex);
spinlock_t global_lock;
static struct mutex m = __MUTEX_INITIALIZER(m);
static int foo_count(void);
static int foo_get(void)
{
	static int calls;
	return ++calls;
}
`;
    expect((await lower(source, 'foo.c')).statics).toEqual(['a_lock', 'b', 'c_lock', 'm', 'register_mutex']);
    expect((await lower(source, 'foo.h')).statics).toBeUndefined();
  });
});

describe('robustness', () => {
  test('definitions after a table that an attribute turned into a file-level block are found', async () => {
    const ir = await lower(`const u8 table[] __aligned(8) = {
	0x01, 0x02,
};

static int after(void)
{
	return g();
}`);
    expect(ir.functions.map((f) => f.name)).toEqual(['after']);
  });

  test('a long comma expression does not exhaust the stack', async () => {
    const f = await fn(`void f(void)\n{\n\tx = (${Array(20000).fill('1').join(', ')});\n\tlast();\n}`);
    expect(f.blocks[0].ops.map((o) => o.kind)).toEqual(['assign', 'call', 'return']);
  });

  test('an expression nested too deep for the stack leaves the function with an empty body', async () => {
    const ir = await lower(`int f(void)\n{\n\treturn ${'('.repeat(30000)}g()${')'.repeat(30000)};\n}\nint h(void) { return k(); }`);
    expect(ir.functions.map((f) => renderCfg(f))).toEqual([
      'B0(entry): ret() -> B1\nB1(exit): ',
      'B0(entry): call k()#0; ret(k)=#0 -> B1\nB1(exit): ',
    ]);
  });
});

describe('spans', () => {
  test('calls, callees and arguments; columns are UTF-16 units', async () => {
    const f = await fn(`void f(int a)
{
	g("ü😀", h(a));
}`);
    const [h, g] = f.blocks[0].ops as CallOp[];
    expect(h).toMatchObject({ callee: 'h', span: span(3, 11, 3, 15), calleeSpan: span(3, 11, 3, 12) });
    expect(g).toMatchObject({ callee: 'g', span: span(3, 2, 3, 16), calleeSpan: span(3, 2, 3, 3) });
    expect(g.args).toEqual([
      { text: '"ü😀"', idents: [], span: span(3, 4, 3, 9) },
      { text: 'h(a)', idents: ['h', 'a'], span: span(3, 11, 3, 15) },
    ]);
  });

  test('spans in re-read regions are the file positions', async () => {
    const f = await fn(`void f(void)
{
	x();
	for_each_node(nid)
		compact(nid, y);
}`);
    const ops = f.blocks.flatMap((b) => b.ops).filter((o): o is CallOp => o.kind === 'call');
    expect(ops.map((o) => [o.callee, o.span])).toEqual([
      ['x', span(3, 2, 3, 5)],
      ['for_each_node', span(4, 2, 4, 20)],
      ['compact', span(5, 3, 5, 18)],
    ]);
    expect(ops[2].args.map((a) => a.span)).toEqual([span(5, 11, 5, 14), span(5, 16, 5, 17)]);
  });

  test('scope exits sit on the closing brace or on the jump that leaves', async () => {
    const f = await fn(`void f(void)
{
	guard(rcu)();
	if (x)
		return;
}`);
    const exits = f.blocks.flatMap((b) => b.ops).filter((o) => o.kind === 'scope-exit');
    expect(exits.map((e) => e.span)).toEqual([span(5, 3, 5, 10), span(6, 1, 6, 2)]);
  });

  test('argument and assignment text drops whitespace and comments', async () => {
    const f = await fn(`void f(void)
{
	spin_lock(& dst -> page_table_lock /* pt */);
	p -> q = GFP_KERNEL | __GFP_ZERO;
}`);
    const [call, assign] = f.blocks[0].ops;
    expect((call as CallOp).args[0].text).toBe('&dst->page_table_lock');
    expect(assign).toMatchObject({ kind: 'assign', target: 'p->q', idents: ['GFP_KERNEL', '__GFP_ZERO'] });
  });
});

describe('comments, references, errors', () => {
  test('every comment with its span', async () => {
    const ir = await lower(`/* a */ int x; // b
/* kpath: ignore sleep-in-atomic: why */
void f(void) { /* inner */ }`);
    expect(ir.comments).toEqual([
      { text: '/* a */', span: span(1, 1, 1, 8) },
      { text: '// b', span: span(1, 16, 1, 20) },
      { text: '/* kpath: ignore sleep-in-atomic: why */', span: span(2, 1, 2, 41) },
      { text: '/* inner */', span: span(3, 16, 3, 27) },
    ]);
  });

  test('comment columns are UTF-16 units; a line comment continued by a backslash is one comment', async () => {
    const ir = await lower('/* é😀 */ /* x */\n// a \\\n   b\nint y;');
    expect(ir.comments).toEqual([
      { text: '/* é😀 */', span: span(1, 1, 1, 10) },
      { text: '/* x */', span: span(1, 11, 1, 18) },
      { text: '// a \\\n   b', span: span(2, 1, 3, 5) },
    ]);
  });

  test('designated initialisers and field assignments of functions', async () => {
    const ir = await lower(`static int my_open(struct inode *i, struct file *f);
static void helper(void) { }
static const struct file_operations my_fops = {
	.open = my_open,
	.release = &my_release,
};
void setup(struct dev *dev, int n)
{
	dev->ops.start = helper;
	dev->count = n;
	dev->cb = my_open;
}`);
    expect(ir.functionRefs).toEqual([
      { function: 'my_open', field: 'open', owner: { type: 'file_operations' }, span: span(4, 10, 4, 17) },
      { function: 'my_release', field: 'release', owner: { type: 'file_operations' }, span: span(5, 14, 5, 24) },
      { function: 'helper', field: 'start', owner: { type: 'dev', via: ['ops'] }, span: span(9, 19, 9, 25) },
      { function: 'my_open', field: 'cb', owner: { type: 'dev' }, span: span(11, 12, 11, 19) },
    ]);
  });

  test('the types a file declares: structure members, typedefs, variables', async () => {
    const ir = await lower(`struct dsi_ops { int (*update)(struct dev *d, int x); };
struct dev {
	int a;
	const struct dev_ops *ops2, *ops3;
	union {
		const struct dsi_ops *dsi;
		const struct dpi_ops *dpi;
	} ops;
	struct { struct inner *p; };
	spinlock_t lock;
	struct bar bars[4];
};
typedef struct foo foo_t;
typedef struct { struct dev *d; } holder_t;
static struct dev *global_dev, local_dev;
extern int count;
int f(struct dev *in, holder_t *h, int n)
{
	struct dev *x = in, copy;
	foo_t *y;
	in->ops.dsi->update(in, 1);
	global_dev->ops2->start(h->d);
	get_dev()->ops2->start(x);
	h->d->start(h);
	y->ops->open(y);
	copy.ops2->start(&copy);
	{
		struct other *n;
		n->x(n);
	}
	return 0;
}`);
    expect(ir.types).toEqual({
      members: {
        dev: { ops2: 'dev_ops', ops3: 'dev_ops', ops: 'dev.ops', p: 'inner', lock: 'spinlock_t', bars: 'bar' },
        'dev.ops': { dsi: 'dsi_ops', dpi: 'dpi_ops' },
        holder_t: { d: 'dev' },
      },
      typedefs: { foo_t: 'foo' },
      globals: { global_dev: 'dev', local_dev: 'dev' },
    });
    const f = ir.functions[0]!;
    const calls = f.blocks.flatMap((b) => b.ops).filter((o): o is CallOp => o.kind === 'call' && o.indirect === true);
    expect(calls.map((c) => [c.callee, c.owner])).toEqual([
      ['in->ops.dsi->update', { type: 'dev', via: ['ops', 'dsi'] }],
      ['global_dev->ops2->start', { type: 'dev', via: ['ops2'] }],
      ['get_dev()->ops2->start', undefined],
      ['h->d->start', { type: 'holder_t', via: ['d'] }],
      ['y->ops->open', { type: 'foo_t', via: ['ops'] }],
      ['copy.ops2->start', { type: 'dev', via: ['ops2'] }],
      ['n->x', undefined],
    ]);
  });

  test('a member followed by an attribute macro keeps its own name', async () => {
    const ir = await lower(`struct nft_object {
	const struct nft_object_ops *ops ____cacheline_aligned;
	struct nft_stats stats ____cacheline_aligned_in_smp;
	struct nft_table __rcu *table;
	struct nft_priv *__priv;
};`);
    expect(ir.types?.members).toEqual({ nft_object: { ops: 'nft_object_ops', stats: 'nft_stats', table: 'nft_table', __priv: 'nft_priv' } });
  });

  test('syntax errors are counted and gone around', async () => {
    const ir = await lower(`void f(void)
{
	int x = ;
	after();
}`);
    expect(ir.syntaxErrors).toBe(1);
    expect(ir.functions[0].blocks[0].ops.filter((o) => o.kind === 'call').map((o) => (o as CallOp).callee)).toEqual(['after']);
  });

  test('a clean file has no syntax errors', async () => {
    expect((await lower('int f(void) { return g(); }')).syntaxErrors).toBe(0);
  });
});
