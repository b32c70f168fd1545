/**
 * The `kpath` settings section, validated. The server asks the client for it on every analysis
 * (`workspace/configuration`) and never keeps it in a global, so a change applies to the next
 * keystroke. A bad value is reported (once per distinct problem, by the caller) and replaced by its
 * default; the rest of the settings still apply.
 */
import { RULE_IDS, type RuleId, type Severity } from '../engine/finding';
import type { KpathSettings } from '../shared/protocol';

export interface Settings {
  /** Per rule: a severity overriding the engine's, or 'off'; absent: keep the engine's. */
  severity: Partial<Record<RuleId, Severity | 'off'>>;
  include: string[];
  exclude: string[];
  workspaceAnalysis: boolean;
  maxFileSize: number;
  debounceMs: number;
  /** Base URL of the rule docs; empty: the docs shipped with the server. */
  rulesDocsUrl: string;
}

export const DEFAULT_SETTINGS: Settings = {
  severity: {},
  include: ['**/*.c', '**/*.h'],
  exclude: ['**/.git/**', '**/node_modules/**'],
  workspaceAnalysis: true,
  maxFileSize: 2_000_000,
  debounceMs: 150,
  rulesDocsUrl: '',
};

const SEVERITIES = ['error', 'warning', 'info', 'hint', 'off'] as const;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** Validates a raw `kpath` section; `problems` name the setting and what is wrong with it. */
export function parseSettings(raw: unknown): { settings: Settings; problems: string[] } {
  const problems: string[] = [];
  const settings: Settings = { ...DEFAULT_SETTINGS, severity: {} };
  if (raw === null || raw === undefined) return { settings, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { settings, problems: ['kpath: the settings must be an object'] };
  }
  const s = raw as KpathSettings & Record<string, unknown>;

  if (s.rules !== undefined) {
    if (typeof s.rules !== 'object' || s.rules === null) problems.push('kpath.rules: must be an object');
    else
      for (const [rule, value] of Object.entries(s.rules)) {
        if (!(RULE_IDS as readonly string[]).includes(rule)) {
          problems.push(`kpath.rules.${rule}: unknown rule (known: ${RULE_IDS.join(', ')})`);
          continue;
        }
        const severity = (value as { severity?: unknown } | undefined)?.severity;
        if (severity === undefined || severity === 'default') continue;
        if (typeof severity === 'string' && (SEVERITIES as readonly string[]).includes(severity))
          settings.severity[rule as RuleId] = severity as Severity | 'off';
        else problems.push(`kpath.rules.${rule}.severity: ${JSON.stringify(severity)} is not one of default, ${SEVERITIES.join(', ')}`);
      }
  }
  for (const key of ['include', 'exclude'] as const) {
    if (s[key] === undefined) continue;
    if (isStringArray(s[key])) settings[key] = s[key];
    else problems.push(`kpath.${key}: must be a list of glob strings`);
  }
  if (s.workspaceAnalysis !== undefined) {
    if (typeof s.workspaceAnalysis === 'boolean') settings.workspaceAnalysis = s.workspaceAnalysis;
    else problems.push('kpath.workspaceAnalysis: must be true or false');
  }
  for (const key of ['maxFileSize', 'debounceMs'] as const) {
    if (s[key] === undefined) continue;
    const value = s[key];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) settings[key] = value;
    else problems.push(`kpath.${key}: must be a number >= 0`);
  }
  if (s.rulesDocsUrl !== undefined) {
    if (typeof s.rulesDocsUrl === 'string') settings.rulesDocsUrl = s.rulesDocsUrl;
    else problems.push('kpath.rulesDocsUrl: must be a URL string');
  }
  return { settings, problems };
}
