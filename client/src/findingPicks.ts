/**
 * How findings are listed in the "Simulate Flagged Path..." picker: those of the active file first,
 * then the rest of the workspace, each group in file and line order. Free of the vscode API.
 */
import type { FindingSummary } from '../../server/src/shared/protocol';

export interface FindingPick {
  /** Group heading ("Active file", "Workspace") shown as a separator before the first item of a group. */
  group: 'Active file' | 'Workspace';
  label: string;
  description: string;
  detail: string;
  finding: FindingSummary;
}

const ICONS: Record<FindingSummary['severity'], string> = {
  error: '$(error)',
  warning: '$(warning)',
  info: '$(info)',
  hint: '$(lightbulb)',
};

/**
 * `relativePath` turns a URI into what the user reads (workspace-relative path); the caller owns
 * that mapping because only it knows the workspace folders.
 */
export function findingPicks(
  findings: readonly FindingSummary[],
  activeUri: string | undefined,
  relativePath: (uri: string) => string,
): FindingPick[] {
  const byPosition = (a: FindingSummary, b: FindingSummary) =>
    a.uri.localeCompare(b.uri) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
  const active = findings.filter((f) => f.uri === activeUri).sort(byPosition);
  const rest = findings.filter((f) => f.uri !== activeUri).sort(byPosition);
  const pick = (group: FindingPick['group']) => (f: FindingSummary): FindingPick => ({
    group,
    label: `${ICONS[f.severity]} ${f.rule}: ${f.message}`,
    // LSP positions are 0-based; people count from 1.
    description: `${relativePath(f.uri)}:${f.range.start.line + 1}`,
    detail: `in ${f.function}(), a path of ${f.pathLength} step${f.pathLength === 1 ? '' : 's'}`,
    finding: f,
  });
  return [...active.map(pick('Active file')), ...rest.map(pick('Workspace'))];
}
