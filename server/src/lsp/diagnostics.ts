/**
 * Findings as LSP diagnostics: the rule id as `code` with a link to its documentation, the
 * severity from the settings (or the engine's), the finding's message, and its path as related
 * information, one entry per event ("'dst->page_table_lock' taken here by caller dup_mmap").
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { Finding, Severity } from '../engine/finding';
import type { FindingSummary } from '../shared/protocol';
import { rangeOf } from './convert';
import { ruleDocsHref } from './ruleDocs';
import type { Settings } from './settings';

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** What a diagnostic carries back to the server in code action requests. */
export interface DiagnosticData {
  id: string;
}

/** A finding's identity within its file: stable while its rule, function and position stay. */
export function findingId(f: Finding): string {
  return `${f.rule}@${f.function}@${f.line}:${f.column}`;
}

/** The severity the user sees: the setting's, else the engine's; `undefined` when the rule is off. */
export function effectiveSeverity(f: Finding, settings: Settings): Severity | undefined {
  const s = settings.severity[f.rule] ?? f.severity;
  return s === 'off' ? undefined : s;
}

export function toDiagnostic(f: Finding, severity: Severity, settings: Settings, uriOf: (file: string) => string): Diagnostic {
  const data: DiagnosticData = { id: findingId(f) };
  return {
    range: rangeOf(f),
    severity: LSP_SEVERITY[severity],
    code: f.rule,
    codeDescription: { href: ruleDocsHref(f.rule, settings.rulesDocsUrl) },
    source: 'kpath',
    message: f.message,
    relatedInformation: f.path.map((event) => ({
      location: { uri: uriOf(event.file), range: rangeOf(event) },
      message: event.message,
    })),
    data,
  };
}

export function toSummary(f: Finding, severity: Severity, uri: string): FindingSummary {
  return {
    uri,
    id: findingId(f),
    rule: f.rule,
    severity,
    message: f.message,
    function: f.function,
    range: rangeOf(f),
    pathLength: f.path.length,
  };
}
