/**
 * The program: every file's IR, and what the analysis knows across them. It computes summaries
 * bottom-up and entry contexts top-down to a fixed point over all files added, then runs the rules
 * over every function in each of its contexts. Work is incremental: `update` marks what a changed
 * file can affect, and `check` recomputes only that (a summary change reaches the callers, a context
 * change reaches the callees).
 *
 * Architecture invariant: no I/O, no LSP. Files come in as IR, findings go out as data.
 */
import { fileSuppressions, functionAnnotations } from './annotations/index';
import type { FunctionAnnotations, Suppression } from './annotations/types';
import type { Callee, FunctionEnv, Knowledge, Summary } from './dataflow/env';
import { explore } from './dataflow/explore';
import { EMPTY_STATE, type Held, type State } from './dataflow/state';
import { makeTransfer, type Observer } from './dataflow/transfer';
import { type EntryContext, annotatedContext, callbackContext, calleeContext } from './contexts';
import type { Finding, InputError, PathEvent } from './finding';
import type { CallOp, FileIR, FunctionIR } from './ir';
import { type ApiIndex, indexApi } from './kernel/index';
import type { ResolvedConfig } from './kernel/config';
import type { CallSemantics } from './kernel/semantics';
import { RULES } from './rules/index';
import type { Report, RuleObserver } from './rules/rule';
import { pinName } from './rules/describe';
import { computeSummary, summaryKey } from './summaries';
import { spanContains } from './span';

/** Entry contexts kept per function; past it, callers report what the callee's summary says. */
const MAX_CONTEXTS = 6;
/** Calls a context is followed through (a lock taken eight calls up is still found). */
const MAX_DEPTH = 8;

/** Every place a serie is taken while another is pinned (the simulator's opposite-order paths). */
export interface SerieNesting {
  outer: string;
  inner: string;
  path: PathEvent[];
}

/** What is held at a point of a function, for hovers. */
export interface PointState {
  function: string;
  /** One entry per distinct held item over all paths reaching the point. */
  held: { what: 'lock' | 'atomic' | 'pin'; name: string; detail: string; origin: PathEvent[]; onAllPaths: boolean }[];
  paths: number;
}

interface FileEntry {
  ir: FileIR;
  keys: string[];
  suppressions: Suppression[];
  problems: InputError[];
  /** Contexts the file gives the functions it registers, by the registered function's name. */
  registrations: { target: string; context: EntryContext }[];
  /** `[field, function]` for every function stored into a field (resolves calls through that field). */
  storedFunctions: [string, string][];
}

interface FnRecord {
  key: string;
  file: string;
  fn: FunctionIR;
  /** The IR as text, computed when an update needs to compare: an update that leaves it equal keeps the record. */
  fingerprint?: string;
  ann: FunctionAnnotations;
  summary?: Summary;
  summaryKey?: string;
  /** Contexts this function hands to each callee (by key) in its last run. */
  outgoing: Map<string, EntryContext[]>;
  /** Contexts from callers and registrations, deduplicated, capped. */
  incoming: EntryContext[];
  findings: Finding[];
  nestings: SerieNesting[];
}

export class Program {
  readonly knowledge: Knowledge;
  private readonly files = new Map<string, FileEntry>();
  private readonly fns = new Map<string, FnRecord>();
  private readonly byName = new Map<string, string[]>();
  /** Callee name -> keys of the functions that call it. */
  private readonly callersOf = new Map<string, Set<string>>();
  private readonly dirtySummary = new Set<string>();
  private readonly dirtyCheck = new Set<string>();
  /** Work done so far, for benchmarks and for seeing what an edit costs. */
  readonly stats = { summaries: 0, checks: 0, runs: 0, states: 0 };
  /** Functions whose analysis threw, by phase and key: reported as problems, never fatal. */
  private readonly failures = new Map<string, InputError>();
  private callbackContexts = new Map<string, EntryContext[]>();
  /** resolveName's answers; forgotten whenever a function is added or removed. */
  private readonly resolved = new Map<string, string | undefined>();
  /** Rows for functions annotated as mappers or unmappers, by name. */
  private readonly annotatedRows = new Map<string, CallSemantics>();
  /** Callee key -> keys of the functions that handed it a context in their last run. */
  private readonly contributors = new Map<string, Set<string>>();
  /** Field name -> names of the functions stored into it (`.ndo_open = foo_open`). */
  private storedInto = new Map<string, Set<string>>();
  private structureChanged = false;
  /** Callees whose contributors went away with a removed file: their contexts are gathered anew. */
  private readonly staleIncoming = new Set<string>();

  constructor(private readonly config: ResolvedConfig) {
    this.knowledge = withAnnotatedRows(indexApi(config.api), this);
  }

  /**
   * Adds or replaces a file. A function whose IR is unchanged to the character (an edit elsewhere
   * in the file, above it or in another function) keeps its summary, contexts and findings; the
   * others are analysed anew, and whatever depends on them follows.
   */
  update(ir: FileIR): void {
    const before = this.files.get(ir.file);
    const previous = new Map((before?.keys ?? []).map((k) => [k, this.fns.get(k)!] as const));
    const keys: string[] = [];
    const kept = new Set<string>();
    for (const fn of ir.functions) {
      let key = `${ir.file}#${fn.name}`;
      for (let n = 2; keys.includes(key); n++) key = `${ir.file}#${fn.name}@${n}`;
      keys.push(key);
      const old = previous.get(key);
      const fingerprint = old ? JSON.stringify(fn) : undefined;
      if (old && (old.fingerprint ??= JSON.stringify(old.fn)) === fingerprint) {
        kept.add(key);
        continue;
      }
      // Replaced under the same name: callers resolve to it as before; its summary tells them if it matters.
      if (old) this.removeRecord(key, false);
      this.addRecord(key, ir.file, fn, fingerprint, !old);
      if (old?.summaryKey !== undefined) this.fns.get(key)!.summaryKey = old.summaryKey;
    }
    for (const key of previous.keys()) if (!keys.includes(key) && this.fns.has(key)) this.removeRecord(key);
    const { suppressions, problems } = fileSuppressions(ir, this.knowledge);
    this.files.set(ir.file, { ir, keys, suppressions, problems, ...this.registrationsOf(ir) });
    this.structureChanged = true;
  }

  remove(file: string): void {
    const entry = this.files.get(file);
    if (!entry) return;
    for (const key of entry.keys) this.removeRecord(key);
    this.files.delete(file);
    this.structureChanged = true;
  }

  private addRecord(key: string, file: string, fn: FunctionIR, fingerprint: string | undefined, isNew = true): void {
    const ann = functionAnnotations(fn, this.knowledge);
    this.resolved.clear();
    this.fns.set(key, { key, file, fn, fingerprint, ann, outgoing: new Map(), incoming: [], findings: [], nestings: [] });
    if (ann.map || ann.unmap) this.annotatedRows.set(fn.name, { name: fn.name, ...(ann.map ? { map: ann.map } : {}), ...(ann.unmap ? { unmap: ann.unmap } : {}), ...(ann.sleeps ? { sleeps: ann.sleeps } : {}) });
    const same = this.byName.get(fn.name);
    if (same) same.push(key);
    else this.byName.set(fn.name, [key]);
    for (const callee of calleesOf(fn)) {
      let set = this.callersOf.get(callee);
      if (!set) this.callersOf.set(callee, (set = new Set()));
      set.add(key);
    }
    this.dirtySummary.add(key);
    this.dirtyCheck.add(key);
    if (isNew) this.touchName(fn.name);
    // Callers elsewhere keep handing contexts to this function: gather them for the new record.
    this.staleIncoming.add(key);
  }

  private removeRecord(key: string, gone = true): void {
    const rec = this.fns.get(key);
    if (!rec) return;
    for (const calleeKey of rec.outgoing.keys()) {
      this.contributors.get(calleeKey)?.delete(key);
      this.dirtyCheck.add(calleeKey);
      this.staleIncoming.add(calleeKey);
    }
    this.fns.delete(key);
    this.resolved.clear();
    this.annotatedRows.delete(rec.fn.name);
    const same = this.byName.get(rec.fn.name)?.filter((k) => k !== key) ?? [];
    if (same.length) this.byName.set(rec.fn.name, same);
    else this.byName.delete(rec.fn.name);
    for (const callee of calleesOf(rec.fn)) this.callersOf.get(callee)?.delete(key);
    this.dirtySummary.delete(key);
    this.dirtyCheck.delete(key);
    this.staleIncoming.delete(key);
    if (gone) this.touchName(rec.fn.name);
  }

  /** Findings in `files` (default: every file), after propagating over every file added. */
  check(files?: readonly string[]): Finding[] {
    this.settle();
    const wanted = files ? new Set(files) : undefined;
    const out: Finding[] = [];
    for (const [file, entry] of this.files) {
      if (wanted && !wanted.has(file)) continue;
      const seen = new Set<string>();
      for (const key of entry.keys) {
        for (const f of this.fns.get(key)!.findings) {
          const id = `${f.rule}@${f.line}:${f.column}`;
          if (seen.has(id) || isSuppressed(f, entry.suppressions)) continue;
          seen.add(id);
          out.push(f);
        }
      }
    }
    return out.sort(byLocation);
  }

  /** Problems with annotations and suppressions in `files` (a suppression without a reason, ...). */
  problems(files?: readonly string[]): InputError[] {
    const wanted = files ? new Set(files) : undefined;
    this.settle();
    const failed = [...this.failures.values()].filter((p) => this.files.has(p.file) && (!wanted || wanted.has(p.file)));
    return [...[...this.files].filter(([f]) => !wanted || wanted.has(f)).flatMap(([, e]) => e.problems), ...failed];
  }

  serieNestings(): SerieNesting[] {
    this.settle();
    return [...this.fns.values()].flatMap((r) => r.nestings);
  }

  /** The function's summary as callers see it (for hovers and tests). */
  summaryOf(file: string, name: string): Summary | undefined {
    this.settle();
    return this.fns.get(`${file}#${name}`)?.summary;
  }

  stateAt(file: string, line: number, column: number): PointState | undefined {
    this.settle();
    const entry = this.files.get(file);
    const rec = entry?.keys.map((k) => this.fns.get(k)!).find((r) => spanContains(r.fn.span, line, column));
    if (!rec) return undefined;
    // The states before the last op that starts at or before the point.
    let best: { line: number; column: number } | undefined;
    let states: State[] = [];
    const observer: Observer = {
      before(s, op) {
        const at = op.span;
        if (at.line > line || (at.line === line && at.column > column)) return;
        if (!best || at.line > best.line || (at.line === best.line && at.column > best.column)) {
          best = at;
          states = [s];
        } else if (at.line === best.line && at.column === best.column) states.push(s);
      },
    };
    for (const ctx of this.contextsOf(rec)) explore(rec.fn, [ctx], makeTransfer(this.env(rec, () => true), observer));
    const counts = new Map<string, { h: Held; n: number }>();
    for (const s of states) {
      for (const h of s.held) {
        const k = heldName(h);
        const c = counts.get(k);
        if (c) c.n++;
        else counts.set(k, { h, n: 1 });
      }
    }
    return {
      function: rec.fn.name,
      paths: states.length,
      held: [...counts.values()].map(({ h, n }) => ({ what: h.what, name: heldName(h), detail: heldDetail(h), origin: h.origin, onAllPaths: n === states.length })),
    };
  }

  // ---- the fixed point --------------------------------------------------------------------------

  private settle(): void {
    if (this.structureChanged) this.recomputeCallbacks();
    this.structureChanged = false;
    for (const key of this.staleIncoming) this.gatherIncoming(key);
    this.staleIncoming.clear();
    this.computeSummaries();
    this.runChecks();
  }

  /** A function named `name` appeared or went: whoever calls that name resolves anew. */
  private touchName(name: string): void {
    for (const caller of this.callersOf.get(name) ?? []) {
      this.dirtySummary.add(caller);
      this.dirtyCheck.add(caller);
    }
  }

  private computeSummaries(): void {
    let budget = this.fns.size * 4 + 16;
    const queue = this.postOrder([...this.dirtySummary]);
    const queued = new Set(queue);
    this.dirtySummary.clear();
    for (let head = 0; head < queue.length && budget-- > 0; head++) {
      const key = queue[head]!;
      queued.delete(key);
      const rec = this.fns.get(key);
      if (!rec) continue;
      let summary: Summary;
      this.stats.summaries++;
      try {
        summary = computeSummary(this.env(rec, () => true), rec.ann);
        this.failures.delete(`summary:${key}`);
      } catch (e) {
        this.failures.set(`summary:${key}`, { file: rec.file, message: `${rec.fn.name}() could not be summarised (skipped): ${(e as Error).message}` });
        summary = { gfpSleeps: {}, acquires: [], releases: [] };
      }
      const k = summaryKey(summary);
      rec.summary = summary;
      if (k === rec.summaryKey) continue;
      rec.summaryKey = k;
      for (const caller of this.callersOf.get(rec.fn.name) ?? []) {
        this.dirtyCheck.add(caller);
        if (!queued.has(caller)) {
          queued.add(caller);
          queue.push(caller);
        }
      }
    }
  }

  private runChecks(): void {
    let budget = this.fns.size * 8 + 16;
    const queue = this.postOrder([...this.dirtyCheck]).reverse(); // callers first
    const queued = new Set(queue);
    this.dirtyCheck.clear();
    for (let head = 0; head < queue.length && budget-- > 0; head++) {
      const key = queue[head]!;
      queued.delete(key);
      const rec = this.fns.get(key);
      if (!rec) continue;
      let changedCallees: string[] = [];
      try {
        changedCallees = this.checkFunction(rec);
        this.failures.delete(`check:${key}`);
      } catch (e) {
        rec.findings = [];
        this.failures.set(`check:${key}`, { file: rec.file, message: `${rec.fn.name}() could not be analysed (skipped): ${(e as Error).message}` });
      }
      for (const callee of changedCallees) {
        if (!queued.has(callee)) {
          queued.add(callee);
          queue.push(callee);
        }
      }
    }
  }

  /** Runs the rules over `rec` in each of its contexts; returns callees whose contexts changed. */
  private checkFunction(rec: FnRecord): string[] {
    this.stats.checks++;
    const findings: Finding[] = [];
    const nestings: SerieNesting[] = [];
    const outgoing = new Map<string, EntryContext[]>();
    const enter = (callee: Callee, s: State, op: CallOp): boolean => {
      // Around a cycle a context would come back with a longer chain each time, for ever: it is
      // handed on once. Past MAX_DEPTH calls a chain is not followed further.
      const chain = s.held.reduce((n, h) => Math.max(n, h.origin.filter((e) => e.kind === 'call').length), 0);
      if (chain >= MAX_DEPTH || s.held.some((h) => h.origin.some((e) => e.kind === 'call' && e.callee === callee.name))) return true;
      const ctx = calleeContext({ file: rec.file, fn: rec.fn }, callee.fn, op, s.held);
      const list = outgoing.get(callee.key) ?? [];
      if (!list.some((c) => c.key === ctx.key)) list.push(ctx);
      outgoing.set(callee.key, list);
      const target = this.fns.get(callee.key)!;
      return target.incoming.length < MAX_CONTEXTS || target.incoming.some((c) => c.key === ctx.key);
    };
    const annotatedAcquires = new Set(rec.ann.acquires.map((a) => a.lock));
    const annotatedReleases = new Set(rec.ann.releases.map((a) => a.lock));
    for (const entry of this.contextsOf(rec)) {
      const observers: RuleObserver[] = RULES.filter((r) => this.config.severity[r.id] !== 'off').map((rule) =>
        rule.observe({
          file: rec.file,
          fn: rec.fn,
          knowledge: this.knowledge,
          annotatedAcquires,
          annotatedReleases,
          returnsMapping: rec.summary?.returnsPin !== undefined,
          report: (r: Report) => findings.push({ ...r, severity: this.config.severity[rule.id] as Finding['severity'], file: rec.file, function: rec.fn.name }),
        }),
      );
      observers.push(nestingRecorder(nestings));
      this.stats.runs++;
      this.stats.states += explore(rec.fn, [entry], makeTransfer(this.env(rec, enter), combine(observers))).visited;
      for (const o of observers) o.finish?.();
    }
    rec.findings = findings;
    rec.nestings = nestings;

    const changed: string[] = [];
    const keys = new Set([...rec.outgoing.keys(), ...outgoing.keys()]);
    for (const calleeKey of keys) {
      const before = (rec.outgoing.get(calleeKey) ?? []).map((c) => JSON.stringify(c)).join('\n');
      const after = (outgoing.get(calleeKey) ?? []).map((c) => JSON.stringify(c)).join('\n');
      if (before !== after) changed.push(calleeKey);
    }
    rec.outgoing = outgoing;
    for (const calleeKey of changed) {
      const set = this.contributors.get(calleeKey) ?? new Set<string>();
      if (outgoing.has(calleeKey)) set.add(rec.key);
      else set.delete(rec.key);
      this.contributors.set(calleeKey, set);
      this.gatherIncoming(calleeKey);
    }
    return changed.filter((k) => this.fns.has(k));
  }

  /** The contexts `rec` is checked in: annotated (else empty), then callbacks', then callers'. */
  private contextsOf(rec: FnRecord): State[] {
    const annotated = annotatedContext(rec.file, rec.fn, rec.ann, this.knowledge);
    // Callers' contexts first: when several explain the same finding, the caller's path is the most telling.
    const contexts: EntryContext[] = [...rec.incoming, annotated ?? { key: '', held: [] }];
    const seen = new Set<string>();
    return contexts.filter((c) => !seen.has(c.key) && seen.add(c.key)).map((c) => ({ ...EMPTY_STATE, held: c.held, conds: c.conds ?? [] }));
  }

  private gatherIncoming(key: string): void {
    const rec = this.fns.get(key);
    if (!rec) return;
    const incoming: EntryContext[] = [...(this.callbackContexts.get(key) ?? [])];
    const callers = [...(this.contributors.get(key) ?? [])].sort();
    for (const caller of callers) {
      for (const ctx of this.fns.get(caller)?.outgoing.get(key) ?? []) {
        if (incoming.length >= MAX_CONTEXTS) break;
        if (!incoming.some((c) => c.key === ctx.key)) incoming.push(ctx);
      }
    }
    rec.incoming = incoming;
  }

  private recomputeCallbacks(): void {
    const next = new Map<string, EntryContext[]>();
    const stored = new Map<string, Set<string>>();
    for (const { registrations, storedFunctions } of this.files.values()) {
      for (const { target, context } of registrations) {
        for (const key of this.byName.get(target) ?? []) {
          const list = next.get(key) ?? [];
          if (!list.some((c) => c.key === context.key)) list.push(context);
          next.set(key, list);
        }
      }
      for (const [field, fn] of storedFunctions) {
        const names = stored.get(field) ?? new Set<string>();
        names.add(fn);
        stored.set(field, names);
      }
    }
    const changed = new Set([...this.callbackContexts.keys(), ...next.keys()]);
    for (const key of changed) {
      if (JSON.stringify(this.callbackContexts.get(key) ?? []) !== JSON.stringify(next.get(key) ?? [])) this.dirtyCheck.add(key);
    }
    this.callbackContexts = next;
    this.storedInto = stored;
    for (const key of changed) this.gatherIncoming(key);
  }

  /**
   * What a file registers, read once when it is updated: functions it hands to the kernel as
   * callbacks (`timer_setup(&t, fn, 0)`, `.ndo_get_stats64 = fn`), and functions stored into fields.
   */
  private registrationsOf(ir: FileIR): Pick<FileEntry, 'registrations' | 'storedFunctions'> {
    const registrations: FileEntry['registrations'] = [];
    for (const fn of ir.functions) {
      for (const block of fn.blocks) {
        for (const op of block.ops) {
          if (op.kind !== 'call' || op.indirect) continue;
          const reg = this.knowledge.call(op.callee, op.args.length)?.registersCallback;
          const target = reg && op.args[reg.fnArg]?.text.replace(/^&/, '');
          if (!reg || !target) continue;
          const registration = `registered as a ${reg.what} by ${op.callee}() in ${fn.name}() at ${ir.file}:${op.span.line}`;
          registrations.push({ target, context: callbackContext(ir.file, fn.name, op.span, `${op.callee}()`, reg.context, registration) });
        }
      }
    }
    const storedFunctions: [string, string][] = [];
    for (const ref of ir.functionRefs) {
      if (!ref.field) continue;
      storedFunctions.push([ref.field, ref.function]);
      const field = this.knowledge.callbackField(ref.field, ref.structType);
      if (!field) continue;
      const registration = `stored into .${ref.field}${ref.structType ? ` of struct ${ref.structType}` : ''} at ${ir.file}:${ref.span.line}: runs as ${field.what}`;
      registrations.push({ target: ref.function, context: callbackContext(ir.file, ref.function, ref.span, `.${ref.field}`, field.context, registration) });
    }
    return { registrations, storedFunctions };
  }

  /** Callees before callers, over the functions reachable from `keys` (and `keys` themselves). */
  private postOrder(keys: string[]): string[] {
    const out: string[] = [];
    const state = new Map<string, 1 | 2>();
    const wanted = new Set(keys);
    const visit = (root: string) => {
      const stack: [string, Iterator<string>][] = [];
      const push = (k: string) => {
        state.set(k, 1);
        const rec = this.fns.get(k);
        const next = rec ? [...calleesOf(rec.fn)].flatMap((n) => this.resolveName(rec.file, n) ?? []) : [];
        stack.push([k, next[Symbol.iterator]()]);
      };
      push(root);
      while (stack.length) {
        const [k, it] = stack[stack.length - 1]!;
        const n = it.next();
        if (n.done) {
          stack.pop();
          state.set(k, 2);
          if (wanted.has(k)) out.push(k);
        } else if (!state.has(n.value) && wanted.has(n.value)) push(n.value);
      }
    };
    for (const k of keys) if (!state.has(k)) visit(k);
    return out;
  }

  /** The function `name` means in `file`: its own static or inline one first, else a global one. */
  private resolveName(file: string, name: string): string | undefined {
    const memo = `${file}\0${name}`;
    if (this.resolved.has(memo)) return this.resolved.get(memo);
    const keys = this.byName.get(name);
    // A header's `static inline` function is every includer's own: given with the .c files, it resolves.
    const key =
      keys &&
      (keys.find((k) => this.fns.get(k)!.file === file) ??
        keys.find((k) => !this.fns.get(k)!.fn.isStatic) ??
        keys.find((k) => this.fns.get(k)!.file.endsWith('.h')));
    this.resolved.set(memo, key);
    return key;
  }

  private env(rec: FnRecord, enter: (callee: Callee, s: State, op: CallOp) => boolean): FunctionEnv {
    return {
      file: rec.file,
      fn: rec.fn,
      knowledge: this.knowledge,
      resolve: (op) => {
        const key = this.resolveName(rec.file, op.callee);
        const target = key && this.fns.get(key);
        return target ? { key: target.key, name: target.fn.name, fn: target.fn, summary: target.summary } : undefined;
      },
      resolveIndirect: (op) => {
        const names = op.field ? this.storedInto.get(op.field) : undefined;
        if (!names) return [];
        return [...names].flatMap((name) => {
          const key = this.resolveName(rec.file, name);
          const target = key && this.fns.get(key);
          return target ? [{ key: target.key, name: target.fn.name, fn: target.fn, summary: target.summary }] : [];
        });
      },
      enterCallee: (callee, s, op) => enter(callee, s, op),
    };
  }

  /** The table row a function's `kpath: maps ...` / `kpath: unmaps ...` annotation stands for. */
  annotatedRow(name: string): CallSemantics | undefined {
    return this.annotatedRows.get(name);
  }

}

/** The tables, plus rows for functions of the program annotated as mappers or unmappers. */
function withAnnotatedRows(base: ApiIndex, program: Program): ApiIndex {
  return { ...base, call: (name, argCount) => base.call(name, argCount) ?? program.annotatedRow(name) };
}

function calleesOf(fn: FunctionIR): Set<string> {
  const out = new Set<string>();
  for (const block of fn.blocks) for (const op of block.ops) if (op.kind === 'call' && !op.indirect) out.add(op.callee);
  return out;
}

function nestingRecorder(out: SerieNesting[]): RuleObserver {
  return {
    pin(s, pin) {
      if (pin.kind !== 'persistent' || !pin.serie) return;
      for (const p of s.held) {
        if (p.what !== 'pin' || p.kind !== 'persistent' || !p.serie) continue;
        if (out.some((n) => n.outer === p.serie && n.inner === pin.serie)) continue;
        out.push({ outer: p.serie, inner: pin.serie, path: [...p.origin, ...pin.origin] });
      }
    },
  };
}

function combine(observers: RuleObserver[]): Observer {
  const hooks = ['before', 'sleep', 'gfpParamSleep', 'acquire', 'release', 'releaseUnheld', 'pin', 'unpin', 'releasesCallersPin', 'exit', 'escape'] as const;
  const out: Record<string, unknown> = {};
  for (const hook of hooks) {
    const fns = observers.map((o) => o[hook]).filter((f): f is NonNullable<typeof f> => f !== undefined);
    if (fns.length) out[hook] = (...args: unknown[]) => fns.forEach((f) => (f as (...a: unknown[]) => void)(...args));
  }
  return out as Observer;
}

function isSuppressed(f: Finding, suppressions: readonly Suppression[]): boolean {
  return suppressions.some((s) => s.rules.includes(f.rule) && f.line >= s.fromLine && f.line <= s.toLine);
}

function byLocation(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}

function heldName(h: Held): string {
  return h.what === 'lock' ? h.display : h.what === 'atomic' ? h.kind : pinName(h);
}

function heldDetail(h: Held): string {
  if (h.what === 'lock') return `${h.class} lock`;
  if (h.what === 'atomic') return `atomic context (${h.by})`;
  return h.kind === 'persistent' ? `persistent kmap, ${h.serie} serie` : `${h.kind} kmap`;
}
