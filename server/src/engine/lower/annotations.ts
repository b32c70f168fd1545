/**
 * Kernel macros the lowering sees through, as data.
 *
 * Annotations: words that the kernel's headers define away or into attributes (sparse address spaces, section
 * and optimisation markers) and that tree-sitter, which does not expand macros, reads as type names
 * or declarators, breaking the statement around them: `copy((void __user *)q);` parses as a
 * declaration. Only the re-reading of a broken statement blanks them (reparse.ts); they carry no
 * meaning for the analysis. Data, not code: extend the list when a new annotation shows up.
 */
export const BLANKABLE_ANNOTATIONS: readonly string[] = [
  '__user',
  '__kernel',
  '__iomem',
  '__percpu',
  '__rcu',
  '__force',
  '__nocast',
  '__bitwise',
  '__private',
  '__safe',
  '__init',
  '__exit',
  '__initdata',
  '__initconst',
  '__ref',
  '__refdata',
  '__meminit',
  '__meminitdata',
  '__meminitconst',
  '__init_memblock',
  '__initdata_memblock',
  '__read_mostly',
  '__ro_after_init',
  '__always_inline',
  'noinline',
  '__weak',
  '__cold',
  '__maybe_unused',
  '__always_unused',
  '__used',
  '__visible',
  '__must_check',
  'notrace',
  'asmlinkage',
  '__latent_entropy',
  '__sched',
  '__noreturn',
  '__flatten',
  'noinstr',
  '__cpuidle',
  '__kprobes',
  '__no_sanitize_memory',
];

const PATTERN = new RegExp(`\\b(?:${BLANKABLE_ANNOTATIONS.join('|')})\\b`, 'g');

export function hasAnnotation(text: string): boolean {
  PATTERN.lastIndex = 0;
  return PATTERN.test(text);
}

/** `text` with every annotation replaced by as many spaces (positions are unchanged). */
export function blankAnnotations(text: string): string {
  return text.replace(PATTERN, (word) => ' '.repeat(word.length));
}

/**
 * Attribute macros with arguments (`__printf(1, 2)`, `__alloc_size(1)`), which the kernel's headers
 * expand to `__attribute__((...))`. Before a return type tree-sitter reads them as a call or a
 * macro type and the misreading runs on over the next definitions: `static inline __alloc_size(1, 2)
 * void *kmalloc_array(...) { }` lost kmalloc_array and gave its body to another name. The lowering
 * reads a file that has them with them blanked (`index.ts`). Data: extend it when another shows up.
 */
export const ATTRIBUTE_CALLS: readonly string[] = [
  '__printf',
  '__scanf',
  '__alloc_size',
  '__realloc_size',
  '__diagnose_as',
  '__assume_aligned',
  '__aligned',
  '__section',
];

const ATTRIBUTE_CALL = new RegExp(`\\b(?:${ATTRIBUTE_CALLS.join('|')})\\s*\\(`, 'g');

/**
 * `text` with every attribute call (the name and its parenthesised arguments) replaced by blanks,
 * newlines kept, so that every position is unchanged; undefined when it has none. The macros' own
 * definitions (`#define __printf(a, b) ...`) are left alone.
 */
export function blankAttributeCalls(text: string): string | undefined {
  const parts: string[] = [];
  let copied = 0;
  ATTRIBUTE_CALL.lastIndex = 0;
  for (let m = ATTRIBUTE_CALL.exec(text); m; m = ATTRIBUTE_CALL.exec(text)) {
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    if (/^\s*#\s*define\s+$/.test(text.slice(lineStart, m.index))) continue;
    const end = closingParen(text, m.index + m[0].length);
    if (end < 0) continue;
    parts.push(text.slice(copied, m.index), text.slice(m.index, end + 1).replace(/[^\n]/g, ' '));
    copied = end + 1;
    ATTRIBUTE_CALL.lastIndex = copied;
  }
  if (parts.length === 0) return undefined;
  parts.push(text.slice(copied));
  return parts.join('');
}

/** The index of the `)` closing the parenthesis opened before `from`; -1 when none within a few lines. */
function closingParen(text: string, from: number): number {
  let depth = 1;
  const limit = Math.min(text.length, from + 400);
  for (let i = from; i < limit; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
    else if (c === ';' || c === '{' || c === '}') return -1;
  }
  return -1;
}

/**
 * Wrappers whose value is their first argument's, used around tests: `if (unlikely(!spin_trylock(&l)))`
 * is lowered as `if (!spin_trylock(&l))`, so the trylock's edges and the test's correlation survive.
 */
export const TRANSPARENT_TESTS: ReadonlySet<string> = new Set(['likely', 'unlikely', '__builtin_expect']);

/**
 * Transparent too, and they warn when their argument is true: the branch they take then is one the
 * kernel says never happens (`if (WARN_ON(!list_empty(&l))) cleanup();`). The lowering marks the
 * block it enters (`Block.warning`); whether it is explored is the tables' choice (`warnings`).
 */
export const WARNING_TESTS: ReadonlySet<string> = new Set(['WARN_ON', 'WARN_ON_ONCE', 'WARN', 'WARN_ONCE']);
