/**
 * The text format: what a compiler prints, so that make, vim's quickfix and CI log scrapers jump to
 * every location. A finding is `file:line:col: warning: message [rule]`; each step of its path is a
 * `file:line:col: note: message` line, unindented exactly like gcc's notes (vim's default
 * 'errorformat' reads `%f:%l:%c:%m`, and an indented line would put the spaces into the file name);
 * fixes are `  fix: title` lines, which match no errorformat pattern and so stay plain text.
 */
import type { Finding, InputError, PathEvent } from '../engine/index';
import { type Report, rootsOf } from './report';

export interface TextOptions {
  /** ANSI colours (the caller decides: stdout is a TTY and NO_COLOR is unset). */
  color: boolean;
  /** Only the finding and error lines. */
  quiet: boolean;
}

const ansi = (code: string) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const PLAIN = (s: string) => s;

interface Palette {
  location: (s: string) => string;
  severity: Record<string, (s: string) => string>;
  note: (s: string) => string;
  fix: (s: string) => string;
}

// gcc's colours: bold locations, magenta warnings, red errors, cyan notes, green fix-it hints.
const COLOURED: Palette = {
  location: ansi('1'),
  severity: { error: ansi('1;31'), warning: ansi('1;35'), info: ansi('1;36'), hint: ansi('1;36') },
  note: ansi('1;36'),
  fix: ansi('32'),
};
const UNCOLOURED: Palette = {
  location: PLAIN,
  severity: { error: PLAIN, warning: PLAIN, info: PLAIN, hint: PLAIN },
  note: PLAIN,
  fix: PLAIN,
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The last event usually sits where the finding is reported; the finding line already says it. */
function notesOf(finding: Finding): PathEvent[] {
  const last = finding.path[finding.path.length - 1];
  const repeatsFinding =
    last !== undefined && last.file === finding.file && last.line === finding.line && last.column === finding.column;
  return repeatsFinding ? finding.path.slice(0, -1) : finding.path;
}

export function formatFindingText(finding: Finding, options: TextOptions): string {
  const p = options.color ? COLOURED : UNCOLOURED;
  const colourSeverity = p.severity[finding.severity] ?? PLAIN;
  const lines = [
    `${p.location(`${finding.file}:${finding.line}:${finding.column}:`)} ${colourSeverity(`${finding.severity}:`)} ` +
      `${finding.message} ${colourSeverity(`[${finding.rule}]`)}`,
  ];
  if (!options.quiet) {
    for (const event of notesOf(finding)) {
      lines.push(`${p.location(`${event.file}:${event.line}:${event.column}:`)} ${p.note('note:')} ${event.message}`);
    }
    for (const fix of finding.fixes) lines.push(`  ${p.fix('fix:')} ${fix.title}`);
  }
  return lines.join('\n') + '\n';
}

export function formatErrorText(error: InputError, options: TextOptions): string {
  const p = options.color ? COLOURED : UNCOLOURED;
  return `${p.location(`${error.file}:`)} ${p.severity.error('error:')} ${error.message}\n`;
}

/** Starting points named after the findings: those of two findings or more, most first. */
const ROOTS_SHOWN = 10;

/**
 * `kernel/fork.c:26:3: note: 2 findings start here: 'mm->page_table_lock' taken here [sleep-in-atomic]`
 * for the places where several paths start, so that one lock above a deep call tree is read once.
 */
export function rootLines(report: Report, options: TextOptions): string {
  const p = options.color ? COLOURED : UNCOLOURED;
  const shared = rootsOf(report.findings).filter((r) => r.findings > 1);
  const lines = shared
    .slice(0, ROOTS_SHOWN)
    .map(({ event, rule, findings }) => `${p.location(`${event.file}:${event.line}:${event.column}:`)} ${p.note('note:')} ${findings} findings start here: ${event.message} [${rule}]`);
  const more = shared.length - ROOTS_SHOWN;
  if (more > 0) lines.push(`... and ${plural(more, 'other place')} where several findings start`);
  return lines.map((l) => `${l}\n`).join('');
}

/**
 * `3 findings (2 sleep-in-atomic, 1 kmap-serie-reentry) from 2 places in 4 files; 1 file with
 * errors`: rules by decreasing count, ties in the order of their ids; the places where the paths
 * start, when fewer than the findings.
 */
export function summaryLine(report: Report): string {
  const counts = new Map<string, number>();
  for (const f of report.findings) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  const byRule = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const findings =
    report.findings.length === 0
      ? 'no findings'
      : `${plural(report.findings.length, 'finding')} (${byRule.map(([rule, n]) => `${n} ${rule}`).join(', ')})${fromPlaces(report)}`;
  const errorFiles = new Set(report.errors.map((e) => e.file)).size;
  const errors = errorFiles === 0 ? '' : `; ${plural(errorFiles, 'file')} with errors`;
  return `${findings} in ${plural(report.filesChecked, 'file')}${errors}\n`;
}

/** ` from 2 places` when paths share a starting point (findings without a path are places of their own). */
function fromPlaces(report: Report): string {
  const places = rootsOf(report.findings).length + report.findings.filter((f) => f.path.length === 0).length;
  return places < report.findings.length ? ` from ${plural(places, 'place')}` : '';
}

export function formatText(report: Report, options: TextOptions): string {
  let out = report.findings.map((f) => formatFindingText(f, options)).join('');
  out += report.errors.map((e) => formatErrorText(e, options)).join('');
  if (!options.quiet) out += rootLines(report, options) + summaryLine(report);
  return out;
}
