/**
 * What `kpath check` prints, before it is formatted: the findings that survive the rule filters, in
 * a stable order, and the input errors. Pure functions, shared by the three formats, so that text,
 * json and sarif always show the same findings in the same order.
 */
import type { Finding, InputError, PathEvent, RuleId, Severity } from '../engine/index';

export interface Report {
  findings: Finding[];
  errors: InputError[];
  /** Files looked at (analysed, or reported under errors). */
  filesChecked: number;
}

export interface RuleFilter {
  /** Report only these (empty: all). */
  rules: readonly RuleId[];
  disabled: readonly RuleId[];
  /** From the configuration; a rule set to 'off' is never reported. */
  severity?: Partial<Record<RuleId, Severity | 'off'>>;
}

export function isReported(rule: RuleId, filter: RuleFilter): boolean {
  if (filter.rules.length > 0 && !filter.rules.includes(rule)) return false;
  if (filter.disabled.includes(rule)) return false;
  return filter.severity?.[rule] !== 'off';
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** By file, line, column, then rule and message so that equal positions still sort the same way. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    compareStrings(a.rule, b.rule) ||
    compareStrings(a.message, b.message)
  );
}

/** By file only: the sort is stable, and one file's problems keep the order they were found in. */
export function compareErrors(a: InputError, b: InputError): number {
  return compareStrings(a.file, b.file);
}

export function buildReport(
  findings: readonly Finding[],
  errors: readonly InputError[],
  filter: RuleFilter,
  filesChecked: number,
): Report {
  return {
    findings: findings.filter((f) => isReported(f.rule, filter)).sort(compareFindings),
    errors: [...errors].sort(compareErrors),
    filesChecked,
  };
}

/** Where several findings' paths start: one lock taken, or one callback registered, above many sleeps. */
export interface Root {
  rule: RuleId;
  /** The first event of their paths. */
  event: PathEvent;
  findings: number;
}

/**
 * The starting points of the findings' paths, most findings first (then by location): a whole
 * tree's 4,500 findings start at some 1,300 places, and one lock taken above a deep call tree is
 * one thing to look at, however many sleeps lie below it. Findings without a path are left out.
 */
export function rootsOf(findings: readonly Finding[]): Root[] {
  const roots = new Map<string, Root>();
  for (const f of findings) {
    const event = f.path[0];
    if (!event) continue;
    const key = `${f.rule} ${event.file}:${event.line}:${event.column}`;
    const root = roots.get(key);
    if (root) root.findings++;
    else roots.set(key, { rule: f.rule, event, findings: 1 });
  }
  const at = (r: Root) => r.event;
  return [...roots.values()].sort(
    (a, b) =>
      b.findings - a.findings ||
      compareStrings(at(a).file, at(b).file) ||
      at(a).line - at(b).line ||
      at(a).column - at(b).column ||
      compareStrings(a.rule, b.rule),
  );
}
