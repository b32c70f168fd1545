/**
 * Comment text without its delimiters, line by line: `/*`, `*\/`, the ` * ` margin of block
 * comments and `//` are removed, so that annotations read the same in any comment style.
 */

export function commentLines(comment: string): string[] {
  return comment.split(/\r?\n/).map((line) =>
    line
      .replace(/^\s*\/\*+/, '')
      .replace(/\*+\/\s*$/, '')
      .replace(/^\s*\/\/+/, '')
      .replace(/^\s*\*+(?!\/)/, '')
      .trim(),
  );
}

/** The whole comment as one line of prose (for the kernel's sentence idioms). */
export function commentProse(comment: string): string {
  return commentLines(comment).join(' ').replace(/\s+/g, ' ').trim();
}
