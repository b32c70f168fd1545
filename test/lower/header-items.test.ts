/**
 * File-level items besides the CFGs: the `#include` directives, and definitions whose header an
 * annotation macro split (`void __init f(void)` read by tree-sitter as a declaration `void __init`
 * and a definition of type `f` named `void`).
 */
import { describe, expect, test } from 'vitest';
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
