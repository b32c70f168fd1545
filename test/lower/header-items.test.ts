/**
 * File-level items besides the CFGs: the `#include` directives, definitions whose header an
 * annotation macro split (`void __init f(void)` read by tree-sitter as a declaration `void __init`
 * and a definition of type `f` named `void`), and attribute macros with arguments before a return
 * type (`static inline __alloc_size(1) void *f(...)`).
 */
import { describe, expect, test } from 'vitest';
import { blankAttributeCalls } from '../../server/src/engine/lower/annotations';
import { lower } from './helpers';
import { renderCfg } from './render';

describe('includes', () => {
  test('system and quoted, in source order, in every #if branch; computed ones are left out', async () => {
    const ir = await lower(`#include <linux/mm.h>
#include "internal.h"
#ifdef CONFIG_X
# include <asm/y.h>
#else
#include "z.h" /* the other one */
#endif
#include MACRO_H
#include __stringify(x.h)
int a;
#if A
#elif B
#include <linux/b.h>
#endif
void f(void)
{
#include "in_body.h"
}
`);
    expect(ir.includes).toEqual([
      { path: 'linux/mm.h', system: true, line: 1 },
      { path: 'internal.h', system: false, line: 2 },
      { path: 'asm/y.h', system: true, line: 4 },
      { path: 'z.h', system: false, line: 6 },
      { path: 'linux/b.h', system: true, line: 13 },
    ]);
  });

  test('a file without includes has none', async () => {
    expect((await lower('int x;\n')).includes).toEqual([]);
  });
});

describe('a header split by an annotation', () => {
  test('void __init f(void) is named f, not void, and keeps its header', async () => {
    const ir = await lower(`static int before(void)
{
	return 0;
}

static void __init start_timer(void)
{
	int cpu;
	for_each_cpu(cpu)
		arm(cpu);
}

void __init cache_init(void)
{
	setup();
}
`);
    expect(ir.functions.map((f) => [f.name, f.isStatic, f.header, f.params, f.span.line, f.span.column, f.nameSpan.column])).toEqual([
      ['before', true, 'static int before(void)', [], 1, 1, 12],
      ['start_timer', true, 'static void __init start_timer(void)', [], 6, 1, 20],
      ['cache_init', false, 'void __init cache_init(void)', [], 13, 1, 13],
    ]);
    expect(renderCfg(ir.functions[2]!)).toBe(renderCfg((await lower('void cache_init(void)\n{\n\tsetup();\n}\n')).functions[0]!));
  });

  test('the annotation before a struct return type, and one the table does not list', async () => {
    const ir = await lower(`static __init struct pool *pool_fallback(int x)
{
	return make(x);
}

static enum flags __init_unknown choose_flags(struct a *p, int n)
{
	return 0;
}

int __meminit bar(int x)
{
	return x;
}
`);
    expect(ir.functions.map((f) => [f.name, f.isStatic, f.header, f.params, f.span.line, f.span.column])).toEqual([
      ['pool_fallback', true, 'static __init struct pool *pool_fallback(int x)', ['x'], 1, 1],
      ['choose_flags', true, 'static enum flags __init_unknown choose_flags(struct a *p, int n)', ['p', 'n'], 6, 1],
      ['bar', false, 'int __meminit bar(int x)', ['x'], 11, 1],
    ]);
  });

  test('an annotation alone on the line before the return type', async () => {
    const ir = await lower(`noinline
struct page *get_page_at(struct mapping *m, long index)
{
	return find(m, index);
}
`);
    expect(ir.functions.map((f) => [f.name, f.header, f.params, f.span.line, f.span.column, f.nameSpan.line])).toEqual([
      ['get_page_at', 'noinline struct page *get_page_at(struct mapping *m, long index)', ['m', 'index'], 1, 1, 2],
    ]);
  });
});

describe('attribute macros with arguments', () => {
  test('before the return type they no longer take the next definitions with them', async () => {
    const ir = await lower(`static inline __alloc_size(1, 2) void *array_alloc(size_t n, size_t size, gfp_t flags)
{
	return raw_alloc(n * size, flags);
}

static inline __realloc_size(2, 3) void * __must_check array_realloc(void *p,
								   size_t n,
								   gfp_t flags)
{
	return raw_realloc(p, n, flags);
}

static inline __alloc_size(1, 2) void *zeroed_array(size_t n, size_t size, gfp_t flags)
{
	return array_alloc(n, size, flags | __GFP_ZERO);
}

int __printf(2, 3) report(int level, const char *fmt, ...)
{
	return level;
}
`);
    expect(ir.functions.map((f) => [f.name, f.isStatic, f.params, f.span.line, f.nameSpan.column])).toEqual([
      ['array_alloc', true, ['n', 'size', 'flags'], 1, 40],
      ['array_realloc', true, ['p', 'n', 'flags'], 6, 56],
      ['zeroed_array', true, ['n', 'size', 'flags'], 13, 40],
      ['report', false, ['level', 'fmt'], 18, 20],
    ]);
    // the header is the file's text, attribute included
    expect(ir.functions[0]!.header).toBe('static inline __alloc_size(1, 2) void *array_alloc(size_t n, size_t size, gfp_t flags)');
    expect(ir.functions[2]!.blocks.flatMap((b) => b.ops.filter((o) => o.kind === 'call').map((o) => (o as { callee: string }).callee))).toEqual([
      'array_alloc',
    ]);
    // only `__must_check` is left, an ERROR within array_realloc's declarator
    expect(ir.syntaxErrors).toBe(1);
  });

  test('blanking keeps every position and leaves the macros own definitions alone', () => {
    const text = '#define __printf(a, b) __attribute__((format(printf, a, b)))\nint __printf(1,\n 2) f(const char *s, ...);\n';
    const blanked = blankAttributeCalls(text)!;
    const blank = (s: string) => ' '.repeat(s.length);
    expect(blanked).toBe(`#define __printf(a, b) __attribute__((format(printf, a, b)))\nint ${blank('__printf(1,')}\n${blank(' 2)')} f(const char *s, ...);\n`);
    expect(blanked.length).toBe(text.length);
    expect(blankAttributeCalls('int f(void);\n')).toBeUndefined();
    // an unclosed call is left as written
    expect(blankAttributeCalls('int __printf(1, 2 f(void);')).toBeUndefined();
  });
});
