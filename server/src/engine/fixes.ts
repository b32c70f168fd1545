/**
 * Fixes as data: text edits a finding carries. The engine has no source text, so every edit is
 * computed from spans and normalised texts of the IR: renaming a callee, replacing an argument,
 * appending an argument before a call's closing parenthesis, inserting a suppression comment.
 */
import type { Fix, RuleId, TextEdit } from './finding';
import type { Arg, CallOp, FunctionIR } from './ir';
import type { Knowledge } from './dataflow/env';
import type { Held, HeldLock, HeldPin } from './dataflow/state';
import type { AtomicAlternative, CallSemantics } from './kernel/semantics';
import type { Span } from './span';

export const SUPPRESSION_REASON_PLACEHOLDER = 'explain why this cannot happen here';

function edit(file: string, span: Span, newText: string): TextEdit {
  return { file, line: span.line, column: span.column, endLine: span.endLine, endColumn: span.endColumn, newText };
}

function insertAt(file: string, line: number, column: number, newText: string): TextEdit {
  return { file, line, column, endLine: line, endColumn: column, newText };
}

/** A suppression comment in front of the flagged code, on its line, with a reason still to write. */
export function suppressionFix(file: string, rule: RuleId, at: { line: number; column: number }): Fix {
  return {
    title: `Suppress ${rule} here (a reason is required)`,
    edits: [insertAt(file, at.line, at.column, `/* kpath: ignore ${rule}: ${SUPPRESSION_REASON_PLACEHOLDER} */ `)],
  };
}

/**
 * Fixes for a call that may block where it must not. `holds` are the items making the context
 * atomic; the first alternative that applies is the preferred fix.
 */
export function nonBlockingFixes(
  file: string,
  fn: FunctionIR,
  op: CallOp,
  sem: CallSemantics | undefined,
  holds: readonly Held[],
  knowledge: Knowledge,
): Fix[] {
  const fixes: Fix[] = [];
  const alternatives: AtomicAlternative[] = sem ? knowledge.alternatives(sem.name, op.args.length) : [];
  for (const alt of alternatives) {
    const fix = alternativeFix(file, fn, op, alt, holds);
    if (fix) fixes.push(fix);
  }
  if (fixes[0]) fixes[0].preferred = true;
  return fixes;
}

function alternativeFix(
  file: string,
  fn: FunctionIR,
  op: CallOp,
  alt: AtomicAlternative,
  holds: readonly Held[],
): Fix | undefined {
  const edits: TextEdit[] = [edit(file, op.calleeSpan, alt.name)];
  if (alt.appendLockOwner) {
    // Right only when the single thing making the context atomic is `<owner>->field`.
    const only = holds.length === 1 && holds[0]!.what === 'lock' ? (holds[0] as HeldLock) : undefined;
    const owner = only && lockOwner(only.lock, alt.appendLockOwner.field);
    if (!owner || only!.lock !== only!.display) return undefined;
    edits.push(insertAt(file, op.span.endLine, op.span.endColumn - 1, `, ${owner}`));
  }
  if (alt.releaseRename) {
    const variable = op.assignTo;
    const releases = releaseCalls(fn, alt.releaseRename.from, op);
    if (!variable || releases.length === 0) return undefined;
    for (const r of releases) edits.push(edit(file, r.span, `${alt.releaseRename.to}(${variable})`));
  }
  return { title: `Use ${alt.name}() (${alt.note})`, edits };
}

/** `dst->page_table_lock` with field `page_table_lock` -> `dst`; `init_mm.page_table_lock` -> `&init_mm`. */
function lockOwner(lock: string, field: string): string | undefined {
  if (lock.endsWith(`->${field}`)) return lock.slice(0, -field.length - 2);
  if (lock.endsWith(`.${field}`)) return `&${lock.slice(0, -field.length - 1)}`;
  return undefined;
}

/** The calls in `fn` to `releaser` that release what `op` mapped (same page argument). */
function releaseCalls(fn: FunctionIR, releaser: string, op: CallOp): CallOp[] {
  const page = op.args[0]?.text;
  const out: CallOp[] = [];
  for (const block of fn.blocks) {
    for (const o of block.ops) {
      if (o.kind === 'call' && o.callee === releaser && (o.args[0]?.text === page || o.args[0]?.text === op.assignTo)) out.push(o);
    }
  }
  return out;
}

/** `GFP_KERNEL|__GFP_ZERO` -> `GFP_ATOMIC | __GFP_ZERO`: the sleeping mask replaced by the atomic one. */
export function gfpFix(file: string, arg: Arg, knowledge: Knowledge): Fix | undefined {
  const atomic = knowledge.api.gfp.atomicMask ?? 'GFP_ATOMIC';
  const parts = arg.text.split('|');
  const index = parts.findIndex((p) => knowledge.api.gfp.sleeping.includes(p));
  if (index < 0) return undefined;
  parts[index] = atomic;
  return { title: `Allocate with ${atomic} (cannot sleep; may fail: check the error path)`, edits: [edit(file, arg.span, parts.join(' | '))] };
}

/** Renames an unmap call to the releaser that matches the mapping. */
export function releaserFix(file: string, op: CallOp, pin: HeldPin): Fix | undefined {
  const releaser = pin.releasedBy[0];
  if (!releaser || /^</.test(pin.key)) return undefined;
  return { title: `Release with ${releaser}(${pin.key})`, edits: [edit(file, op.span, `${releaser}(${pin.key})`)], preferred: true };
}
