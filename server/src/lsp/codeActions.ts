/**
 * Code actions for one finding: its fixes (as the engine made them) as quick fixes, a suppression
 * comment that asks for a reason, `__must_hold(...)` when the lock came from a caller, and
 * "Simulate this path", which hands the finding to the client's simulation view.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit as LspTextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Fix, PathEvent } from '../engine/finding';
import type { Program } from './engine';
import { Commands, type FindingRef } from '../shared/protocol';
import { rangeOf } from './convert';
import { findingId } from './diagnostics';

/** Sub-kinds of quickfix, so that clients can filter them; they are listed with the quick fixes. */
export const SUPPRESS_KIND = `${CodeActionKind.QuickFix}.kpath.suppress`;
export const MUST_HOLD_KIND = `${CodeActionKind.QuickFix}.kpath.mustHold`;
export const SIMULATE_KIND = `${CodeActionKind.QuickFix}.kpath.simulate`;

/** The reason text inserted by "suppress": a placeholder the user must overwrite. */
export const REASON_PLACEHOLDER = '<reason>';

export interface ActionContext {
  uri: string;
  document: TextDocument;
  diagnostic: Diagnostic;
  uriOf: (file: string) => string;
  /**
   * Where `__must_hold(...)` goes for the named function of this document: just after its
   * declarator (`f(struct mm_struct *mm)|`), 0-based; `undefined` when the function is not here.
   */
  headerEnd: (functionName: string) => { line: number; character: number } | undefined;
  /** The function's text before its body, whitespace removed. */
  headerText: (functionName: string) => string | undefined;
  /**
   * The locks (canonical names, in the function's own terms) that `finding` runs under because a
   * caller took them, as the engine's point state at the finding says; `[]` when none.
   */
  locksFromCallers: (finding: Finding) => string[];
}

function workspaceEdit(fix: Fix, uriOf: (file: string) => string): WorkspaceEdit {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const edit of fix.edits) (changes[uriOf(edit.file)] ??= []).push({ range: rangeOf(edit), newText: edit.newText });
  return { changes };
}

function isSuppression(fix: Fix): boolean {
  return fix.edits.some((e) => e.newText.includes('kpath: ignore'));
}

export function codeActionsFor(f: Finding, ctx: ActionContext): CodeAction[] {
  const actions: CodeAction[] = f.fixes.map((fix) => ({
    title: fix.title,
    kind: isSuppression(fix) ? SUPPRESS_KIND : CodeActionKind.QuickFix,
    diagnostics: [ctx.diagnostic],
    isPreferred: fix.preferred === true,
    edit: workspaceEdit(fix, ctx.uriOf),
  }));
  if (!f.fixes.some(isSuppression)) actions.push(suppressAction(f, ctx));
  const mustHold = mustHoldAction(f, ctx);
  if (mustHold) actions.push(mustHold);
  const ref: FindingRef = { uri: ctx.uri, id: findingId(f) };
  actions.push({
    title: 'Simulate this path',
    kind: SIMULATE_KIND,
    diagnostics: [ctx.diagnostic],
    command: { title: 'Simulate this path', command: Commands.simulate, arguments: [ref] },
  });
  return actions;
}

/** `/* kpath: ignore <rule>: <reason> *\/` on its own line above the finding, indented like it. */
function suppressAction(f: Finding, ctx: ActionContext): CodeAction {
  const line = f.line - 1;
  const lineText = ctx.document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  const indent = /^[ \t]*/.exec(lineText)![0];
  return {
    title: `Suppress ${f.rule} here (with a reason)`,
    kind: SUPPRESS_KIND,
    diagnostics: [ctx.diagnostic],
    edit: {
      changes: {
        [ctx.uri]: [
          {
            range: { start: { line, character: 0 }, end: { line, character: 0 } },
            newText: `${indent}/* kpath: ignore ${f.rule}: ${REASON_PLACEHOLDER} */\n`,
          },
        ],
      },
    },
  };
}

/**
 * When the finding runs under a lock that a caller took, the function's requirement can be written
 * down: `__must_hold(&lock)` after its declarator (sparse's annotation, which kpath also reads, so
 * the finding is then reported against the callers that do not hold it). A lock from the function's
 * own annotation is not from a caller, so it is not offered again.
 */
function mustHoldAction(f: Finding, ctx: ActionContext): CodeAction | undefined {
  const at = ctx.headerEnd(f.function);
  if (!at) return undefined;
  // Not twice: an annotation this action inserted before is not offered again.
  const header = ctx.headerText(f.function) ?? '';
  const annotations = ctx
    .locksFromCallers(f)
    .map((lock) => `__must_hold(${lock.startsWith('&') ? lock : `&${lock}`})`)
    .filter((a) => !header.includes(a.replace(/\s+/g, '')));
  if (annotations.length === 0) return undefined;
  return {
    title: `Add ${annotations.join(' ')} to ${f.function}()`,
    kind: MUST_HOLD_KIND,
    diagnostics: [ctx.diagnostic],
    edit: { changes: { [ctx.uri]: [{ range: { start: at, end: at }, newText: ` ${annotations.join(' ')}` }] } },
  };
}

/**
 * The locks held at the finding that a caller took: the engine's point state there, keeping the
 * locks whose explanation starts in another function and is part of the finding's path.
 */
export function locksFromCallers(program: Program, f: Finding): string[] {
  const state = program.stateAt(f.file, f.line, f.column);
  if (!state) return [];
  const inPath = (e: PathEvent) => f.path.some((p) => p.file === e.file && p.line === e.line && p.column === e.column && p.kind === e.kind);
  return state.held
    .filter((h) => h.what === 'lock' && h.origin.length > 0 && h.origin[0].function !== f.function && inPath(h.origin[0]))
    .map((h) => h.name);
}
