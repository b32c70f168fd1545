/**
 * The sarif format: one SARIF 2.1.0 run for GitHub code scanning and SARIF viewers. A finding's path
 * becomes `codeFlows[0].threadFlows[0].locations` (one step per path event, with its message), its
 * fixes become `fixes[].artifactChanges[].replacements[]`, and input errors become tool execution
 * notifications. File URIs are relative to the current directory under `%SRCROOT%`, which is what
 * code scanning resolves against the checked-out repository; files outside it get absolute
 * `file://` URIs. Columns are UTF-16 code units, as the run's `columnKind` says.
 */
import { relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULE_IDS, ruleById, type Finding, type PathEventKind, type RuleId, type Severity, type TextEdit } from '../engine/index';
import type { Span } from '../engine/index';
import type { Report } from './report';
import { KPATH_HOME, KPATH_VERSION, ruleDocUri } from './version';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

/** SARIF `level` for each severity: SARIF has no info or hint, its nearest is note. */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** `threadFlowLocation.kinds`, from SARIF's list of suggested values. */
const FLOW_KINDS: Record<PathEventKind, string[]> = {
  entry: ['enter', 'function'],
  lock: ['acquire', 'lock'],
  unlock: ['release', 'lock'],
  'lock-drop': ['release', 'acquire', 'lock'],
  'atomic-enter': ['enter', 'scope'],
  'atomic-exit': ['exit', 'scope'],
  kmap: ['acquire', 'resource'],
  kunmap: ['release', 'resource'],
  call: ['call', 'function'],
  sleep: ['danger'],
  branch: ['branch'],
  return: ['return', 'function'],
};

export interface SarifContext {
  /** The directory `%SRCROOT%` stands for; relative URIs are relative to it. */
  cwd: string;
}

function artifactLocation(file: string, ctx: SarifContext): { uri: string; uriBaseId?: string } {
  const absolute = resolve(ctx.cwd, file);
  const rel = relative(ctx.cwd, absolute);
  if (rel === '' || rel.startsWith('..') || resolve(ctx.cwd, rel) !== absolute) {
    return { uri: pathToFileURL(absolute).href };
  }
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function region(span: Span): { startLine: number; startColumn: number; endLine: number; endColumn: number } {
  return { startLine: span.line, startColumn: span.column, endLine: span.endLine, endColumn: span.endColumn };
}

function physicalLocation(file: string, span: Span, ctx: SarifContext) {
  return { physicalLocation: { artifactLocation: artifactLocation(file, ctx), region: region(span) } };
}

function fixesOf(finding: Finding, ctx: SarifContext) {
  return finding.fixes.map((fix) => {
    const byFile = new Map<string, TextEdit[]>();
    for (const edit of fix.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
    return {
      description: { text: fix.title },
      artifactChanges: [...byFile].map(([file, edits]) => ({
        artifactLocation: artifactLocation(file, ctx),
        replacements: edits.map((e) => ({ deletedRegion: region(e), insertedContent: { text: e.newText } })),
      })),
    };
  });
}

function resultOf(finding: Finding, ctx: SarifContext) {
  const result: Record<string, unknown> = {
    ruleId: finding.rule,
    ruleIndex: RULE_IDS.indexOf(finding.rule),
    level: LEVEL[finding.severity],
    message: { text: finding.message },
    locations: [physicalLocation(finding.file, finding, ctx)],
  };
  if (finding.path.length > 0) {
    result.codeFlows = [
      {
        threadFlows: [
          {
            locations: finding.path.map((event) => ({
              location: { ...physicalLocation(event.file, event, ctx), message: { text: event.message } },
              kinds: FLOW_KINDS[event.kind] ?? [],
              properties: { kind: event.kind, function: event.function },
            })),
          },
        ],
      },
    ];
  }
  if (finding.fixes.length > 0) result.fixes = fixesOf(finding, ctx);
  if (finding.more) result.properties = { more: finding.more };
  return result;
}

/** A rule as code scanning shows it: the summary, and the rule's doc as the alert's help. */
function ruleDescriptor(id: RuleId) {
  const rule = ruleById(id);
  const { summary, what, why, example, fix } = rule.doc;
  return {
    id,
    name: id,
    shortDescription: { text: summary },
    fullDescription: { text: what },
    helpUri: ruleDocUri(id),
    help: {
      text: `${what}\n\nWhy: ${why}\n\nExample:\n${example}\n\nFix: ${fix}`,
      markdown: `${what}\n\n**Why.** ${why}\n\n**Example**\n\n\`\`\`c\n${example}\n\`\`\`\n\n**Fix.** ${fix}`,
    },
    defaultConfiguration: { level: LEVEL[rule.defaultSeverity] },
  };
}

export function sarifDocument(report: Report, ctx: SarifContext) {
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kpath',
            version: KPATH_VERSION,
            informationUri: KPATH_HOME,
            rules: RULE_IDS.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(ctx.cwd).href.replace(/\/?$/, '/') } },
        columnKind: 'utf16CodeUnits',
        results: report.findings.map((f) => resultOf(f, ctx)),
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: report.errors.map((e) => ({
              level: 'error',
              message: { text: e.message },
              locations: [{ physicalLocation: { artifactLocation: artifactLocation(e.file, ctx) } }],
            })),
          },
        ],
      },
    ],
  };
}

export function formatSarif(report: Report, ctx: SarifContext): string {
  return JSON.stringify(sarifDocument(report, ctx), null, 2) + '\n';
}
