/**
 * Hover inside a function: what is held at that point (spinlocks, other atomic contexts, pinned
 * kmaps) and where each came from, as the engine's `stateAt` reports it, in markdown.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver/node';
import type { PathEvent } from '../engine/finding';
import type { Program } from './engine';

function where(e: PathEvent, uriOf: (file: string) => string): string {
  return `[${e.file}:${e.line}](${uriOf(e.file)}#L${e.line})`;
}

export function hoverAt(program: Program, file: string, line: number, column: number, uriOf: (file: string) => string): Hover | null {
  const state = program.stateAt(file, line, column);
  if (!state) return null;
  const lines: string[] = [`**kpath** — state in \`${state.function}\` here`, ''];
  const held = [...state.locks, ...state.atomic, ...state.kmaps];
  if (held.length === 0) lines.push('No lock held, not atomic, no kmap pinned.');
  for (const e of held) lines.push(`- ${e.message} — ${where(e, uriOf)}`);
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') } };
}
