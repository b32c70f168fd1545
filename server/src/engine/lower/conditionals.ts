/**
 * Preprocessor conditionals inside an expression: `#ifdef` lines among a call's arguments
 * (mm/page_alloc.c's `printk("..." \n#ifdef CONFIG_X\n "..." \n#endif\n, a, ...)`) or among a
 * designated initialiser's fields (`.compat_ioctl = f,` under `#ifdef CONFIG_COMPAT`).
 * tree-sitter's C grammar takes directives between statements, declarations and members only;
 * inside an expression it recovers with ERROR nodes that drop the initialiser's fields or run the
 * function on past its end (__show_free_areas() took the next 800 lines of page_alloc.c, and their
 * calls). The lowering reads such a file again with those conditionals resolved as a default build
 * has them (`index.ts`): the first branch, or the next when the first is one a default build leaves
 * out (`#if 0`, a debugging switch: shapes.ts), the other branches and the directive lines blanked.
 * Conditionals between statements, declarations and members are tree-sitter's and left alone.
 */
import { closingQuote } from './lexing';
import { leftOutCondition, zeroMacros } from './shapes';

/** What an open bracket is: only the first two are expressions. */
const enum Open {
  Paren,
  Initializer,
  Block,
}

/** A conditional group being read, from its `#if` to its `#endif`. */
interface Group {
  /** Opened inside an expression: its directives and the branches not taken are blanked. */
  resolved: boolean;
  /** The brackets open at its `#if`, where each later branch starts again. */
  atOpen: Open[];
  /** The brackets open at the end of the branch taken, which are those after its `#endif`. */
  afterTaken?: Open[];
  /** A branch was taken (for a resolved group: the one kept). */
  taken: boolean;
  /** The branch being read is blanked. */
  skipping: boolean;
}

const CONDITIONAL = /^(if|ifdef|ifndef|elif|elifdef|elifndef|else|endif)\b(.*)$/s;
/** What a line of code is scanned for: brackets, quotes, and `/` for comments. */
const BRACKET_OR_QUOTE = /[()[\]{}"'/]/g;

/**
 * `text` with every conditional inside an expression resolved, as blanks (newlines kept, so every
 * position is unchanged); undefined when it has none.
 */
export function blankConditionalsInExpressions(text: string): string | undefined {
  const blanks: number[] = []; // [start, end) pairs
  const groups: Group[] = [];
  let open: Open[] = [];
  let skippedNesting = 0; // conditionals opened inside a blanked branch
  const n = text.length;
  let i = 0;
  const skipping = () => groups.length > 0 && groups[groups.length - 1]!.skipping;
  let zero: ReadonlySet<string> | undefined; // the file's macros defined as 0, once asked

  while (i < n) {
    // at the start of a line
    let j = i;
    while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
    if (text.charCodeAt(j) === 35 /* # */) {
      const end = directiveEnd(text, j);
      const m = CONDITIONAL.exec(text.slice(j + 1, end).trimStart());
      if (m) {
        if (directive(m[1]!, m[2]!)) blanks.push(i, end);
      } else if (skipping()) {
        blanks.push(i, end);
      }
      i = end;
    } else {
      const lineEnd = indexOrEnd(text, '\n', i);
      if (skipping()) {
        const end = skipComments(text, i, lineEnd);
        blanks.push(i, end);
        i = end;
      } else {
        i = scanCode(i, lineEnd);
      }
    }
    if (i < n && text.charCodeAt(i) === 10) i++;
  }

  /** Reads one conditional directive; whether its line is blanked. */
  function directive(word: string, condition: string): boolean {
    const group = groups[groups.length - 1];
    if (group?.skipping) {
      if (word.startsWith('if')) skippedNesting++;
      else if (skippedNesting > 0) {
        if (word === 'endif') skippedNesting--;
      } else return branch(group, word, condition);
      return true;
    }
    if (word.startsWith('if')) {
      const inner = open[open.length - 1];
      const resolved = inner === Open.Paren || inner === Open.Initializer;
      const leftOut = resolved && leftOutCondition(word, condition, (zero ??= zeroMacros(text)));
      groups.push({ resolved, atOpen: open.slice(), taken: !leftOut, skipping: leftOut });
      return resolved;
    }
    if (!group) return false; // an `#else` or `#endif` without its `#if`: tree-sitter's business
    return branch(group, word, condition);
  }

  /** An `#elif`, `#else` or `#endif` of the innermost group. */
  function branch(group: Group, word: string, condition: string): boolean {
    if (word === 'endif') {
      groups.pop();
      if (!group.skipping || !group.resolved) group.afterTaken ??= open;
      open = (group.afterTaken ?? group.atOpen).slice();
      return group.resolved;
    }
    if (!group.skipping) group.afterTaken ??= open;
    open = group.atOpen.slice();
    if (!group.resolved) return false; // both branches are read by tree-sitter
    const takeThis = !group.taken && (word === 'else' || !leftOutCondition(word, condition, (zero ??= zeroMacros(text))));
    group.taken ||= takeThis;
    group.skipping = !takeThis;
    return true;
  }

  /** Follows the brackets of a line of code up to `lineEnd`; returns where the line (or a comment or string running past it) ends. */
  function scanCode(from: number, lineEnd: number): number {
    BRACKET_OR_QUOTE.lastIndex = from;
    for (let m = BRACKET_OR_QUOTE.exec(text); m && m.index < lineEnd; m = BRACKET_OR_QUOTE.exec(text)) {
      const k = m.index;
      const c = text.charCodeAt(k);
      if (c === 47 /* / */) {
        const next = text.charCodeAt(k + 1);
        if (next === 47) return lineEnd;
        if (next !== 42 /* * */) continue;
        const close = text.indexOf('*/', k + 2);
        if (close < 0) return n;
        if (close + 2 > lineEnd) return lineEndAfter(close + 2);
        BRACKET_OR_QUOTE.lastIndex = close + 2;
      } else if (c === 34 /* " */ || c === 39 /* ' */) {
        const quote = closingQuote(text, k);
        BRACKET_OR_QUOTE.lastIndex = quote < 0 ? lineEnd : quote + 1;
      } else if (c === 40 /* ( */ || c === 91 /* [ */) open.push(Open.Paren);
      else if (c === 123 /* { */) {
        const inner = open[open.length - 1];
        open.push(inner === Open.Initializer || previousSignificant(text, k) === 61 /* = */ ? Open.Initializer : Open.Block);
      } else {
        open.pop();
        // a function's closing brace in the first column: whatever was misread before is over
        if (c === 125 && (k === 0 || text.charCodeAt(k - 1) === 10)) open = [];
      }
    }
    return lineEnd;
  }

  /** The end of the line holding `k` (a comment ended mid-line: the rest of the line is code). */
  function lineEndAfter(k: number): number {
    return scanCode(k, indexOrEnd(text, '\n', k));
  }

  if (blanks.length === 0) return undefined;
  const parts: string[] = [];
  let copied = 0;
  for (let b = 0; b < blanks.length; b += 2) {
    const start = Math.max(blanks[b]!, copied);
    const end = blanks[b + 1]!;
    if (end <= start) continue;
    parts.push(text.slice(copied, start), text.slice(start, end).replace(/[^\n]/g, ' '));
    copied = end;
  }
  parts.push(text.slice(copied));
  return parts.join('');
}

/** The code of the character before `k`, blanks and newlines aside (0 at the start). */
function previousSignificant(text: string, k: number): number {
  for (let p = k - 1; p >= 0; p--) {
    const c = text.charCodeAt(p);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c;
  }
  return 0;
}

/** The end of the directive starting at `hash`: its line and the lines its backslashes continue. */
function directiveEnd(text: string, hash: number): number {
  let end = indexOrEnd(text, '\n', hash);
  while (end < text.length && end > hash && text.charCodeAt(end - 1 - (text.charCodeAt(end - 1) === 13 ? 1 : 0)) === 92 /* \ */) {
    end = indexOrEnd(text, '\n', end + 1);
  }
  return end;
}

/** In a blanked line, the comments still hide directives: the end of a comment running past it, or the line's end. */
function skipComments(text: string, from: number, lineEnd: number): number {
  let k = text.indexOf('/*', from);
  let end = lineEnd;
  while (k >= 0 && k < end) {
    const close = text.indexOf('*/', k + 2);
    if (close < 0) return text.length;
    if (close + 2 > end) end = indexOrEnd(text, '\n', close + 2);
    k = text.indexOf('/*', close + 2);
  }
  return end;
}

function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at < 0 ? text.length : at;
}
