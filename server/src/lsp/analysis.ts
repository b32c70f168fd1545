/**
 * The analysis state of the language server and when it runs. One engine `Program` holds the IR of
 * every file the server knows (open documents from the editor's text, the rest of the workspace
 * from disk); this class keeps it up to date and publishes each file's findings as diagnostics.
 *
 * Consistency: the engine is synchronous, so "parse, lower, update, check, publish" of one
 * document version runs without interruption and is published with that version; work that was
 * waiting (debounce, settings round trip) when a newer version arrived is dropped.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Connection, Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Severity } from '../engine/finding';
import type { FileIR } from '../engine/ir';
import type { BatchStats } from '../host/batch';
import { HeaderDiscovery } from '../host/includes';
import type { CParser } from '../engine/syntax/parser';
import { StatusNotification, type FindingSummary } from '../shared/protocol';
import { effectiveSeverity, findingId, toDiagnostic, toSummary } from './diagnostics';
import { LoweringMemo, lowerFile, Program, type ResolvedConfig } from './engine';
import type { FileNames } from './files';
import type { Settings } from './settings';
import type { RecordingTextDocuments } from './textSync';
import { type HeldFiles, KeptPrograms } from './keptProgram';
import { DocumentTrees } from './trees';
import { fileSelector, listWorkspaceFiles, lowerWorkspaceFiles } from './workspaceFiles';

export interface AnalyzerHost {
  connection: Connection;
  /** The engine's `lowerFile`, replaceable so that tests can make one file's analysis fail. */
  lower: typeof lowerFile;
  documents: RecordingTextDocuments;
  names: FileNames;
  parser: CParser;
  /** Reads and validates the `kpath` settings now (warning once about bad values). */
  readSettings(): Promise<Settings>;
  /** The persistent IR cache (host/cache.ts) of files read from disk; none when undefined. */
  cacheDir?: string;
}

/** The newest published result of one file. */
interface FileResult {
  uri: string;
  /** The document version the findings belong to; undefined for a file read from disk. */
  version: number | undefined;
  findings: Finding[];
  /** What was published per finding (rules turned off are absent). */
  published: Map<Finding, { severity: Severity; diagnostic: Diagnostic }>;
  /** The diagnostics as last sent (JSON), to send nothing when a re-check changes nothing. */
  sent: string;
}

/** Milliseconds per phase of the last document analysis (for the benchmark and the log). */
export interface PhaseTimings {
  parseMs: number;
  lowerMs: number;
  checkMs: number;
}

/**
 * An analysis slower than this is logged with its phases (where the time went). The environment
 * variable KPATH_LSP_SLOW_MS changes it (0 logs every analysis; the benchmark uses that).
 */
const SLOW_MS = Number(process.env.KPATH_LSP_SLOW_MS ?? 500);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => (ms / 1000).toFixed(1);

function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** The log line of a workspace scan: what was read, how much the IR cache answered, how long it took. */
function describeScan(files: number, lowered: { errors: readonly unknown[]; stats?: BatchStats }, ms: number, cacheDir: string | undefined): string {
  const hits = lowered.stats?.cacheHits ?? 0;
  const cache = cacheDir === undefined ? 'no IR cache' : `${hits} of them from the IR cache in ${cacheDir}`;
  return `kpath: read ${files} workspace files (${cache}, ${lowered.errors.length} skipped) in ${seconds(ms)} s`;
}

/** Whether two versions of a file include the same headers (lines may have moved). */
function sameIncludes(a: FileIR, b: FileIR): boolean {
  return a.includes.length === b.includes.length && a.includes.every((inc, i) => inc.path === b.includes[i]!.path && inc.system === b.includes[i]!.system);
}

export class Analyzer {
  private program: Program;
  /** Every IR given to the program, by engine file name. */
  private readonly irs = new Map<string, FileIR>();
  /** The IR cache entry of each IR read from disk (an open document's text has none). */
  private readonly entries = new Map<string, string>();
  /** The program saved for the next session, in the IR cache's directory (none without one). */
  private kept: KeptPrograms | undefined;
  /** The first scan restores the saved program; later ones have a program of their own. */
  private restoreTried = false;
  /** The saved program was restored with nothing to change: saving it again would write the same. */
  private savedIsCurrent = false;
  /**
   * Headers outside the selection that analysed files include: given to the program on demand,
   * as `kpath check` does, so that a `static inline` helper in include/ is known when only mm/ is
   * selected. `discovery` remembers what is known, so that a new `#include` reads only what is new.
   */
  private readonly included = new Set<string>();
  /** Every header the last discovery returned, open in the editor or not (a closed one goes back on demand). */
  private readonly reachedHeaders = new Set<string>();
  private discovery: HeaderDiscovery | undefined;
  /** Per open document, the definitions lowered last time: an edit re-lowers only what it touched. */
  private readonly memos = new Map<string, LoweringMemo>();
  private readonly results = new Map<string, FileResult>();
  private readonly trees: DocumentTrees;
  /** Bumped on every change of a document: a run that finds a newer number was superseded. */
  private readonly generation = new Map<string, number>();
  /** The document version whose IR the program holds, per URI. */
  private readonly analysedVersion = new Map<string, number>();
  /** The settings of the latest analysis: only for the debounce delay and synchronous flushes. */
  private latestSettings: Settings;
  private readonly loggedProblems = new Map<string, string>();
  private othersGeneration = 0;
  private othersTimer: NodeJS.Timeout | undefined;
  private scanGeneration = 0;
  private readonly scan = { running: false, done: 0, total: 0 };
  lastTimings: PhaseTimings = { parseMs: 0, lowerMs: 0, checkMs: 0 };

  constructor(
    private readonly host: AnalyzerHost,
    private config: ResolvedConfig,
    initialSettings: Settings,
  ) {
    this.program = new Program(config);
    this.trees = new DocumentTrees(host.parser);
    this.latestSettings = initialSettings;
  }

  private log(message: string): void {
    this.host.connection.console.log(message);
  }

  // ---- configuration ----------------------------------------------------------------------

  /** Replaces the engine configuration (`.kpath.json` changed): a new Program with every IR. */
  setConfig(config: ResolvedConfig): void {
    this.config = config;
    this.savedIsCurrent = false;
    this.program = new Program(config);
    this.discovery = undefined; // the include settings may have changed: the next scan starts again
    for (const ir of this.irs.values()) this.guard(ir.file, () => this.program.update(ir, { onDemand: this.included.has(ir.file) }));
  }

  private isIgnored(file: string): boolean {
    const root = this.host.names.rootPath;
    const path = this.host.names.pathOf(file);
    if (!root || !path || this.config.ignore.length === 0) return false;
    return !fileSelector(root, { include: ['**'], exclude: [], ignore: this.config.ignore }).file(path);
  }

  // ---- open documents ---------------------------------------------------------------------

  /** A document was opened or changed: analyse it after the debounce, unless it changes again first. */
  documentChanged(uri: string): void {
    const gen = (this.generation.get(uri) ?? 0) + 1;
    this.generation.set(uri, gen);
    void this.runDocument(uri, gen);
  }

  private async runDocument(uri: string, gen: number): Promise<void> {
    const delay = this.latestSettings.debounceMs;
    if (delay > 0) await sleep(delay);
    if (this.generation.get(uri) !== gen) return;
    const settings = await this.host.readSettings();
    this.latestSettings = settings;
    if (this.generation.get(uri) !== gen) return;
    const document = this.host.documents.get(uri);
    if (!document) return;
    this.analyseDocument(document, settings);
    // A new `#include`: its headers are read, then every file is checked again.
    const before = this.irs.size;
    await this.followIncludes(settings, false);
    this.scheduleOthers(this.irs.size === before ? uri : undefined);
  }

  /** Makes sure the program holds the document's current version (for hover and code actions). */
  ensureCurrent(uri: string): TextDocument | undefined {
    const document = this.host.documents.get(uri);
    if (!document) return undefined;
    if (this.analysedVersion.get(uri) !== document.version) {
      // Supersede the pending run: this analysis is of the same (newest) version.
      this.generation.set(uri, (this.generation.get(uri) ?? 0) + 1);
      this.analyseDocument(document, this.latestSettings);
      this.scheduleOthers(uri);
    }
    return document;
  }

  /** Parse (incrementally), lower, update, check and publish one version; synchronous on purpose. */
  private analyseDocument(document: TextDocument, settings: Settings): void {
    const { uri, version } = document;
    const file = this.host.names.fileOf(uri);
    const edits = this.host.documents.takeEdits(uri);
    let findings: Finding[] = [];
    const t0 = performance.now();
    let t1 = t0;
    let t2 = t0;
    try {
      const tree = this.trees.parse(uri, document.getText(), version, edits);
      t1 = t2 = performance.now();
      if (this.isIgnored(file)) this.forget(file);
      else {
        let memo = this.memos.get(uri);
        if (!memo) this.memos.set(uri, (memo = new LoweringMemo()));
        const ir = this.host.lower(tree, file, memo);
        t2 = performance.now();
        const before = this.irs.get(file);
        this.irs.set(file, ir);
        this.entries.delete(file);
        this.included.delete(file);
        this.program.update(ir);
        // Most keystrokes leave the includes as they were: the discovery has seen them.
        if (!before || !sameIncludes(before, ir)) this.discover(ir);
        findings = this.program.check([file]);
        this.logProblems(file);
      }
    } catch (err) {
      this.log(`kpath: analysis of ${file} (version ${version}) failed and was skipped: ${errorText(err)}`);
      // The program must not go on with an older version's IR under this version's number.
      this.forget(file);
    }
    const t3 = performance.now();
    this.lastTimings = { parseMs: t1 - t0, lowerMs: t2 - t1, checkMs: t3 - t2 };
    if (t3 - t0 > SLOW_MS) {
      const ms = (x: number) => Math.round(x);
      this.log(`kpath: ${file} (version ${version}) took ${ms(t3 - t0)} ms: parse ${ms(t1 - t0)}, lower ${ms(t2 - t1)}, check ${ms(t3 - t2)}`);
    }
    this.analysedVersion.set(uri, version);
    this.publish(file, uri, version, findings, settings);
  }

  /** A document was closed: its tree goes; the file falls back to its content on disk, if analysed. */
  async documentClosed(uri: string): Promise<void> {
    this.generation.set(uri, (this.generation.get(uri) ?? 0) + 1);
    this.analysedVersion.delete(uri);
    this.trees.close(uri);
    this.memos.delete(uri);
    this.host.documents.forget(uri);
    const file = this.host.names.fileOf(uri);
    const settings = await this.host.readSettings();
    const path = this.host.names.pathOf(file);
    const root = this.host.names.rootPath;
    if (path && root && settings.workspaceAnalysis && fileSelector(root, this.selection(settings)).file(path)) {
      await this.reloadFromDisk([path], settings);
    } else if (path && this.reachedHeaders.has(file)) {
      await this.reloadFromDisk([path], settings, true);
    } else {
      this.forget(file);
      this.results.delete(file);
      this.host.connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    // Everything, the closed file too: its findings now belong to its text on disk.
    this.scheduleOthers(undefined);
  }

  private forget(file: string): void {
    this.irs.delete(file);
    this.entries.delete(file);
    this.included.delete(file);
    this.guard(file, () => this.program.remove(file));
  }

  // ---- the rest of the workspace ----------------------------------------------------------

  private selection(settings: Settings) {
    return { include: settings.include, exclude: settings.exclude, ignore: this.config.ignore };
  }

  private isOpen(file: string): boolean {
    return this.host.documents.get(this.host.names.uriOf(file)) !== undefined;
  }

  /**
   * Lists the selected files of the workspace, reads and lowers them (all of them with `reread`,
   * else only those not known yet: a settings change), drops files no longer selected and
   * re-checks everything, reporting progress. A newer scan makes an older one stop at its next step.
   */
  async scanWorkspace(reread = true): Promise<{ files: number; findings: number }> {
    const gen = ++this.scanGeneration;
    const settings = await this.host.readSettings();
    this.latestSettings = settings;
    const root = this.host.names.rootPath;
    if (!root || !settings.workspaceAnalysis) {
      await this.recheck([...this.irs.keys()], settings, () => gen !== this.scanGeneration);
      return { files: this.irs.size, findings: this.findingCount() };
    }
    const progress = await this.host.connection.window.createWorkDoneProgress();
    progress.begin('kpath', 0, 'Listing C files', false);
    this.scan.running = true;
    let settled = false;
    try {
      const { files, errors } = listWorkspaceFiles(root, this.selection(settings));
      for (const e of errors) this.log(`kpath: ${e.file}: ${e.message}`);
      const listed = new Set(files.map((path) => this.host.names.fileOfPath(path)));
      const toRead = reread ? files : files.filter((path) => !this.irs.has(this.host.names.fileOfPath(path)));
      this.scan.done = 0;
      this.scan.total = toRead.length;
      this.sendStatus();
      const started = performance.now();
      const lowered = await lowerWorkspaceFiles(toRead, {
        maxFileBytes: settings.maxFileSize,
        cacheDir: this.host.cacheDir,
        onProgress: (done, total) => {
          this.scan.done = done;
          progress.report(Math.floor((done / Math.max(total, 1)) * 90), `Analysing ${done}/${total} files`);
          if (done % 50 === 0 || done === total) this.sendStatus();
        },
      });
      if (gen !== this.scanGeneration) return { files: this.irs.size, findings: this.findingCount() };
      this.log(describeScan(toRead.length, lowered, performance.now() - started, this.host.cacheDir));
      for (const e of lowered.errors) {
        this.log(`kpath: skipped ${e.file}: ${e.message}`);
        listed.delete(this.host.names.fileOfPath(e.file));
      }
      for (const ir of lowered.irs) {
        const file = this.host.names.fileOfPath(ir.file);
        if (this.isOpen(file)) continue; // the editor's text wins over the disk's
        this.adopt({ ...ir, file }, lowered.entries.get(ir.file));
      }
      for (const file of [...this.irs.keys()]) {
        if (!listed.has(file) && !this.included.has(file) && !this.isOpen(file)) this.drop(file);
      }
      progress.report(90, 'Following #include');
      await this.followIncludes(settings, true);
      if (gen !== this.scanGeneration) return { files: this.irs.size, findings: this.findingCount() };
      if (!this.restoreTried && this.host.cacheDir !== undefined) {
        this.restoreTried = true;
        progress.report(90, 'Restoring the last session\'s program');
        this.restoreKept();
      }
      progress.report(90, 'Checking');
      settled = await this.recheck([...this.irs.keys()], settings, () => gen !== this.scanGeneration);
      return { files: this.irs.size, findings: this.findingCount() };
    } finally {
      if (gen === this.scanGeneration) this.scan.running = false;
      progress.done();
      this.sendStatus();
      // The analysis is done for the user; then the program is kept for the next session.
      if (settled) this.saveKept();
    }
  }

  private held(): HeldFiles {
    return { irs: this.irs, entries: this.entries, included: this.included };
  }

  /**
   * The program the last session saved, brought up to the files as they are now, replaces the one
   * the scan built (whose fixed point has not run): only what changed since is analysed.
   */
  private restoreKept(): void {
    const root = this.host.names.rootPath;
    if (!root || this.host.cacheDir === undefined) return;
    this.kept ??= new KeptPrograms(this.host.cacheDir, root);
    const started = performance.now();
    const restored = this.kept.restore(this.config, this.held());
    if (!restored.program) {
      this.log(`kpath: ${restored.why}; analysing every file`);
      return;
    }
    this.program = restored.program;
    const { unchanged, changed, gone } = restored;
    this.savedIsCurrent = changed === 0 && gone === 0;
    this.log(`kpath: restored the program the last session saved: ${unchanged} files unchanged, ${changed} changed or new, ${gone} gone (${seconds(performance.now() - started)} s)`);
  }

  /** Saves the settled program for the next session (after a scan's checking, so it is settled). */
  private saveKept(): void {
    if (!this.kept) return;
    // Once: a later scan (a settings change) may have read more.
    if (this.savedIsCurrent) {
      this.savedIsCurrent = false;
      return;
    }
    const started = performance.now();
    const saved = this.kept.save(this.config, this.program, this.held());
    if (saved) this.log(`kpath: saved the program for the next session (${seconds(performance.now() - started)} s)`);
    else this.log(`kpath: could not save the program in ${this.host.cacheDir}; the next session analyses every file`);
  }

  /** Gives the program `ir`, read from disk (`entry`: its IR cache entry, when it has one). */
  private adopt(ir: FileIR, entry: string | undefined, onDemand = false): void {
    this.irs.set(ir.file, ir);
    if (entry === undefined) this.entries.delete(ir.file);
    else this.entries.set(ir.file, entry);
    if (onDemand) this.included.add(ir.file);
    else this.included.delete(ir.file);
    this.guard(ir.file, () => this.program.update(ir, { onDemand }));
  }

  private drop(file: string): void {
    this.forget(file);
    const result = this.results.get(file);
    this.results.delete(file);
    if (result) this.host.connection.sendDiagnostics({ uri: result.uri, diagnostics: [] });
  }

  /** Files changed on disk (not open in the editor): re-read them and re-check. */
  async filesChanged(changes: { path: string; deleted: boolean }[]): Promise<void> {
    const settings = await this.host.readSettings();
    const root = this.host.names.rootPath;
    if (!root) return;
    const select = fileSelector(root, this.selection(settings));
    const reread: string[] = [];
    const rereadIncluded: string[] = [];
    for (const change of changes) {
      const file = this.host.names.fileOfPath(change.path);
      if (this.isOpen(file)) continue;
      if (change.deleted) this.drop(file);
      else if (settings.workspaceAnalysis && select.file(change.path)) reread.push(change.path);
      else if (this.included.has(file)) rereadIncluded.push(change.path);
    }
    await this.reloadFromDisk(reread, settings);
    await this.reloadFromDisk(rereadIncluded, settings, true);
    await this.followIncludes(settings, false);
    this.scheduleOthers(undefined);
  }

  /** Reads `paths` from disk again (`onDemand`: headers reached by inclusion), unless they are open. */
  private async reloadFromDisk(paths: string[], settings: Settings, onDemand = false): Promise<void> {
    if (paths.length === 0) return;
    const lowered = await lowerWorkspaceFiles(paths, { maxFileBytes: settings.maxFileSize, cacheDir: this.host.cacheDir, onProgress: () => {} });
    for (const e of lowered.errors) {
      this.log(`kpath: skipped ${e.file}: ${e.message}`);
      this.drop(this.host.names.fileOfPath(e.file));
    }
    for (const ir of lowered.irs) {
      const file = this.host.names.fileOfPath(ir.file);
      if (this.isOpen(file)) continue;
      this.adopt({ ...ir, file }, lowered.entries.get(ir.file), onDemand);
      this.discover(ir);
    }
  }

  /**
   * Reads the headers that analysed files include (transitively) and the selection leaves out, and
   * gives them to the program on demand (`.kpath.json`'s `includes` decide, as for `kpath check`).
   * `fresh`: from every file the program has, and the included headers no longer reached go (a
   * scan); otherwise only what was added to the discovery since (a document's new `#include`).
   * Never abandoned half-way for an edit: the headers a round returned are known to the discovery.
   */
  private async followIncludes(settings: Settings, fresh: boolean): Promise<void> {
    const root = this.host.names.rootPath;
    const options = this.config.includes;
    if (!root || !options.follow) {
      for (const file of [...this.included]) this.drop(file);
      this.discovery = undefined;
      return;
    }
    if (fresh || !this.discovery) {
      this.reachedHeaders.clear();
      this.discovery = new HeaderDiscovery({ arch: options.arch, paths: options.paths, pathsRoot: root, cwd: root });
      for (const ir of this.irs.values()) if (!this.included.has(ir.file)) this.discover(ir);
    }
    const discovery = this.discovery;
    const reached = new Set<string>();
    let read = 0;
    let hits = 0;
    for (let next = discovery.next(); next.length > 0; next = discovery.next()) {
      const lowered = await lowerWorkspaceFiles(next, { maxFileBytes: settings.maxFileSize, cacheDir: this.host.cacheDir, onProgress: () => {} });
      // A newer scan started a discovery of its own (what this one returned is not lost: that one reads it again).
      if (discovery !== this.discovery) return;
      read += next.length;
      hits += lowered.stats?.cacheHits ?? 0;
      for (const e of lowered.errors) this.log(`kpath: skipped ${e.file} (included): ${e.message}`);
      for (const ir of lowered.irs) {
        const file = this.host.names.fileOfPath(ir.file);
        discovery.add(ir);
        reached.add(file);
        this.reachedHeaders.add(file);
        // the editor's text, or the header selected in its own right, wins
        if (this.isOpen(file) || (this.irs.has(file) && !this.included.has(file))) continue;
        this.adopt({ ...ir, file }, lowered.entries.get(ir.file), true);
      }
    }
    if (fresh) for (const file of [...this.included]) if (!reached.has(file)) this.drop(file);
    if (read > 0) {
      const unresolved = discovery.stats().unresolvedCount;
      this.log(`kpath: followed #include to ${read} header${read === 1 ? '' : 's'} outside the selection (${hits} from the IR cache, ${unresolved} include${unresolved === 1 ? '' : 's'} unresolved)`);
    }
  }

  /** Tells the discovery what `ir` includes (by absolute path, as it resolves them). */
  private discover(ir: FileIR): void {
    const path = this.host.names.pathOf(ir.file);
    if (path) this.discovery?.add({ file: path, includes: ir.includes });
  }

  /**
   * An edit in one file can change the findings of others (a caller now holds a lock): after a
   * quiet moment, re-check every other file. A newer edit cancels the pass between two files.
   */
  private scheduleOthers(exceptUri: string | undefined): void {
    const gen = ++this.othersGeneration;
    clearTimeout(this.othersTimer);
    this.othersTimer = setTimeout(() => {
      const files = [...this.irs.keys()].filter((f) => this.host.names.uriOf(f) !== exceptUri);
      void this.recheck(files, this.latestSettings, () => gen !== this.othersGeneration);
    }, Math.max(300, this.latestSettings.debounceMs * 2));
  }

  /** Re-checks files one by one, yielding between them; stops when `stale()` says so (and returns false). */
  async recheck(files: string[], settings: Settings, stale: () => boolean): Promise<boolean> {
    for (const file of files) {
      await nextTurn();
      if (stale()) return false;
      if (!this.irs.has(file)) continue;
      const uri = this.host.names.uriOf(file);
      const version = this.analysedVersion.get(uri);
      // An open document whose newest text is not analysed yet gets its own run.
      const document = this.host.documents.get(uri);
      if (document && version !== document.version) continue;
      let findings: Finding[] = [];
      try {
        findings = this.program.check([file]);
        this.logProblems(file);
      } catch (err) {
        this.log(`kpath: checking ${file} failed and was skipped: ${errorText(err)}`);
      }
      this.publish(file, uri, document ? version : undefined, findings, settings);
    }
    return true;
  }

  // ---- publishing and queries -------------------------------------------------------------

  private publish(file: string, uri: string, version: number | undefined, findings: Finding[], settings: Settings): void {
    const published = new Map<Finding, { severity: Severity; diagnostic: Diagnostic }>();
    const diagnostics: Diagnostic[] = [];
    for (const f of findings) {
      const severity = effectiveSeverity(f, settings);
      if (!severity) continue;
      const diagnostic = toDiagnostic(f, severity, settings, (name) => this.host.names.uriOf(name));
      published.set(f, { severity, diagnostic });
      diagnostics.push(diagnostic);
    }
    const previous = this.results.get(file);
    if (diagnostics.length === 0 && !previous && version === undefined) return; // nothing to say about a clean disk file
    const sent = JSON.stringify(diagnostics);
    this.results.set(file, { uri, version, findings, published, sent });
    // Re-checks after every pause in typing would otherwise resend every file's unchanged diagnostics.
    if (previous && previous.version === version && previous.sent === sent) return;
    this.host.connection.sendDiagnostics({ uri, version, diagnostics });
    this.sendStatus();
  }

  private findingCount(): number {
    let n = 0;
    for (const r of this.results.values()) n += r.published.size;
    return n;
  }

  sendStatus(): void {
    void this.host.connection.sendNotification(StatusNotification, {
      state: this.scan.running ? 'analyzing' : 'idle',
      done: this.scan.running ? this.scan.done : 0,
      total: this.scan.running ? this.scan.total : 0,
      findings: this.findingCount(),
    });
  }

  /** Published findings (rules turned off left out), of one document or of all. */
  summaries(uri?: string): FindingSummary[] {
    const out: FindingSummary[] = [];
    for (const result of this.results.values()) {
      if (uri !== undefined && result.uri !== uri) continue;
      for (const [f, { severity }] of result.published) out.push(toSummary(f, severity, result.uri));
    }
    return out;
  }

  /** The published finding `id` of the document `uri`, if it is still there. */
  findingOf(uri: string, id: string): { finding: Finding; severity: Severity } | undefined {
    for (const result of this.results.values()) {
      if (result.uri !== uri) continue;
      for (const [finding, { severity }] of result.published) if (findingId(finding) === id) return { finding, severity };
    }
    return undefined;
  }

  /** The published findings of an open document at its current version (none if not current). */
  currentFindings(uri: string): Finding[] {
    const document = this.host.documents.get(uri);
    const result = this.results.get(this.host.names.fileOf(uri));
    if (!document || !result || result.version !== document.version) return [];
    return [...result.published.keys()];
  }

  /** The diagnostic published for `finding` of the document `uri`. */
  diagnosticOf(uri: string, finding: Finding): Diagnostic | undefined {
    return this.results.get(this.host.names.fileOf(uri))?.published.get(finding)?.diagnostic;
  }

  /** "Re-analyse Workspace": the configuration again, every file again. */
  async rescan(config: ResolvedConfig): Promise<{ files: number; findings: number }> {
    this.setConfig(config);
    for (const document of this.host.documents.all()) this.analysedVersion.delete(document.uri);
    const settings = await this.host.readSettings();
    this.latestSettings = settings;
    for (const document of this.host.documents.all()) this.ensureCurrent(document.uri);
    return this.scanWorkspace();
  }

  treeOf(uri: string, version: number) {
    return this.trees.get(uri, version);
  }

  get currentProgram(): Program {
    return this.program;
  }

  /**
   * The engine's problems with a file (a function whose analysis failed, a suppression without a
   * reason) go to the log, each time they change; they have no position to make a diagnostic.
   */
  private logProblems(file: string): void {
    const text = this.program
      .problems([file])
      .map((p) => `kpath: ${p.file}: ${p.message}`)
      .join('\n');
    if (text === (this.loggedProblems.get(file) ?? '')) return;
    this.loggedProblems.set(file, text);
    if (text) this.log(text);
  }

  /** Runs `fn` for one file; an exception is logged and the file skipped, never fatal. */
  private guard(file: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log(`kpath: ${file}: ${errorText(err)}`);
    }
  }

  dispose(): void {
    clearTimeout(this.othersTimer);
    this.scanGeneration++;
    this.othersGeneration++;
    this.trees.dispose();
  }
}
