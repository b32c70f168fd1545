/**
 * What each file and header includes, kept from lowering until a saved program writes it
 * (saved-programs.ts). A whole tree has some 1.5 million `#include`s: as `Include` objects they
 * weighed about 36 MiB through the fixed point, where the peak is; one text per file weighs a
 * fraction. A saved program writes and reads the texts as they are (`PackedIncludes`), so that
 * neither saving nor restoring makes every `Include` of a tree at once.
 */
import { flat } from '../engine/exact';
import type { Include } from '../engine/ir';

/** A file's includes as one text: `packIncludes` makes it, `unpackIncludes` reads it. */
export type PackedIncludes = string;

export class IncludeLists {
  private readonly packed = new Map<string, PackedIncludes>();

  set(file: string, includes: readonly Include[]): void {
    this.packed.set(file, packIncludes(includes));
  }

  setPacked(file: string, includes: PackedIncludes): void {
    this.packed.set(file, includes);
  }

  /** The includes of `file` as lowering gave them, packed (`unpackIncludes` reads them); none for a file never set. */
  packedOf(file: string): PackedIncludes {
    return this.packed.get(file) ?? '';
  }
}

/** One line per include: `<` or `"`, the directive's line, a space, the path (which holds no newline). */
export function packIncludes(includes: readonly Include[]): PackedIncludes {
  let text = '';
  for (const i of includes) text += `${i.system ? '<' : '"'}${i.line} ${i.path}\n`;
  return flat(text);
}

/** Throws on a text `packIncludes` did not make (a saved program damaged on disk). */
export function unpackIncludes(text: PackedIncludes): Include[] {
  const out: Include[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const space = line.indexOf(' ');
    const at = Number(line.slice(1, space));
    if ((line[0] !== '<' && line[0] !== '"') || space < 2 || !Number.isInteger(at)) throw new Error(`not a packed include: ${JSON.stringify(line)}`);
    out.push({ path: line.slice(space + 1), system: line[0] === '<', line: at });
  }
  return out;
}
