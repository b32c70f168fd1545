/**
 * The syntax trees of open documents, kept so that an edit reparses incrementally. Trees live in
 * web-tree-sitter's wasm heap (capped at 2 GiB), so only open documents have one, at most
 * `capacity` of them: the least recently used is deleted first, and a closed document's tree is
 * deleted at once. A document whose tree was evicted is simply parsed from scratch next time.
 */
import type { CParser, Tree, TreeEdit } from '../engine/syntax/parser';

interface Entry {
  tree: Tree;
  /** The document version the tree was parsed from. */
  version: number;
}

export class DocumentTrees {
  /** Map iteration order is insertion order: the first entry is the least recently used. */
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly parser: CParser,
    private readonly capacity = 32,
  ) {}

  /**
   * The tree of `uri` at `version`. `edits` are the changes since the tree was last parsed
   * (`undefined`: the document was reopened or nothing is known, parse from scratch).
   */
  parse(uri: string, text: string, version: number, edits: TreeEdit[] | undefined): Tree {
    const old = this.entries.get(uri);
    this.entries.delete(uri);
    let tree: Tree;
    if (old && edits) {
      for (const edit of edits) old.tree.edit(edit);
      tree = this.parser.parse(text, old.tree);
      old.tree.delete();
    } else {
      old?.tree.delete();
      tree = this.parser.parse(text);
    }
    this.entries.set(uri, { tree, version });
    this.evict();
    return tree;
  }

  /** The tree of `uri` if it was parsed from exactly `version`. */
  get(uri: string, version: number): Tree | undefined {
    const entry = this.entries.get(uri);
    return entry?.version === version ? entry.tree : undefined;
  }

  has(uri: string): boolean {
    return this.entries.has(uri);
  }

  close(uri: string): void {
    this.entries.get(uri)?.tree.delete();
    this.entries.delete(uri);
  }

  dispose(): void {
    for (const entry of this.entries.values()) entry.tree.delete();
    this.entries.clear();
  }

  private evict(): void {
    while (this.entries.size > this.capacity) {
      const [uri, entry] = this.entries.entries().next().value!;
      entry.tree.delete();
      this.entries.delete(uri);
    }
  }
}
