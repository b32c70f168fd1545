/**
 * Conditionals inside expressions (conditionals.ts): an `#ifdef` among a call's arguments or an
 * initialiser's fields is resolved as a default build has it, every position kept.
 */
import { describe, expect, test } from 'vitest';
import { blankConditionalsInExpressions } from '../../server/src/engine/lower/conditionals';
import { lower } from './helpers';

/** `lines` with the 1-based line numbers in `blanked` turned into blanks of the same length. */
function blanking(lines: string[], blanked: number[]): string {
  return lines.map((l, i) => (blanked.includes(i + 1) ? ' '.repeat(l.length) : l)).join('\n');
}

describe('blanking conditionals inside expressions', () => {
  test('among arguments and fields the first branch stays; between statements nothing changes', () => {
    const lines = [
      'static const struct fops f = {', // 1
      '\t.open = a,',
      '#ifdef CONFIG_COMPAT',
      '\t.compat_ioctl = b,',
      '#else', // 5
      '\t.compat_ioctl = c,',
      '#endif',
      '};',
      'void g(int x)',
      '{', // 10
      '#ifdef CONFIG_X',
      '\tx++;',
      '#else',
      '\tx--;',
      '#endif', // 15
      '\tprintk("a %d"',
      '#if defined(CONFIG_Y) /* ( */',
      '\t\t" b %d"',
      '#endif',
      '\t\t"\\n", x', // 20
      '#if defined(CONFIG_Y)',
      '\t\t, x',
      '#endif',
      '\t);',
      '}', // 25
    ];
    const text = lines.join('\n');
    const blanked = blankConditionalsInExpressions(text)!;
    expect(blanked).toBe(blanking(lines, [3, 5, 6, 7, 17, 19, 21, 23]));
    expect(blanked.length).toBe(text.length);
    // a function with conditionals between its statements only
    expect(blankConditionalsInExpressions([...lines.slice(8, 15), '}'].join('\n'))).toBeUndefined();
  });

  test('a first branch a default build leaves out gives way to the next', () => {
    const lines = ['int t[] = {', '#if 0', '\tdead,', '#elif defined(CONFIG_A)', '\talive,', '#else', '\tother,', '#endif', '};'];
    expect(blankConditionalsInExpressions(lines.join('\n'))).toBe(blanking(lines, [2, 3, 4, 6, 7, 8]));
    const debug = ['int t[] = {', '#ifdef FOO_DEBUG', '\tdead,', '#endif', '\talive,', '};'];
    expect(blankConditionalsInExpressions(debug.join('\n'))).toBe(blanking(debug, [2, 3, 4]));
  });

  test('conditionals nested in a blanked branch go with it; brackets follow the branch kept', () => {
    const lines = [
      'void f(void)',
      '{',
      '#ifdef CONFIG_A',
      '\tif (call_a(x',
      '#else',
      '\tif (call_b(x, y',
      '#endif',
      '#ifdef CONFIG_C', // inside the call's parentheses in either branch
      '\t\t, z',
      '#ifdef CONFIG_D',
      '\t\t, w',
      '#endif',
      '#else',
      '#ifdef CONFIG_E',
      '\t\t, v',
      '#endif',
      '#endif',
      '\t\t)))',
      '\t\treturn;',
      '}',
    ];
    // the statement-level group (lines 3-7) is tree-sitter's; the one inside the call is resolved
    expect(blankConditionalsInExpressions(lines.join('\n'))).toBe(blanking(lines, [8, 10, 12, 13, 14, 15, 16, 17]));
  });

  test('strings, characters and comments do not count as brackets or directives', () => {
    const lines = ['void f(void)', '{', '\tputs("(", \')\' /* ( */);', '/* (', '#ifdef X', '*/', '#ifdef Y', '\tg();', '#endif', '}'];
    expect(blankConditionalsInExpressions(lines.join('\n'))).toBeUndefined();
  });

  test('a brace in the first column closes whatever a broken line left open', () => {
    const lines = ['void f(void)', '{', '\tg((x);', '}', 'static struct s v = {', '#ifdef A', '\t.a = h,', '#endif', '};', 'void k(void)', '{', '#ifdef B', '\tm();', '#endif', '}'];
    expect(blankConditionalsInExpressions(lines.join('\n'))).toBe(blanking(lines, [6, 8]));
  });
});

describe('lowering a file with conditionals inside expressions', () => {
  test('the fields of an initialiser under #ifdef are kept, and a function ends where it ends', async () => {
    const ir = await lower(`static long my_ioctl(struct file *f, unsigned int cmd, unsigned long arg);
static const struct file_operations my_fops = {
	.open = my_open,
#ifdef CONFIG_COMPAT
	.compat_ioctl = my_compat_ioctl,
#endif
	.unlocked_ioctl = my_ioctl,
};

void show(struct dev *d)
{
	printk("a %lu"
#ifdef CONFIG_B
	       " b %lu"
#endif
	       "\\n",
	       count_a(d),
#ifdef CONFIG_B
	       count_b(d),
#endif
	       0);
}

void after(struct dev *d)
{
	mutex_lock(&d->mutex);
}
`);
    expect(ir.functionRefs.map((r) => [r.function, r.field, r.span.line])).toEqual([
      ['my_open', 'open', 3],
      ['my_compat_ioctl', 'compat_ioctl', 5],
      ['my_ioctl', 'unlocked_ioctl', 7],
    ]);
    expect(ir.functions.map((f) => [f.name, f.span.line, f.span.endLine])).toEqual([
      ['show', 10, 22],
      ['after', 24, 27],
    ]);
    const calls = (name: string) =>
      ir.functions.find((f) => f.name === name)!.blocks.flatMap((b) => b.ops.filter((o) => o.kind === 'call').map((o) => (o as { callee: string }).callee));
    expect(calls('show')).toEqual(['count_a', 'count_b', 'printk']);
    expect(ir.syntaxErrors).toBe(0);
  });
});
