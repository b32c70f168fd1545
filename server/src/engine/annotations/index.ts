/**
 * What the annotations of a function and the suppressions of a file say, read from the IR (the
 * header text, the leading comment, every comment). Three sources, in this order of trust:
 * sparse annotations in the header, kpath's own `kpath:` comments, and the kernel's comment idioms.
 *
 * Architecture invariant: annotations are read, never inferred. Nothing here looks at a function's
 * body; `lockdep_assert_held(x)` and `might_sleep()` are calls, and their meaning is a table row.
 */
import type { Finding, InputError } from '../finding';
import type { FileIR, FunctionIR } from '../ir';
import { DEFAULT_API } from '../kernel/api';
import { indexApi, type ApiIndex } from '../kernel/index';
import { parseDirectives } from './directives';
import { headerAnnotations } from './header';
import { commentEntryLocks } from './kernelComments';
import { lockRefFor } from './locks';
import type { FunctionAnnotations, LockAnnotation, Suppression } from './types';

export type { FunctionAnnotations, LockAnnotation, Suppression, AnnotationSource } from './types';
export { lockNameMatches, normaliseLock } from './locks';

let defaultIndex: ApiIndex | undefined;
function defaultApi(): ApiIndex {
  return (defaultIndex ??= indexApi(DEFAULT_API));
}

export function functionAnnotations(fn: FunctionIR, api: ApiIndex = defaultApi()): FunctionAnnotations {
  const out: FunctionAnnotations = { mustHold: [], acquires: [], releases: [], drops: [], condAcquires: [], mustNotHold: [] };
  headerAnnotations(fn.header, fn.params, out);
  for (const list of [out.mustHold, out.acquires, out.releases, out.condAcquires, out.mustNotHold]) {
    for (const a of list) {
      const cls = api.lockClassByName(a.lock);
      if (cls) a.class = cls;
    }
  }

  for (const { directive: d } of parseDirectives(fn.leadingComment, 1, api)) {
    if (!d) continue; // malformed: reported by fileSuppressions, not honoured here
    switch (d.kind) {
      case 'holds':
      case 'acquires':
      case 'releases': {
        const list = d.kind === 'holds' ? out.mustHold : d.kind === 'acquires' ? out.acquires : out.releases;
        for (const l of d.locks) {
          const a: LockAnnotation = { lock: l.lock, text: d.text, source: 'kpath' };
          const cls = l.class ?? api.lockClassByName(l.lock);
          if (cls) a.class = cls;
          const ref = lockRefFor(l.lock, fn.params);
          if (ref) a.ref = ref;
          if (!list.some((x) => x.lock === a.lock)) list.push(a);
        }
        break;
      }
      case 'atomic':
        out.atomic = { kind: d.atomic, text: d.text };
        break;
      case 'may-sleep':
        out.sleeps = { why: d.why };
        break;
      case 'never-sleeps':
        out.neverSleeps = true;
        break;
      case 'maps':
        out.map = d.map;
        break;
      case 'unmaps':
        out.unmap = d.unmap;
        break;
      case 'ignore':
        break; // a suppression, see fileSuppressions
    }
  }

  // The kernel's idioms only add locks no annotation names already.
  for (const a of commentEntryLocks(fn.leadingComment, fn.params, api)) {
    if (!out.mustHold.some((x) => x.lock === a.lock)) out.mustHold.push(a);
  }
  if (out.neverSleeps) delete out.sleeps;
  listDrops(out);
  return out;
}

/** A lock both released and acquired is dropped and retaken: list it in `drops` as well. */
function listDrops(out: FunctionAnnotations): void {
  for (const a of out.releases) {
    if (out.acquires.some((x) => x.lock === a.lock) && !out.drops.some((x) => x.lock === a.lock)) out.drops.push(a);
  }
}

/**
 * Every `kpath: ignore` of the file, and a problem for every `kpath:` line that is not understood
 * (a suppression without a reason or with an unknown rule id is not honoured; an unknown or malformed
 * annotation anywhere is reported here too, once per file).
 */
export function fileSuppressions(ir: FileIR, api: ApiIndex = defaultApi()): { suppressions: Suppression[]; problems: InputError[] } {
  const suppressions: Suppression[] = [];
  const problems: InputError[] = [];
  for (const comment of ir.comments) {
    for (const p of parseDirectives(comment.text, comment.span.line, api)) {
      if (p.problem) problems.push({ file: ir.file, message: `line ${p.line}: ${p.problem}` });
      else if (p.directive?.kind === 'ignore') {
        suppressions.push({
          rules: p.directive.rules,
          reason: p.directive.reason,
          span: comment.span,
          fromLine: p.line,
          toLine: comment.span.endLine + 1,
        });
      }
    }
  }
  return { suppressions, problems };
}

/** Whether a finding is silenced by one of its file's suppressions. */
export function isSuppressed(finding: Pick<Finding, 'rule' | 'line'>, suppressions: readonly Suppression[]): boolean {
  return suppressions.some((s) => s.rules.includes(finding.rule) && finding.line >= s.fromLine && finding.line <= s.toLine);
}
