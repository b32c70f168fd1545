/**
 * Brace-less macro loops (loop-bodies.ts): the statement under `for_each_x(...)` gets braces in place
 * of blanks, and the lowering takes that reading where a definition swallowed another.
 */
import { describe, expect, test } from 'vitest';
import { braceMacroLoopBodies } from '../../server/src/engine/lower/loop-bodies';
import { lower } from './helpers';

describe('bracing the bodies of macro loops', () => {
  test('a `{` for the first indentation character, a `}` for the first blank after the `;`, or the `;` itself', () => {
    const text = [
      'void f(void)',
      '{',
      '\tfor_each_online_cpu(cpu)',
      '\t\tsum += per_cpu_ptr(p, cpu)->count;',
      '\tg();',
      '}',
      'void h(void)',
      '{',
      '\tfor_each_sched_entity(se)',
      '\t\tcfs_rq_of(se)->skip = se;',
      '}',
    ].join('\n');
    expect(braceMacroLoopBodies(text)).toBe(
      [
        'void f(void)',
        '{',
        '\tfor_each_online_cpu(cpu)',
        '{\tsum += per_cpu_ptr(p, cpu)->count;',
        '}g();',
        '}',
        'void h(void)',
        '{',
        '\tfor_each_sched_entity(se)',
        '{\tcfs_rq_of(se)->skip = se}',
        '}',
      ].join('\n'),
    );
  });

  test('left alone: keywords, braced or nested bodies, heads after an open expression, statements sharing a line', () => {
    const text = [
      'void f(void)',
      '{',
      '\tif (x)', // a keyword
      '\t\tg();',
      '\tfor_each_cpu(cpu) {', // braced
      '\t\tg();',
      '\t}',
      '\tlist_for_each_entry(p, &l, node)', // its body is a keyword's
      '\t\tif (p->x)',
      '\t\t\tg();',
      '\tfor_each_node(n)', // its body is another head
      '\t\tfor_each_cpu(c)',
      '\t\t\tg(n, c);',
      '\tret = call(a,',
      '\t\t   b(c))', // after an open expression
      '\t\t+ 1;',
      '\tfor_each_zone(z)',
      '\t\tg(z); h();', // code after the `;`
      '\tfoo(x)',
      '\th(x);', // not deeper
      '}',
    ].join('\n');
    expect(braceMacroLoopBodies(text)).toBeUndefined();
  });

  test("a definition that a misread loop let run on ends at its own brace, and the next is the next's", async () => {
    const ir = await lower(`static void set_skip(struct entity *se)
{
	for_each_entity(se)
		owner_of(se)->skip = se;
}

static void take(struct dev *d)
{
	mutex_lock(&d->lock);
}
`);
    expect(ir.functions.map((f) => [f.name, f.span.line, f.span.endLine, !!f.misread])).toEqual([
      ['set_skip', 1, 5, false],
      ['take', 7, 10, false],
    ]);
    const calls = (name: string) =>
      ir.functions.find((f) => f.name === name)!.blocks.flatMap((b) => b.ops.filter((o) => o.kind === 'call').map((o) => (o as { callee: string }).callee));
    expect(calls('set_skip')).toEqual(['for_each_entity', 'owner_of']);
    expect(calls('take')).toEqual(['mutex_lock']);
  });
});
