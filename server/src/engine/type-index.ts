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

  constructor(private readonly byFile: ReadonlyMap<string, TypeFacts>) {
    for (const facts of byFile.values()) {
      for (const tag in facts.members) {
        let into = this.members.get(tag);
        if (!into) this.members.set(tag, (into = new Map()));
        const members = facts.members[tag]!;
        for (const field in members) merge(into, field, members[field]!);
      }
      for (const name in facts.typedefs) merge(this.typedefs, name, facts.typedefs[name]!);
    }
  }

  /** The structure holding the field `owner` leads to, seen from `file`; undefined when unknown. */
  holder(file: string, owner: FieldOwner): string | undefined {
    const own = this.byFile.get(file);
    let type = this.canonical(own, owner.type);
    for (const field of owner.via ?? []) {
      if (type === undefined) return undefined;
      const mine = own && Object.hasOwn(own.members, type) ? own.members[type]! : undefined;
      const next = mine && Object.hasOwn(mine, field) ? mine[field] : this.members.get(type)?.get(field);
      type = next === undefined || next === AMBIGUOUS ? undefined : this.canonical(own, next);
    }
    return type;
  }

  /** The structure a typedef name stands for (through typedefs of typedefs), or the name itself. */
  private canonical(own: TypeFacts | undefined, type: string): string | undefined {
    for (let i = 0; i < 4; i++) {
      const next = own && Object.hasOwn(own.typedefs, type) ? own.typedefs[type] : this.typedefs.get(type);
      if (next === undefined) return type;
      if (next === AMBIGUOUS) return undefined;
      type = next;
    }
    return undefined;
  }
}

function merge(into: Map<string, string>, key: string, value: string): void {
  const known = into.get(key);
  if (known === undefined) into.set(key, value);
  else if (known !== value) into.set(key, AMBIGUOUS);
}
