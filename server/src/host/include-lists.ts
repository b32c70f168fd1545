/**
 * What each file and header includes, kept from lowering until a saved program writes it
 * (saved-programs.ts). A whole tree has some 1.5 million `#include`s: as `Include` objects they
 * weighed about 36 MiB through the fixed point, where the peak is; one text per file weighs a
 * fraction, and is read back once, when the program is saved.
 */
import { flat } from '../engine/exact';
import type { Include } from '../engine/ir';

export class IncludeLists {
  private readonly packed = new Map<string, string>();

  set(file: string, includes: readonly Include[]): void {
    this.packed.set(file, pack(includes));
  }

  /** The includes of `file` as lowering gave them; none for a file never set. */
  get(file: string): Include[] {
    const text = this.packed.get(file);
    return text === undefined ? [] : unpack(text);
  }
}

/** One line per include: `<` or `"`, the directive's line, a space, the path (which holds no newline). */
function pack(includes: readonly Include[]): string {
  let text = '';
  for (const i of includes) text += `${i.system ? '<' : '"'}${i.line} ${i.path}\n`;
  return flat(text);
}

function unpack(text: string): Include[] {
  const out: Include[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const space = line.indexOf(' ');
    out.push({ path: line.slice(space + 1), system: line[0] === '<', line: Number(line.slice(1, space)) });
  }
  return out;
}
