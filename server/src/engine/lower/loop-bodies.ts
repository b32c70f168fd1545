/**
 * Macro loops written without braces, `for_each_online_cpu(cpu)` on a line of its own and one
 * statement indented under it. tree-sitter, which does not know the macro, reads the head as a
 * declaration's type and the statement as its declarator; when the statement does not fit
 * (`free_pcp += per_cpu_ptr(p, cpu)->count;`) the recovery can take the `}` after it, and the
 * enclosing block, and the function, run on: mm/page_alloc.c's __show_free_areas() took the next
 * 1,150 lines. reparse.ts mends the misreading that stays within the statement; this gives the
 * statement braces in the file's text before parsing, a `{` in place of its first indentation
 * character and a `}` in place of the first space or tab after its `;`, so that every position is
 * unchanged and the loop reads as the braced macro block the lowering knows. The lowering takes
 * this reading only where a definition swallowed another (`index.ts`): elsewhere the misreading
 * stays within its statement, and parsing every such file twice would cost a sixth of the lowering.
 *
 * Recognised by layout, as kernel style writes it: the head alone on its line (balanced
 * parentheses, nothing but a comment after them), not a C keyword, after a line that ends a
 * statement or opens a block; the next line indented deeper, holding a simple statement (not a
 * keyword's, not a brace, not another head) whose `;` ends a line.
 */
import { closingQuote } from './lexing';

const HEAD = /^([ \t]+)([A-Za-z_]\w*)[ \t]*\((.*)\)[ \t]*(?:\/\*.*\*\/[ \t]*|\/\/.*)?$/;
const BODY = /^([ \t]+)(?![A-Za-z_]\w*[ \t]*\(.*\)[ \t]*$)[A-Za-z_*(]/;
const KEYWORDS = new Set([
  'if', 'for', 'while', 'do', 'switch', 'return', 'else', 'case', 'default', 'goto', 'break', 'continue',
  'sizeof', 'typeof', '__typeof__', 'static', 'struct', 'union', 'enum', 'const', 'volatile', 'asm', '__asm__',
]);
const STATEMENT_END = new Set([';', '{', '}', ':']);

/** `text` with braces around the bodies of brace-less macro loops, positions unchanged; undefined when it has none. */
export function braceMacroLoopBodies(text: string): string | undefined {
  const lines = text.split('\n');
  const edits: number[] = []; // indices to replace, with the character at the same position in `marks`
  const marks: string[] = [];
  let offset = 0;
  let previousEnd = ''; // the last significant character of the last line of code
  for (let i = 0; i < lines.length; offset += lines[i]!.length + 1, i++) {
    const line = lines[i]!;
    const head = HEAD.exec(line);
    if (head && STATEMENT_END.has(previousEnd) && !KEYWORDS.has(head[2]!) && balanced(head[3]!)) {
      const next = lines[i + 1];
      const body = next === undefined ? null : BODY.exec(next);
      if (body && next && width(body[1]!) > width(head[1]!) && !KEYWORDS.has(/^\w*/.exec(next.slice(body[1]!.length))![0])) {
        const bodyStart = offset + line.length + 1;
        const close = closingBlank(text, bodyStart + body[1]!.length);
        if (close >= 0) {
          edits.push(bodyStart, close);
          marks.push('{', '}');
        }
      }
    }
    const end = lastSignificant(line);
    if (end !== '') previousEnd = end;
  }
  if (edits.length === 0) return undefined;
  const chars = text.split('');
  for (let k = 0; k < edits.length; k++) chars[edits[k]!] = marks[k]!;
  return chars.join('');
}

/**
 * For the statement starting at `from`: the index of the first space or tab after its `;`, when the
 * `;` ends its line (a comment may follow) and comes at bracket depth 0 before any brace; -1 otherwise.
 */
function closingBlank(text: string, from: number): number {
  let depth = 0;
  for (let k = from; k < text.length; k++) {
    const c = text[k]!;
    if (c === '"' || c === "'") {
      const end = closingQuote(text, k);
      if (end < 0) return -1;
      k = end;
    } else if (c === '/' && text[k + 1] === '*') {
      const end = text.indexOf('*/', k + 2);
      if (end < 0) return -1;
      k = end + 1;
    } else if (c === '/' && text[k + 1] === '/') return -1;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === '{' || c === '}' || c === '#' || depth < 0) return -1;
    else if (c === ';' && depth === 0) return blankAfter(text, k);
  }
  return -1;
}

/**
 * Where the `}` goes for a `;` at `semicolon` that ends its line (a comment may follow): the first
 * space or tab before the next token, or the `;` itself when there is none (`;` then `}` in the first
 * column: the statement reads as missing its `;`, which the parse recovers from in place); -1 when
 * code follows on the line.
 */
function blankAfter(text: string, semicolon: number): number {
  if (!/^[ \t\r]*(?:\/\*.*\*\/[ \t\r]*|\/\/.*)?$/.test(lineRest(text, semicolon + 1))) return -1;
  for (let k = semicolon + 1; k < text.length; k++) {
    const c = text[k]!;
    if (c === ' ' || c === '\t') return k;
    if (c === '/' && text[k + 1] === '*') {
      const end = text.indexOf('*/', k + 2);
      if (end < 0) return -1;
      k = end + 1;
    } else if (c === '/' && text[k + 1] === '/') k = text.indexOf('\n', k) - 1;
    else if (c !== '\n' && c !== '\r') return semicolon;
    if (k < 0) return -1;
  }
  return -1;
}


/** Whether the parentheses of a head's arguments balance (strings aside). */
function balanced(args: string): boolean {
  let depth = 0;
  for (let k = 0; k < args.length; k++) {
    const c = args[k];
    if (c === '"' || c === "'") {
      const end = args.indexOf(c, k + 1);
      if (end < 0) return false;
      k = end;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** The width of an indentation, tabs at 8 columns. */
function width(indent: string): number {
  let w = 0;
  for (const c of indent) w = c === '\t' ? (Math.floor(w / 8) + 1) * 8 : w + 1;
  return w;
}

/** The last character of a line's code, comments and trailing blanks aside ('' for none; a directive's is '#'). */
function lastSignificant(line: string): string {
  const trimmed = line.trimStart();
  if (trimmed.startsWith('#')) return '';
  const code = line.replace(/\/\/.*$/, '').replace(/\/\*.*?\*\//g, '').trimEnd();
  return code === '' || code.trimStart().startsWith('*') ? '' : code[code.length - 1]!;
}

function lineRest(text: string, from: number): string {
  const end = text.indexOf('\n', from);
  return text.slice(from, end < 0 ? text.length : end);
}
