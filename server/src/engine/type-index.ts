/**
 * The structures of every file of a program, merged, to answer one question: which structure holds
 * the field a path ends in. `in->ops.dsi->update` with `struct omap_dss_device *in` reaches
 * `update` of struct omapdss_dsi_ops, through the members of struct omap_dss_device that a header
 * defines. A call through that field then reaches only the functions stored into that structure's
 * `update`, not every `.update` of the tree.
 *
 * A file's own definitions come first (two drivers each define a private `struct priv`); else the
 * definitions of all files, where two that disagree on a member leave it unknown, and the caller
 * falls back to the field's name.
 */
import type { FieldOwner, TypeFacts } from './ir';

/** Marks a member or typedef that files define differently. */
const AMBIGUOUS = '';

export class TypeIndex {
  private readonly members = new Map<string, Map<string, string>>();
  private readonly typedefs = new Map<string, string>();
  /**
   * Per file, only what it defines otherwise than the merged view says: a whole tree's facts kept
   * by file doubled the index (124 MiB with the merged maps), and nearly every member agrees.
   */
  private readonly own = new Map<string, OwnFacts>();

  constructor(byFile: ReadonlyMap<string, TypeFacts>) {
    for (const facts of byFile.values()) {
      for (const tag in facts.members) {
        let into = this.members.get(tag);
        if (!into) this.members.set(tag, (into = new Map()));
        const members = facts.members[tag]!;
        for (const field in members) merge(into, field, members[field]!);
      }
      for (const name in facts.typedefs) merge(this.typedefs, name, facts.typedefs[name]!);
    }
    for (const [file, facts] of byFile) {
      const own: OwnFacts = { members: new Map(), typedefs: new Map() };
      for (const tag in facts.members) {
        const members = facts.members[tag]!;
        const merged = this.members.get(tag)!;
        for (const field in members) {
          if (merged.get(field) === members[field]) continue;
          let into = own.members.get(tag);
          if (!into) own.members.set(tag, (into = new Map()));
          into.set(field, members[field]!);
        }
      }
      for (const name in facts.typedefs) if (this.typedefs.get(name) !== facts.typedefs[name]) own.typedefs.set(name, facts.typedefs[name]!);
      if (own.members.size > 0 || own.typedefs.size > 0) this.own.set(file, own);
    }
  }

  /** The structure holding the field `owner` leads to, seen from `file`; undefined when unknown. */
  holder(file: string, owner: FieldOwner): string | undefined {
    const own = this.own.get(file);
    let type = this.canonical(own, owner.type);
    for (const field of owner.via ?? []) {
      if (type === undefined) return undefined;
      const next = own?.members.get(type)?.get(field) ?? this.members.get(type)?.get(field);
      type = next === undefined || next === AMBIGUOUS ? undefined : this.canonical(own, next);
    }
    return type;
  }

  /** The structure a typedef name stands for (through typedefs of typedefs), or the name itself. */
  private canonical(own: OwnFacts | undefined, type: string): string | undefined {
    for (let i = 0; i < 4; i++) {
      const next = own?.typedefs.get(type) ?? this.typedefs.get(type);
      if (next === undefined) return type;
      if (next === AMBIGUOUS) return undefined;
      type = next;
    }
    return undefined;
  }
}

/** A file's definitions that differ from the merged ones (a private `struct priv` of its own). */
interface OwnFacts {
  members: Map<string, Map<string, string>>;
  typedefs: Map<string, string>;
}

function merge(into: Map<string, string>, key: string, value: string): void {
  const known = into.get(key);
  if (known === undefined) into.set(key, value);
  else if (known !== value) into.set(key, AMBIGUOUS);
}
