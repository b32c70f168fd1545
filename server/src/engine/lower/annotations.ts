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
 * Wrappers whose value is their first argument's, used around tests: `if (unlikely(!spin_trylock(&l)))`
 * is lowered as `if (!spin_trylock(&l))`, so the trylock's edges and the test's correlation survive.
 */
export const TRANSPARENT_TESTS: ReadonlySet<string> = new Set([
  'likely',
  'unlikely',
  '__builtin_expect',
  'WARN_ON',
  'WARN_ON_ONCE',
  'WARN',
  'WARN_ONCE',
]);
