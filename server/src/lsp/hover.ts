/**
 * Hover inside a function: what is held at that point (spinlocks, other atomic contexts, pinned
 * kmaps) and where each came from, as the engine's `stateAt` reports it, in markdown.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import type { PathEvent } from '../engine/finding';
import type { PointState, Program } from './engine';

function where(e: PathEvent, uriOf: (file: string) => string): string {
  return `[${e.file}:${e.line}](${uriOf(e.file)}#L${e.line})`;
}

/** The markdown of a point's state; exported for tests. */
export function stateMarkdown(state: PointState, uriOf: (file: string) => string): string {
  const lines = [`**kpath** · \`${state.function}\` here`];
  if (state.held.length === 0) {
    lines.push('', 'No lock held, not atomic, no kmap pinned.');
    return lines.join('\n');
  }
  const sections: [PointState['held'][number]['what'], string][] = [
    ['lock', 'Locks held'],
    ['atomic', 'Atomic context'],
    ['pin', 'kmaps pinned'],
  ];
  for (const [what, title] of sections) {
    const items = state.held.filter((h) => h.what === what);
    if (items.length === 0) continue;
    lines.push('', `${title}:`);
    for (const h of items) {
      const some = h.onAllPaths ? '' : ` (on ${state.paths > 1 ? 'some' : 'one'} of ${state.paths} paths)`;
      lines.push(`- \`${h.name}\` — ${h.detail}${some}`);
      for (const e of h.origin) lines.push(`  - ${e.message} (${where(e, uriOf)})`);
    }
  }
  return lines.join('\n');
}

export function hoverAt(program: Program, file: string, line: number, column: number, uriOf: (file: string) => string): Hover | null {
  const state = program.stateAt(file, line, column);
  if (!state) return null;
  return { contents: { kind: MarkupKind.Markdown, value: stateMarkdown(state, uriOf) } };
}
