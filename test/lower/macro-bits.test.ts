/** What a function-like macro's value always or-s in (lower/macro-bits.ts), as the lowering records it. */
import { describe, expect, test } from 'vitest';
import { orredConstants } from '../../server/src/engine/lower/macro-bits';
import { lower } from './helpers';

describe('constants a macro or-s in', () => {
  test("a statement expression's last statement, split at the top-level |", () => {
    const value = `({ \\
	typeof(len) len_ = (len); \\
	GEM_BUG_ON(!FIELD_FIT(SEND_G2H_DW_MASK, len_)); \\
	(FIELD_PREP(SEND_G2H_DW_MASK, len_) | SEND_NB); \\
})`;
    expect(orredConstants(value, ['len'])).toEqual(['SEND_NB']);
  });

  test('the terms that are names other than the parameters, or numbers', () => {
    expect(orredConstants('((flags) | FOO_A | 0x10u | BIT(3) | (FOO_B))', ['flags'])).toEqual(['FOO_A', '0x10u', 'FOO_B']);
    expect(orredConstants('FOO_A /* the default */', [])).toEqual(['FOO_A']);
    // `&` binds more tightly than `|`: FOO_A is or-ed in, `FOO_B & mask` is a term of its own
    expect(orredConstants('FOO_A | FOO_B & mask', ['mask'])).toEqual(['FOO_A']);
    expect(orredConstants('(__VA_ARGS__ | FOO_A)', [])).toEqual(['FOO_A']);
    expect(orredConstants('"a|b" | FOO_A', [])).toEqual(['FOO_A']);
  });

  test('nothing when an operator binding less tightly than | is at the top level', () => {
    expect(orredConstants('(nb) ? FOO_A | FOO_B : FOO_B', ['nb'])).toEqual([]);
    expect(orredConstants('x || FOO_A', ['x'])).toEqual([]);
    expect(orredConstants('x && FOO_A', ['x'])).toEqual([]);
    expect(orredConstants('(x = FOO_A)', ['x'])).toEqual([]);
    expect(orredConstants('x |= FOO_A', ['x'])).toEqual([]);
    expect(orredConstants('(f(x), FOO_A)', ['x'])).toEqual([]);
    // the bit on one way only
    expect(orredConstants('((len) | ((nb) ? FOO_A : 0))', ['len', 'nb'])).toEqual([]);
  });

  test('nothing from a statement that is no value, or brackets that do not match', () => {
    expect(orredConstants('do { x |= FOO_A; } while (0)', ['x'])).toEqual([]);
    expect(orredConstants('({ if (x) y = FOO_A; })', ['x'])).toEqual([]);
    expect(orredConstants('(FOO_A | FOO_B', [])).toEqual([]);
  });

  test("the file's IR lists the macros defined outside any #if, the last definition counting", async () => {
    const ir = await lower(`#ifndef FOO_H
#define FOO_H
#define MAKE_FLAGS(len) (FIELD_PREP(LEN_MASK, (len)) | FOO_NB)
#define PLAIN(x) ((x) + 1)
#define REDEFINED(x) ((x) | FOO_A)
#undef REDEFINED
#define REDEFINED(x) (x)
#ifdef CONFIG_FOO
#define UNDER_IF(x) ((x) | FOO_A)
#endif
#define OBJECT_LIKE (FOO_A | FOO_B)
#endif
`, 'foo.h');
    expect(ir.macros).toEqual(['MAKE_FLAGS', 'PLAIN', 'REDEFINED']);
    expect(ir.macroBits).toEqual({ MAKE_FLAGS: ['FOO_NB'] });
  });
});
