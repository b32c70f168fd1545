/**
 * The json format, version 1. Its shape is an interface (scripts and the simulator read it), so the
 * objects are built field by field in a fixed order rather than by serialising engine objects: a
 * field added to `Finding` does not silently appear here. Path events keep their optional details
 * (kind, function, lock, serie, ...): they are what a replay needs.
 */
import type { Finding, PathEvent } from '../engine/index';
import type { Report } from './report';

export const JSON_FORMAT_VERSION = 1;

function pathEventJson(e: PathEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {
    file: e.file,
    line: e.line,
    column: e.column,
    message: e.message,
    endLine: e.endLine,
    endColumn: e.endColumn,
    kind: e.kind,
    function: e.function,
  };
  for (const key of ['lock', 'serie', 'mapKind', 'atomic', 'callee', 'blocksOnSerie'] as const) {
    if (e[key] !== undefined) out[key] = e[key];
  }
  return out;
}

export function findingJson(f: Finding): Record<string, unknown> {
  return {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    path: f.path.map(pathEventJson),
    ...(f.more ? { more: f.more } : {}),
    fixes: f.fixes.map((fix) => ({
      title: fix.title,
      edits: fix.edits.map((e) => ({
        file: e.file,
        line: e.line,
        column: e.column,
        endLine: e.endLine,
        endColumn: e.endColumn,
        newText: e.newText,
      })),
    })),
  };
}

export function formatJson(report: Report): string {
  const doc = {
    version: JSON_FORMAT_VERSION,
    findings: report.findings.map(findingJson),
    errors: report.errors.map((e) => ({ file: e.file, message: e.message })),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
