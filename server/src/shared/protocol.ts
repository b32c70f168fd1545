/**
 * kpath's custom LSP messages, declared once and imported by both the language server
 * (`server/src/lsp/`) and the VS Code client (`client/`). Everything here is plain JSON over LSP:
 * positions are LSP's (0-based line and UTF-16 character), URIs are LSP document URIs.
 *
 * Standard LSP carries everything else (diagnostics, code actions, hover, progress); these
 * messages exist only for what LSP has no message for: listing findings for a picker, replaying
 * one in the simulator, re-analysing on demand and a status line.
 */
import { NotificationType, RequestType, RequestType0, type Range } from 'vscode-languageserver-protocol';

/** Commands the server advertises (`executeCommandProvider`) or the client registers. */
export const Commands = {
  /**
   * Client-side: "kpath: Simulate Flagged Path...". Code actions invoke it with one argument, a
   * `FindingRef`; from the palette it has none and the client shows a picker (`kpath/findings`).
   */
  simulate: 'kpath.simulate',
  /** Server-side (also runnable from the palette): re-read settings and every file, re-analyse. */
  reanalyze: 'kpath.reanalyze',
  /** Client-side: restart the language server. */
  restartServer: 'kpath.restartServer',
} as const;

/** The rule ids, repeated as plain strings so the client needs nothing from the engine. */
export type RuleIdString =
  | 'sleep-in-atomic'
  | 'kmap-serie-reentry'
  | 'kmap-serie-order'
  | 'kmap-leak'
  | 'kunmap-order'
  | 'kunmap-mismatch'
  | 'lock-imbalance';

/**
 * Names one finding of the latest analysis. `id` is opaque to the client: it is stable as long as
 * the finding's rule, function and position do not change, and the server resolves it against its
 * newest results (an edit that moves the finding makes the reference stale: `FindingNotFound`).
 */
export interface FindingRef {
  uri: string;
  id: string;
}

/** One finding, as listed for a picker. */
export interface FindingSummary extends FindingRef {
  rule: RuleIdString;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  /** The function in which it is reported. */
  function: string;
  range: Range;
  /** Number of events in the finding's path (what the simulator replays). */
  pathLength: number;
}

// ---- kpath/findings -------------------------------------------------------------------------

export interface FindingsParams {
  /** Only the findings of this document; all findings of the workspace when absent. */
  uri?: string;
}
export interface FindingsResult {
  findings: FindingSummary[];
}
export const FindingsRequest = new RequestType<FindingsParams, FindingsResult, void>('kpath/findings');

// ---- kpath/simulate -------------------------------------------------------------------------

/** Simulation parameters; absent ones take the simulator's defaults (the client fills in its settings). */
export interface SimulationOptions {
  /** Number of concurrent tasks running the path. */
  tasks?: number;
  /** Number of CPUs. */
  cpus?: number;
  /** Slots per kmap serie pool. */
  pool?: number;
  /** Modern preemption model (preemptible outside atomic sections) instead of 2.4's none. */
  preempt?: boolean;
  /** Search the smallest number of tasks that fails instead of simulating `tasks`. */
  minTasks?: boolean;
}

export interface SimulateParams {
  finding: FindingRef;
  options?: SimulationOptions;
}

export interface SimulateResult {
  /** The finding simulated, as listed by `kpath/findings`. */
  finding: FindingSummary;
  /** The simulator's verdict: 'deadlock' | 'lockup' | 'sleep-in-atomic' | 'safe' | 'bounded'. */
  verdict: string;
  /** The simulator's trace, its JSON format (verdict, tasks, cpus, pool, steps, stats, finding). */
  trace: unknown;
  /** The trace rendered as a standalone SVG timeline. */
  svg: string;
  /** The trace as lockdep-style text. */
  text: string;
}

/** Error codes of kpath's requests (JSON-RPC application range). */
export const ErrorCodes = {
  /** The FindingRef names no finding of the newest results (edited since, or never existed). */
  FindingNotFound: -32001,
  /** The simulator rejected the parameters (out of range) or failed. */
  SimulationFailed: -32002,
} as const;

export const SimulateRequest = new RequestType<SimulateParams, SimulateResult, void>('kpath/simulate');

// ---- kpath/reanalyze ------------------------------------------------------------------------

/** Re-reads settings and `.kpath.json`, rescans the workspace and re-analyses; resolves when done. */
export const ReanalyzeRequest = new RequestType0<{ files: number; findings: number }, void>('kpath/reanalyze');

// ---- kpath/status ---------------------------------------------------------------------------

/** Sent whenever analysis starts, progresses or ends, for the status bar. */
export interface StatusParams {
  state: 'analyzing' | 'idle';
  /** Workspace files analysed so far / to analyse in the current scan (0/0 when no scan runs). */
  done: number;
  total: number;
  /** Findings currently published, over all files. */
  findings: number;
}
export const StatusNotification = new NotificationType<StatusParams>('kpath/status');

// ---- settings -------------------------------------------------------------------------------

/**
 * The `kpath` settings section, as the client contributes it (`contributes.configuration`) and the
 * server reads it (`workspace/configuration`, section 'kpath', on every analysis). Every field is
 * optional; the server validates what it gets and warns once about a bad value, then uses the default.
 */
export interface KpathSettings {
  /** Per rule: `kpath.rules.<rule-id>.severity`; 'default' keeps the rule's (or `.kpath.json`'s) severity. */
  rules?: Partial<Record<RuleIdString, { severity?: 'default' | 'error' | 'warning' | 'info' | 'hint' | 'off' }>>;
  /** Globs (relative to a workspace folder) of the files analysed in the background. Default `["**\/*.c", "**\/*.h"]`. */
  include?: string[];
  /** Globs excluded from the background analysis. Default `["**\/.git/**", "**\/node_modules/**"]`. */
  exclude?: string[];
  /** Analyse the workspace's files in the background (cross-file paths). Default true. */
  workspaceAnalysis?: boolean;
  /** Files larger than this many bytes are skipped with a message. Default 2000000. */
  maxFileSize?: number;
  /** Delay between the last keystroke and the analysis, in milliseconds. Default 150. */
  debounceMs?: number;
  /**
   * Where a diagnostic's rule link points: `<rulesDocsUrl>/<rule-id>.md`. Empty (the default): the
   * `docs/rules/` folder shipped inside the installed extension, as a file URL.
   */
  rulesDocsUrl?: string;
  /** Defaults for "Simulate Flagged Path..." (read by the client, which passes them in `SimulationOptions`). */
  simulation?: SimulationOptions;
}
