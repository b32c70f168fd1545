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
import type { Callee, FunctionEnv, FunctionHead, Knowledge, MemberLookup, Summary } from './dataflow/env';
import { explore } from './dataflow/explore';
import { comparedParams } from './dataflow/param-tests';
import { type Forward, forwardedParams } from './dataflow/forwards';
import { EMPTY_STATE, type Held, type State } from './dataflow/state';
import { makeTransfer, type Observer } from './dataflow/transfer';
import { type EntryContext, annotatedContext, believedAnnotations, callbackContext, calleeContext, callerOf } from './contexts';
import { lockAcrossFiles } from './dataflow/lock-names';
import { folderOf } from './paths';
import type { Finding, InputError, PathEvent } from './finding';
import type { CallOp, FieldOwner, FileIR, FunctionIR, FunctionRef, TypeFacts } from './ir';
import { type ApiIndex, indexApi } from './kernel/index';
import type { ResolvedConfig } from './kernel/config';
import type { CallSemantics } from './kernel/semantics';
import { RULES } from './rules/index';
import type { Report, RuleObserver } from './rules/rule';
import { pinName } from './rules/describe';
import { summaryCollector, summaryKey } from './summaries';
import { oneReportPerCause } from './causes';
import { withArticle } from './english';
import { spanContains } from './span';
import { Worklist } from './worklist';
import { TypeIndex } from './type-index';
import { NameIndex } from './name-index';
import { keptHead, plainHead } from './kept-head';
import { appended, ownCopy } from './exact';
import { SAVED_PROGRAM_FORMAT, type SavedItem, type SavedRun, SavedEvents, SharedNumbers, unpackEvents } from './saved-program';

/** A callee `resolveName` has not been asked about (no key is empty). */
const UNASKED = '';
/** Records indexed before the lists of callers are trimmed (a language server's edit adds a handful). */
const TRIM_AFTER_INDEXED = 4096;
/** Entry contexts kept per function; past it, callers report what the callee's summary says. */
const MAX_CONTEXTS = 12;
/** Times a function's summary may change in one settling before its callers stop hearing of it. */
const MAX_ROUNDS = 12;
/** Calls a context is followed through (a lock taken eight calls up is still found). */
const MAX_DEPTH = 8;
/**
 * Functions a call through a field may reach before kpath calls it unknown: `file->f_op->open` is
 * resolved by the field's name alone, and a whole tree stores hundreds of functions into `.open`.
 */
const MAX_INDIRECT_TARGETS = 8;

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

/**
 * Where a program that does not keep function bodies finds them again: a run over a whole tree
 * keeps only each function's head, summary and findings in memory (the bodies of Linux's 32,000
 * files take some 20 GB as objects), hands each file's bodies to the store as the file is added,
 * and loads one function's body when it explores that function. Bodies are stored and loaded one
 * function at a time: the order of the fixed point (callees first, across files) would otherwise
 * read a large header's whole IR back for each of its helpers. The host implements it on disk;
 * loading may throw (the function is then reported as not analysed).
 */
export interface BodyStore {
  keep(file: string, functions: readonly FunctionIR[]): void;
  load(file: string, index: number): FunctionIR;
}

export interface ProgramOptions {
  /** Keep only heads in memory and load bodies from here when needed. Default: keep everything. */
  bodies?: BodyStore;
  /**
   * Told how the fixed point advances, for long runs: functions summarised and run in their own
   * context (`functions`), then functions run in the contexts handed to them (`contexts`). `total`
   * is the work known so far; it grows when a change reaches more functions.
   */
  onProgress?: (phase: 'functions' | 'contexts', done: number, total: number) => void;
}

interface FileEntry {
  keys: string[];
  suppressions: Suppression[];
  problems: InputError[];
  /** Contexts the file's calls give the functions they register, by the registered function's name. */
  registrations: { target: string; context: EntryContext }[];
  /** Functions it stores into fields: they resolve calls through the field, and may be callbacks. */
  stored: FunctionRef[];
  /** Its structures, typedefs and variables' types, as text (an update compares them). */
  types?: string;
  /** The function-like macros it defines unconditionally (`FileIR.macros`). */
  macros?: string[];
  /** Those macros' constants or-ed in (`FileIR.macroBits`). */
  macroBits?: Record<string, string[]>;
  /** Its file-level `static` variables (`FileIR.statics`): a lock named through one is the file's own. */
  statics?: ReadonlySet<string>;
}

/** What runs of a function over some entry contexts found, and the contexts they handed on. */
interface RunOutput {
  findings: Finding[];
  nestings: SerieNesting[];
  /** Contexts handed to each callee (by key). */
  outgoing: Map<string, EntryContext[]>;
}

const NOTHING: RunOutput = { findings: [], nestings: [], outgoing: new Map() };
/** The contexts of a function nobody has handed any yet (most of them): replaced, never added to. */
const NO_CONTEXTS = Object.freeze([]) as unknown as EntryContext[];

/** The functions stored into a field (of a holder type, when `typed`), and the same by file once a path asks. */
interface StoredTargets {
  keys: string[];
  typed: boolean;
  byFile?: Map<string, string[]>;
}

interface FnRecord {
  key: string;
  file: string;
  head: FunctionHead;
  /** The body, unless the program loads bodies from a store. */
  body?: FunctionIR;
  /** Its position among its file's functions (where the store's IR has it). */
  index: number;
  /** Its file was added on demand: it is analysed only when something analysed calls it. */
  onDemand: boolean;
  /** A statement misread as a function: analysed on its own, never the target of a call. */
  misread: boolean;
  /** Names it calls directly, without duplicates. */
  callees: string[];
  /** Its parameters compared with a constant (param-tests.ts): a context says what a caller passed there. */
  compared?: string[];
  /** A wrapper's parameters handed on unchanged to a callee, `[callee, index, param]` (param-tests.ts). */
  forwards?: Forward[];
  /** The IR as text, computed when an update needs to compare: an update that leaves it equal keeps the record. */
  fingerprint?: string;
  ann: FunctionAnnotations;
  summary?: Summary;
  summaryKey?: string;
  /**
   * The run in the function's own context (what its annotations promise, else nothing held). It is
   * done together with the summary, bottom-up, usually as the same exploration.
   */
  own: RunOutput;
  /** The runs in the contexts callers and registrations hand it, top-down. */
  handed: RunOutput;
  /** Contexts from callers and registrations, deduplicated, capped. */
  incoming: EntryContext[];
  /**
   * resolveName's answers for this function's callees, by their place in `callees` (`UNASKED` for
   * one not asked yet), valid while `resolvedAt` is the program's generation. Not a Map: every
   * record has one through a whole settling, where a Map of a few names weighed 300 bytes.
   */
  resolved?: (string | undefined)[];
  resolvedAt: number;
  /**
   * Its place in the order of a settling's phase (`ranked`), while the phase runs; else -1. A field
   * rather than a map of the phase's keys: on a whole tree that map was 28 MiB through the contexts.
   */
  rank: number;
}

export class Program {
  readonly knowledge: Knowledge;
  private readonly files = new Map<string, FileEntry>();
  private readonly fns = new Map<string, FnRecord>();
  private readonly byName = new NameIndex();
  /** Callee name -> keys of the functions that call it. */
  private readonly callersOf = new NameIndex();
  private readonly dirtySummary = new Set<string>();
  private readonly dirtyCheck = new Set<string>();
  /**
   * Work done so far, for benchmarks and for seeing what an edit costs: functions summarised (with
   * their run in their own context), functions run in contexts handed to them, explorations, and
   * (block, state) pairs explored, and bodies loaded from the body store.
   */
  readonly stats = { summaries: 0, handed: 0, runs: 0, states: 0, loads: 0 };
  /** Functions whose analysis threw, by phase and key: reported as problems, never fatal. */
  private readonly failures = new Map<string, InputError>();
  private callbackContexts = new Map<string, EntryContext[]>();
  /** Bumped whenever a function is added or removed: every record's resolved names are forgotten. */
  private generation = 0;
  /** Rows for functions annotated as mappers or unmappers, by name. */
  private readonly annotatedRows = new Map<string, CallSemantics>();
  /** Callee key -> keys of the functions that handed it a context in their last run. */
  private readonly contributors = new Map<string, Set<string>>();
  /**
   * Field name -> the functions stored into it (`.ndo_open = foo_open`), resolved where stored, with
   * the structure holding the field when known.
   */
  private storedInto = new Map<string, { key: string; holder?: string }[]>();
  /** Keys of the functions a call through a field of a structure may reach, by field and structure. */
  private storedByHolder = new Map<string, StoredTargets>();
  private typeIndex = new TypeIndex(new Map());
  private typesChanged = false;
  private structureChanged = false;
  /** Callees whose contributors went away with a removed file: their contexts are gathered anew. */
  private readonly staleIncoming = new Set<string>();
  /** Macro name -> the files defining it unconditionally (`FileIR.macros`): calls they reach are no function's. */
  private readonly macroFiles = new Map<string, string[]>();
  /** `comparedOf`'s answers for wrappers, valid while `comparedAt` is the program's generation. */
  private readonly comparedMemo = new Map<string, readonly string[]>();
  /** Records indexed since `trimIndex` last ran. */
  private indexedSinceTrim = 0;
  private comparedAt = -1;

  /**
   * Names, paths and summary keys, one copy each (see `own`), and the one summary every inert
   * function shares: a program over a whole tree holds hundreds of thousands of each. Emptied as a
   * settling starts: it shares what is added between two settlings, and the summary keys of one.
   */
  private readonly texts = new Map<string, string>();
  /** An update or a removal since the last settling (a new or restored program has had none). */
  private unsettled = true;
  /** What `check` reports, made once per settling. */
  private reports?: { list: Finding[]; standsFor: Map<Finding, Finding[]> };
  private inertKey?: string;
  private inertSummary?: Summary;
  /** Saved as its last use (`save({ last: true })`): what it held is gone, and it answers nothing more. */
  private spent = false;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly options: ProgramOptions = {},
  ) {
    this.knowledge = withAnnotatedRows(indexApi(config.api), this);
  }

  /**
   * Adds or replaces a file. A function whose IR is unchanged to the character (an edit elsewhere
   * in the file, above it or in another function) keeps its summary, contexts and findings; the
   * others are analysed anew, and whatever depends on them follows. A file added `onDemand` (a
   * header found by following `#include`) has its functions analysed only when something analysed
   * calls them.
   */
  update(ir: FileIR, options: { onDemand?: boolean } = {}): void {
    this.usable();
    this.unsettled = true;
    if (this.options.bodies) ir = { ...ir, file: this.own(ir.file) };
    const before = this.files.get(ir.file);
    const previous = new Map((before?.keys ?? []).map((k) => [k, this.fns.get(k)!] as const));
    const keys: string[] = [];
    const kept = new Set<string>();
    this.options.bodies?.keep(ir.file, ir.functions);
    for (const [index, fn] of ir.functions.entries()) {
      let key = `${ir.file}#${fn.name}`;
      for (let n = 2; keys.includes(key); n++) key = `${ir.file}#${fn.name}@${n}`;
      // Flat: a key made by joining texts is a pair of them, 32 bytes more for each of 645,000.
      if (this.options.bodies) key = ownCopy(key);
      keys.push(key);
      const old = previous.get(key);
      // The language server's lowering hands back the very IR of a definition the edit did not touch.
      if (old?.body === fn) {
        kept.add(key);
        continue;
      }
      const fingerprint = old?.body ? JSON.stringify(fn) : undefined;
      if (old?.body && (old.fingerprint ??= JSON.stringify(old.body)) === fingerprint) {
        // The same IR in a new object: kept, under the new object, so that the next edit finds it by identity.
        if (old.head === old.body) old.head = fn;
        old.body = fn;
        kept.add(key);
        continue;
      }
      // Replaced under the same name: callers resolve to it as before; its summary tells them if it matters.
      if (old) this.removeRecord(key, false);
      this.addRecord(key, ir.file, fn, index, options.onDemand === true, fingerprint, !old);
      if (old?.summaryKey !== undefined) this.fns.get(key)!.summaryKey = old.summaryKey;
    }
    for (const key of previous.keys()) if (!keys.includes(key) && this.fns.has(key)) this.removeRecord(key);
    const { suppressions, problems } = fileSuppressions(ir, this.knowledge);
    const types = ir.types && JSON.stringify(ir.types);
    if (types !== before?.types) this.typesChanged = true;
    const macros = ir.macros?.map((m) => this.own(m));
    this.defineMacros(ir.file, before?.macros, macros);
    // a macro that or-s in other bits now: its calls' arguments mean something else
    for (const name of new Set([...Object.keys(before?.macroBits ?? {}), ...Object.keys(ir.macroBits ?? {})])) {
      if (before?.macroBits?.[name]?.join('|') !== ir.macroBits?.[name]?.join('|')) this.renamed(name);
    }
    const macroBits = ir.macroBits && ownedBits(ir.macroBits, (t) => this.own(t));
    const statics = ir.statics && new Set(ir.statics.map((v) => this.own(v)));
    // Its locks' names seen from other files changed: its functions and their callers run again.
    if (!sameSet(statics, before?.statics)) for (const key of keys) this.touchFunction(key);
    this.files.set(ir.file, {
      // Lists kept for good, at their exact size (exact.ts).
      keys: keys.slice(), suppressions, problems, registrations: this.registrationsOf(ir).slice(), stored: this.storedIn(ir),
      ...(types ? { types } : {}), ...(macros ? { macros } : {}), ...(macroBits ? { macroBits } : {}), ...(statics ? { statics } : {}),
    });
    this.structureChanged = true;
  }

  /** `file` defines `now` instead of `before`: the calls of a name that changed are resolved again. */
  private defineMacros(file: string, before: readonly string[] = [], now: readonly string[] = []): void {
    if (before.length === 0 && now.length === 0) return;
    // Sets: a register header defines thousands.
    const [was, is] = [new Set(before), new Set(now)];
    for (const name of before) {
      if (is.has(name)) continue;
      const rest = this.macroFiles.get(name)?.filter((f) => f !== file) ?? [];
      if (rest.length) this.macroFiles.set(name, rest);
      else this.macroFiles.delete(name);
      this.renamed(name);
    }
    for (const name of now) {
      if (was.has(name)) continue;
      const files = this.macroFiles.get(name);
      if (files) files.push(file);
      else this.macroFiles.set(name, [file]);
      this.renamed(name);
    }
  }

  /** What `name` means changed: every call of it resolves again. */
  private renamed(name: string): void {
    if (!this.callersOf.has(name)) return;
    this.generation++;
    this.touchName(name);
  }

  remove(file: string): void {
    this.usable();
    this.unsettled = true;
    const entry = this.files.get(file);
    if (!entry) return;
    for (const key of entry.keys) this.removeRecord(key);
    this.defineMacros(file, entry.macros, []);
    this.files.delete(file);
    if (entry.types) this.typesChanged = true;
    this.structureChanged = true;
  }

  private addRecord(key: string, file: string, fn: FunctionIR, index: number, onDemand: boolean, fingerprint: string | undefined, isNew = true): void {
    const ann = shared(believedAnnotations(functionAnnotations(fn, this.knowledge), fn, this.knowledge));
    this.generation++;
    const own = this.options.bodies ? (t: string) => this.own(t) : (t: string) => t;
    const callees = calleesOf(fn).map(own);
    const compared = comparedParams(fn);
    const forwards = forwardedParams(fn).map((f) => ownForward(f, own));
    const kept = this.options.bodies ? { head: keptHead(fn, own) } : { head: fn, body: fn };
    const rec: FnRecord = {
      key, file, ...kept, index, onDemand, misread: fn.misread === true, callees,
      ...(compared.length ? { compared } : {}),
      ...(forwards.length ? { forwards } : {}),
      fingerprint, ann, own: NOTHING, handed: NOTHING, incoming: NO_CONTEXTS, resolvedAt: -1, rank: -1,
    };
    this.index(rec);
    this.byName.sort(fn.name);
    this.dirtySummary.add(key);
    this.dirtyCheck.add(key);
    if (isNew) this.touchName(fn.name);
    // Callers elsewhere keep handing contexts to this function: gather them for the new record.
    this.staleIncoming.add(key);
  }

  /** Makes `rec` the function of its key, callable by its name, calling its callees. */
  private index(rec: FnRecord): void {
    const { key, head, ann } = rec;
    this.fns.set(key, rec);
    if (ann.map || ann.unmap) this.annotatedRows.set(head.name, { name: head.name, ...(ann.map ? { map: ann.map } : {}), ...(ann.unmap ? { unmap: ann.unmap } : {}), ...(ann.sleeps ? { sleeps: ann.sleeps } : {}) });
    if (!rec.misread) {
      this.byName.add(head.name, key);
    }
    // `callees` has no duplicates and a record is indexed once, so a caller is listed once.
    for (const callee of rec.callees) {
      this.callersOf.add(callee, key);
    }
    this.indexedSinceTrim++;
  }

  /**
   * The lists of callers and of functions by name at their exact size. A list grown by `push`
   * keeps room for 17 keys from its second one on: 27 MiB of a whole tree's callers.
   */
  private trimIndex(): void {
    if (this.indexedSinceTrim < TRIM_AFTER_INDEXED) return;
    this.indexedSinceTrim = 0;
    this.callersOf.trim();
    this.byName.trim();
  }

  private removeRecord(key: string, gone = true): void {
    const rec = this.fns.get(key);
    if (!rec) return;
    for (const calleeKey of new Set([...rec.own.outgoing.keys(), ...rec.handed.outgoing.keys()])) {
      this.contributors.get(calleeKey)?.delete(key);
      this.dirtyCheck.add(calleeKey);
      this.staleIncoming.add(calleeKey);
    }
    this.fns.delete(key);
    this.generation++;
    this.annotatedRows.delete(rec.head.name);
    this.byName.remove(rec.head.name, key);
    for (const callee of rec.callees) this.callersOf.remove(callee, key);
    this.dirtySummary.delete(key);
    this.dirtyCheck.delete(key);
    this.staleIncoming.delete(key);
    if (gone) this.touchName(rec.head.name);
  }

  /**
   * Findings in `files` (default: every file), after propagating over every file added, each
   * cause of a sleep reported once (causes.ts). With `orThrough`, also the findings elsewhere whose
   * path runs through one of `files` (a header's inline helper that sleeps under a lock taken in a
   * `.c` file given by the user), or that stand for one that does.
   */
  check(files?: readonly string[], options: { orThrough?: boolean } = {}): Finding[] {
    this.settle();
    const { list, standsFor } = (this.reports ??= this.report());
    if (!files) return list;
    const wanted = new Set(files);
    const concerns = (f: Finding) => wanted.has(f.file) || f.path.some((e) => wanted.has(e.file));
    // A report outside the files stands for findings of one cause: that one of them concerns the files is enough.
    return list.filter((r) => wanted.has(r.file) || (options.orThrough === true && (standsFor.get(r) ?? [r]).some(concerns)));
  }

  /**
   * Every file's findings, one per location (a caller's path explains a finding best), without the
   * suppressed ones, each cause reported once (causes.ts), sorted; with the findings each report
   * stands for.
   */
  private report(): { list: Finding[]; standsFor: Map<Finding, Finding[]> } {
    const all: Finding[] = [];
    for (const entry of this.files.values()) {
      const seen = new Set<string>();
      for (const key of entry.keys) {
        const rec = this.fns.get(key)!;
        for (const f of [...rec.handed.findings, ...rec.own.findings]) {
          const id = `${f.rule}@${f.line}:${f.column}`;
          if (seen.has(id) || isSuppressed(f, entry.suppressions) || this.mixesParts(f.path, f.file)) continue;
          seen.add(id);
          all.push(f);
        }
      }
    }
    return oneReportPerCause(all.sort(byLocation));
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
    return [...this.fns.values()].flatMap((r) => [...r.own.nestings, ...r.handed.nestings]);
  }

  /** The function's summary as callers see it (for hovers and tests). */
  summaryOf(file: string, name: string): Summary | undefined {
    this.settle();
    return this.fns.get(`${file}#${name}`)?.summary;
  }

  stateAt(file: string, line: number, column: number): PointState | undefined {
    this.settle();
    const entry = this.files.get(file);
    const rec = entry?.keys.map((k) => this.fns.get(k)!).find((r) => spanContains(r.head.span, line, column));
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
    const body = this.bodyOf(rec);
    for (const ctx of [this.ownContext(rec), ...this.handedContexts(rec)]) explore(body, [ctx], makeTransfer(this.env(rec, body, () => true), observer));
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
      function: rec.head.name,
      paths: states.length,
      held: [...counts.values()].map(({ h, n }) => ({ what: h.what, name: heldName(h), detail: heldDetail(h), origin: h.origin, onAllPaths: n === states.length })),
    };
  }

  /**
   * `text` as a string of its own, one copy per distinct value. A string that JSON.parse returns
   * may be a slice of the whole text it parsed (V8 does so from 13 characters), and a head that
   * kept one would keep its file's whole IR text alive: a program over a whole tree keeps only
   * heads, and must not keep the texts they came from. Equal summary keys share one string too.
   */
  private own(text: string): string {
    const known = this.texts.get(text);
    if (known !== undefined) return known;
    const copy = text.length < 13 ? text : ownCopy(text);
    this.texts.set(copy, copy);
    return copy;
  }

  // ---- the fixed point --------------------------------------------------------------------------

  private settle(): void {
    this.usable();
    // Every query settles first; most come after nothing changed (the language server checks its
    // files one by one), and finding that out walks the never-called helpers left dirty.
    if (!this.unsettled) return;
    this.unsettled = false;
    this.reports = undefined;
    // What the files added so far share is shared now; the table that found it would only ride
    // through the fixed point (a whole tree's names and paths: a million entries).
    this.texts.clear();
    if (this.structureChanged) this.recomputeCallbacks();
    this.structureChanged = false;
    this.trimIndex();
    for (const key of this.staleIncoming) this.gatherIncoming(key);
    this.staleIncoming.clear();
    this.runOwn();
    this.runHanded();
    // Without bodies in memory, most of what remains per function is these caches: rebuilt on demand.
    if (this.options.bodies) this.forgetResolved();
  }

  /** Drops every record's resolved callees: rebuilt when a function is run or ordered again. */
  private forgetResolved(): void {
    for (const rec of this.fns.values()) rec.resolved = undefined;
  }

  /** A function named `name` appeared or went: whoever calls that name resolves anew. */
  private touchFunction(key: string): void {
    const rec = this.fns.get(key);
    if (!rec) return;
    this.dirtySummary.add(key);
    this.dirtyCheck.add(key);
    this.touchName(rec.head.name);
  }

  private touchName(name: string): void {
    for (const caller of this.callersOf.get(name) ?? []) {
      this.dirtySummary.add(caller);
      this.dirtyCheck.add(caller);
    }
  }

  /**
   * Bottom-up: each function's summary and its run in its own context, callees first, again for
   * the callers of every function whose summary changed (call cycles) until nothing changes.
   */
  private runOwn(): void {
    const order = this.dueInOrder(this.dirtySummary);
    this.ranked(order, (work) => this.summariseAll(work));
  }

  private summariseAll(work: Worklist): void {
    let budget = this.fns.size * 4 + 16;
    const rounds = new Map<string, number>();
    let done = 0;
    for (let key = work.pop(); key !== undefined && budget-- > 0; key = work.pop()) {
      if (done++ % 256 === 0) this.options.onProgress?.('functions', done - 1, done + work.size);
      const rec = this.fns.get(key);
      if (!rec) continue;
      let summary: Summary;
      let own: RunOutput;
      this.stats.summaries++;
      try {
        ({ summary, own } = this.analyseOwn(rec));
        this.failures.delete(`summary:${key}`);
      } catch (e) {
        this.failures.set(`summary:${key}`, { file: rec.file, message: `${rec.head.name}() could not be analysed (skipped): ${(e as Error).message}` });
        summary = { gfpSleeps: {}, acquires: [], releases: [] };
        own = NOTHING;
      }
      const k = this.own(summaryKey(summary));
      rec.summary = summary.inert && k === this.inertKey ? this.inertSummary! : summary;
      if (summary.inert && this.inertKey === undefined) [this.inertKey, this.inertSummary] = [k, summary];
      for (const callee of this.handOn(rec, own, rec.handed)) this.dirtyCheck.add(callee);
      if (k === rec.summaryKey) continue;
      rec.summaryKey = k;
      // A summary still changing after MAX_ROUNDS turns is kept as it is: round some call cycles
      // (rpm_suspend <-> rpm_resume) the sleep each one names flips for ever.
      const round = (rounds.get(key) ?? 0) + 1;
      rounds.set(key, round);
      if (round >= MAX_ROUNDS) continue;
      for (const caller of this.callersOf.get(rec.head.name) ?? []) {
        // Callers of another function of that name (a static one of their own file) do not see it.
        const from = this.fns.get(caller);
        if (!from || this.resolveName(from, rec.head.name) !== key) continue;
        this.dirtyCheck.add(caller);
        // A header's helper nothing analysed calls waits until something does.
        if (from.onDemand && from.summary === undefined && !work.has(caller)) this.dirtySummary.add(caller);
        else work.push(caller);
      }
    }
    if (done > 0) this.options.onProgress?.('functions', done, done);
  }

  /**
   * The summary (a run from nothing held) and the run in the function's own context: one
   * exploration observed twice, unless annotations give it a context of its own.
   */
  private analyseOwn(rec: FnRecord): { summary: Summary; own: RunOutput } {
    const own: RunOutput = { findings: [], nestings: [], outgoing: new Map() };
    const annotated = annotatedContext(rec.file, rec.head, rec.ann, this.knowledge);
    const body = this.bodyOf(rec);
    const collector = summaryCollector(this.env(rec, body, () => true), rec.ann);
    const observers = this.ruleObservers(rec, body, own);
    const env = this.env(rec, body, this.recorder(rec, own.outgoing), (callee) => collector.calleeSeen(callee.summary?.inert === true));
    this.stats.runs++;
    let summarised;
    if (annotated) {
      summarised = explore(body, [EMPTY_STATE], makeTransfer(env, collector.observer));
      this.stats.runs++;
      this.stats.states += explore(body, [stateOf(annotated)], makeTransfer(env, combine(observers))).visited;
    } else {
      summarised = explore(body, [EMPTY_STATE], makeTransfer(env, combine([collector.observer, ...observers])));
    }
    this.stats.states += summarised.visited;
    for (const o of observers) o.finish?.();
    return { summary: collector.summary(summarised.truncated), own };
  }

  /**
   * A worklist of `order`, ranked by place in it, for `run`: the ranks are the records' own while
   * it runs (`FnRecord.rank`).
   */
  private ranked(order: readonly string[], run: (work: Worklist) => void): void {
    order.forEach((key, i) => {
      const rec = this.fns.get(key);
      if (rec) rec.rank = i;
    });
    try {
      run(new Worklist((key) => rankIn(this.fns.get(key)), order.length, order));
    } finally {
      for (const key of order) {
        const rec = this.fns.get(key);
        if (rec) rec.rank = -1;
      }
    }
  }

  /** Top-down: the runs in contexts handed by callers and registrations, callers first. */
  private runHanded(): void {
    // A header's helper is due when handed contexts, or when the last one went (its findings go with it).
    const order = this.dueInOrder(this.dirtyCheck, (rec) => rec.incoming.length > 0 || rec.handed !== NOTHING).reverse(); // callers first
    // Ordering resolved every due function's callees; only those run in a context need them again
    // (a sixth of a whole tree's): the others' lists would ride through the phase, 23 MiB at its end.
    if (this.options.bodies) this.forgetResolved();
    this.ranked(order, (work) => this.checkAll(work));
  }

  private checkAll(work: Worklist): void {
    let budget = this.fns.size * 8 + 16;
    let done = 0;
    for (let key = work.pop(); key !== undefined && budget-- > 0; key = work.pop()) {
      if (done++ % 256 === 0) this.options.onProgress?.('contexts', done - 1, done + work.size);
      const rec = this.fns.get(key);
      if (!rec) continue;
      let changedCallees: string[] = [];
      try {
        changedCallees = this.handOn(rec, rec.own, this.analyseHanded(rec));
        this.failures.delete(`check:${key}`);
      } catch (e) {
        changedCallees = this.handOn(rec, rec.own, NOTHING);
        this.failures.set(`check:${key}`, { file: rec.file, message: `${rec.head.name}() could not be analysed (skipped): ${(e as Error).message}` });
      }
      for (const callee of changedCallees) work.push(callee);
    }
    if (done > 0) this.options.onProgress?.('contexts', done, done);
  }

  /** Runs the rules over `rec` in each context handed to it (none for an inert function). */
  private analyseHanded(rec: FnRecord): RunOutput {
    const contexts = this.handedContexts(rec);
    if (contexts.length === 0 || rec.summary?.inert) return NOTHING;
    this.stats.handed++;
    const handed: RunOutput = { findings: [], nestings: [], outgoing: new Map() };
    const body = this.bodyOf(rec);
    const env = this.env(rec, body, this.recorder(rec, handed.outgoing));
    for (const entry of contexts) {
      const observers = this.ruleObservers(rec, body, handed);
      this.stats.runs++;
      this.stats.states += explore(body, [entry], makeTransfer(env, combine(observers))).visited;
      for (const o of observers) o.finish?.();
    }
    return handed;
  }

  /**
   * Makes `own` and `handed` the function's runs; returns the callees whose contexts from it changed
   * (their incoming contexts are gathered anew and they are to be run again).
   */
  private handOn(rec: FnRecord, own: RunOutput, handed: RunOutput): string[] {
    const before = (k: string) => outgoingTo(rec, k);
    const keys = new Set([...rec.own.outgoing.keys(), ...rec.handed.outgoing.keys(), ...own.outgoing.keys(), ...handed.outgoing.keys()]);
    const previous = new Map([...keys].map((k) => [k, before(k).map((c) => c.key).join('\n')] as const));
    rec.own = keptRun(own);
    rec.handed = keptRun(handed);
    const changed: string[] = [];
    for (const calleeKey of keys) {
      const now = outgoingTo(rec, calleeKey);
      if (now.map((c) => c.key).join('\n') === previous.get(calleeKey)) continue;
      changed.push(calleeKey);
      const set = this.contributors.get(calleeKey) ?? new Set<string>();
      if (now.length > 0) set.add(rec.key);
      else set.delete(rec.key);
      this.contributors.set(calleeKey, set);
      this.gatherIncoming(calleeKey);
    }
    return changed.filter((k) => this.fns.has(k));
  }

  /** The rules' observers for one run of `rec`, reporting into `out`. */
  private ruleObservers(rec: FnRecord, body: FunctionIR, out: RunOutput): RuleObserver[] {
    const annotatedAcquires = new Set(rec.ann.acquires.map((a) => a.lock));
    const annotatedReleases = new Set(rec.ann.releases.map((a) => a.lock));
    const observers = RULES.filter((r) => this.config.severity[r.id] !== 'off').map((rule) =>
      rule.observe({
        file: rec.file,
        fn: body,
        knowledge: this.knowledge,
        annotatedAcquires,
        annotatedReleases,
        returnsMapping: rec.summary?.returnsPin !== undefined,
        report: (r: Report) => out.findings.push({ ...r, severity: this.config.severity[rule.id] as Finding['severity'], file: rec.file, function: rec.head.name }),
      }),
    );
    observers.push(nestingRecorder(out.nestings));
    return observers;
  }

  /**
   * What `rec` does at a call into a program function while it holds something: the state becomes
   * a context of the callee, recorded in `outgoing`. Returns whether the callee is run in it.
   */
  private recorder(rec: FnRecord, outgoing: Map<string, EntryContext[]>): (callee: Callee, s: State, op: CallOp, members?: MemberLookup) => boolean {
    // Contexts offered to each callee in this run that it did not have: they take its free places.
    const offeredNew = new Map<string, Set<string>>();
    const caller = callerOf(rec.file, rec.head);
    return (callee, s, op, members) => {
      // Around a cycle a context would come back with a longer chain each time, for ever: it is
      // handed on once. Past MAX_DEPTH calls a chain is not followed further: the caller reports
      // what the callee's summary says at the call.
      if (s.held.some((h) => h.origin.some((e) => e.kind === 'call' && e.callee === callee.name))) return true;
      const chain = s.held.reduce((n, h) => Math.max(n, h.origin.filter((e) => e.kind === 'call').length), 0);
      if (chain >= MAX_DEPTH) return false;
      // A path of one build: what arch/powerpc holds never enters x86's functions, though the
      // generic code between resolves to them. Nothing to report there.
      if (s.held.some((h) => this.mixesParts(h.origin, callee.file))) return true;
      const target = this.fns.get(callee.key)!;
      // A whole-tree program keeps no context that cannot change a finding (the language server
      // keeps them: its hovers show what callers hold).
      if (this.options.bodies && target.summary?.inert) return true;
      const across = (lock: string) => lockAcrossFiles(lock, rec.file, callee.file, (file) => this.files.get(file)?.statics);
      const drops = target.summary?.puts !== undefined;
      const ctx = calleeContext(caller, callee.fn, op, s.held, s.conds, this.comparedOf(target), members, across, drops);
      const record = (c: EntryContext) => {
        const list = outgoing.get(callee.key) ?? NO_CONTEXTS;
        // Kept until the caller runs again: at its exact size (a list grown by push holds 17).
        if (!list.some((o) => o.key === c.key)) outgoing.set(callee.key, appended(list, c));
      };
      // One the callee has: the callee's copy is kept (a thousand callers of iput share one).
      const had = target.incoming.find((c) => c.key === ctx.key);
      if (had) {
        record(had);
        return true;
      }
      let fresh = offeredNew.get(callee.key);
      if (!fresh) offeredNew.set(callee.key, (fresh = new Set()));
      fresh.add(ctx.key);
      // A new one takes a free place; with none left it is not kept, and the caller reports
      // what the callee's summary says at the call.
      if (target.incoming.length + [...fresh].indexOf(ctx.key) >= MAX_CONTEXTS) return false;
      record(ctx);
      return true;
    };
  }

  /** The state a function starts in on its own: what its annotations promise, else nothing held. */
  private ownContext(rec: FnRecord): State {
    const annotated = annotatedContext(rec.file, rec.head, rec.ann, this.knowledge);
    return annotated ? stateOf(annotated) : EMPTY_STATE;
  }

  /** The contexts callers and registrations hand `rec`, without the one it has on its own. */
  private handedContexts(rec: FnRecord): State[] {
    const annotated = annotatedContext(rec.file, rec.head, rec.ann, this.knowledge);
    const seen = new Set([annotated?.key ?? '']);
    return rec.incoming.filter((c) => !seen.has(c.key) && seen.add(c.key)).map(stateOf);
  }

  /**
   * The contexts `key` is run in: its registrations', then its callers' (in caller order), at most
   * MAX_CONTEXTS. A context it already has stays as long as a caller still hands it: were a newly
   * arrived caller's contexts to push older ones out, a function called from a thousand places
   * (iput) would be run again at each arrival, and its callees after it.
   */
  private gatherIncoming(key: string): void {
    const rec = this.fns.get(key);
    if (!rec) return;
    const offered = new Map<string, EntryContext>();
    for (const ctx of this.callbackContexts.get(key) ?? []) offered.set(ctx.key, ctx);
    for (const caller of [...(this.contributors.get(key) ?? [])].sort()) {
      const from = this.fns.get(caller);
      for (const ctx of from ? outgoingTo(from, key) : []) if (!offered.has(ctx.key)) offered.set(ctx.key, ctx);
    }
    const incoming = rec.incoming.filter((c) => offered.has(c.key)).map((c) => offered.get(c.key)!);
    for (const ctx of offered.values()) {
      if (incoming.length >= MAX_CONTEXTS) break;
      if (!incoming.some((c) => c.key === ctx.key)) incoming.push(ctx);
    }
    rec.incoming = incoming.length === 0 ? NO_CONTEXTS : incoming.slice(); // exact size (exact.ts)
  }

  private recomputeCallbacks(): void {
    if (this.typesChanged) this.typeIndex = new TypeIndex(this.typesByFile());
    this.typesChanged = false;
    const next = new Map<string, EntryContext[]>();
    const register = (file: string, target: string, context: EntryContext) => {
      // The function the name means where it is registered, as a call there would resolve it.
      const key = this.resolveIn(file, target);
      if (key === undefined) return;
      const list = next.get(key) ?? [];
      if (!list.some((c) => c.key === context.key)) list.push(context);
      next.set(key, list);
    };
    const stored = new Map<string, { key: string; holder?: string }[]>();
    for (const [file, { registrations, stored: refs }] of this.files) {
      for (const { target, context } of registrations) register(file, target, context);
      for (const ref of refs) {
        const holder = ref.owner && this.typeIndex.holder(file, ref.owner);
        const field = this.knowledge.callbackField(ref.field!, holder);
        if (field) {
          const registration = `stored into .${ref.field}${holder ? ` of struct ${holder}` : ''} at ${file}:${ref.span.line}: runs as ${field.what}`;
          register(file, ref.function, callbackContext(file, ref.function, ref.span, `.${ref.field}`, field.context, registration));
        }
        // A bus driver's structure is the bus core's to call (`struct pci_driver`'s .remove).
        if (this.knowledge.calledByBusCore(holder)) continue;
        // The function the name means in the file that stores it: a driver's static foo_open.
        const key = this.resolveIn(file, ref.function);
        if (key === undefined) continue;
        const list = stored.get(ref.field!) ?? [];
        if (!list.some((e) => e.key === key && e.holder === holder)) list.push(holder === undefined ? { key } : { key, holder });
        stored.set(ref.field!, list);
      }
    }
    const changed = new Set([...this.callbackContexts.keys(), ...next.keys()]);
    for (const key of changed) {
      if (JSON.stringify(this.callbackContexts.get(key) ?? []) !== JSON.stringify(next.get(key) ?? [])) this.dirtyCheck.add(key);
    }
    // Kept until the next change of structure: at their exact size (exact.ts).
    for (const map of [next, stored] as Map<string, object[]>[]) for (const [k, list] of map) map.set(k, list.slice());
    this.callbackContexts = next;
    this.storedInto = stored;
    this.storedByHolder = new Map();
    for (const key of changed) this.gatherIncoming(key);
  }

  private typesByFile(): Map<string, TypeFacts> {
    const out = new Map<string, TypeFacts>();
    for (const [file, { types }] of this.files) if (types) out.set(file, JSON.parse(types) as TypeFacts);
    return out;
  }

  /**
   * The functions a call through `field` may reach: those stored into that field of the structure
   * holding it (`holder`; `typed`), else those stored where the structure is not known; with no
   * holder, any.
   */
  private storedFor(field: string, holder: string | undefined): StoredTargets {
    const id = holder === undefined ? field : `${field}\0${holder}`;
    const known = this.storedByHolder.get(id);
    if (known) return known;
    const all = this.storedInto.get(field) ?? [];
    const same = holder === undefined ? [] : all.filter((e) => e.holder === holder);
    const typed = same.length > 0;
    const found = { keys: [...new Set((typed ? same : holder === undefined ? all : all.filter((e) => e.holder === undefined)).map((e) => e.key))], typed };
    this.storedByHolder.set(id, found);
    return found;
  }

  /**
   * What a file's calls register, read once when it is updated: functions it hands to the kernel as
   * callbacks (`timer_setup(&t, fn, 0)`). Functions stored into fields are weighed with the types
   * of all files (recomputeCallbacks).
   */
  private registrationsOf(ir: FileIR): FileEntry['registrations'] {
    const registrations: FileEntry['registrations'] = [];
    for (const fn of ir.functions) {
      for (const block of fn.blocks) {
        for (const op of block.ops) {
          if (op.kind !== 'call' || op.indirect) continue;
          const reg = this.knowledge.call(op.callee, op.args.length)?.registersCallback;
          const target = reg && op.args[reg.fnArg]?.text.replace(/^&/, '');
          // A wrapper passing on its own parameter (netif_napi_add(dev, napi, poll)) registers
          // whatever its callers pass, not a function named `poll`; so does a local
          // (`fn = tg3_msi; request_irq(irq, fn, ...)`).
          if (!reg || !target || fn.params.includes(target) || fn.locals.includes(target)) continue;
          const registration = `registered as ${withArticle(reg.what)} by ${op.callee}() in ${fn.name}() at ${ir.file}:${op.span.line}`;
          registrations.push({ target, context: callbackContext(ir.file, fn.name, op.span, `${op.callee}()`, reg.context, registration) });
        }
      }
    }
    return registrations;
  }

  /** The file's functions stored into fields, with strings of their own (see `own`). */
  private storedIn(ir: FileIR): FunctionRef[] {
    const own = (t: string) => this.own(t);
    return ir.functionRefs.flatMap((ref) =>
      ref.field === undefined
        ? []
        : [{ function: own(ref.function), field: own(ref.field), span: ref.span, ...(ref.owner ? { owner: { type: own(ref.owner.type), ...(ref.owner.via ? { via: ref.owner.via.map(own) } : {}) } } : {}) }],
    );
  }

  /** Callees before callers: the functions of `wanted` reachable from `roots` through others of `wanted`. */
  private postOrder(wanted: ReadonlySet<string>, roots: readonly string[]): string[] {
    const out: string[] = [];
    const state = new Map<string, 1 | 2>();
    const visit = (root: string) => {
      const stack: [string, Iterator<string>][] = [];
      const push = (k: string) => {
        state.set(k, 1);
        const rec = this.fns.get(k);
        const next = rec ? rec.callees.flatMap((n) => this.resolveName(rec, n) ?? []) : [];
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
    for (const k of roots) if (!state.has(k)) visit(k);
    return out;
  }

  /**
   * The dirty functions to analyse now, callees first: all but those of files added on demand,
   * which are analysed only when something analysed calls them (a header's 40 inline helpers
   * of which a file calls two). The others stay dirty for a later caller.
   */
  private dueInOrder(dirty: Set<string>, alsoDue: (rec: FnRecord) => boolean = () => false): string[] {
    // Roots sorted, so that the order files were added in does not change the result; the rest of
    // `dirty` (the never-called helpers of every header read, thousands) is only looked up.
    const roots = [...dirty]
      .filter((k) => {
        const rec = this.fns.get(k);
        return !rec?.onDemand || alsoDue(rec);
      })
      .sort();
    const order = this.postOrder(dirty, roots);
    for (const k of order) dirty.delete(k);
    for (const k of dirty) if (!this.fns.has(k)) dirty.delete(k);
    return order;
  }

  /** The function `name` means in `rec`'s file: its own static or inline one first, else a global one. */
  private resolveName(rec: FnRecord, name: string): string | undefined {
    const at = rec.callees.indexOf(name);
    if (at < 0) return this.resolveIn(rec.file, name);
    if (rec.resolvedAt !== this.generation || !rec.resolved) {
      rec.resolved = new Array<string | undefined>(rec.callees.length).fill(UNASKED);
      rec.resolvedAt = this.generation;
    }
    let key = rec.resolved[at];
    if (key === UNASKED) rec.resolved[at] = key = this.resolveIn(rec.file, name);
    return key;
  }

  /** The part of the tree `file` is built with: its own (`arch:riscv`, `user`), or for generic code the build's architecture. */
  private buildPartOf(file: string): string {
    return this.knowledge.codePart(file) ?? `arch:${this.config.includes.arch}`;
  }

  /** The function `name` means in `file`: the file's own static or inline one, else a global one. */
  private resolveIn(file: string, name: string): string | undefined {
    const all = this.byName.get(name);
    if (!all) return undefined;
    // Each architecture defines its own copy of many functions (compat_setup_rt_frame); one under
    // arch/riscv/ never calls arm64's, and generic code calls the build's architecture's
    // (`includes.arch`). An arch's definition comes first, as the linker prefers it to a generic
    // __weak one. User space (tools/) and the kernel never call each other.
    const from = this.buildPartOf(file);
    const candidates = all.map((key) => ({ key, rec: this.fns.get(key)!, part: this.knowledge.codePart(this.fns.get(key)!.file) }));
    const visible = candidates
      .filter((c) => (c.part === undefined ? from !== 'user' : c.part === from))
      .sort((a, b) => Number(a.part === undefined) - Number(b.part === undefined));
    const own = visible.find((c) => c.rec.file === file);
    if (own) return own.key;
    if (this.isMacroAt(file, name)) return undefined;
    // Else the nearest global of the first part that has one (two staging drivers each define a
    // global rtw_read8(), modules of their own), or a header's `static inline` function, every
    // includer's own: rtw88's hci.h rtw_read8() for rtw88's files, which it is nearer than any global.
    const nearestOf = (cs: typeof visible) => nearest(cs.filter((c) => c.part === cs[0]?.part), (c) => c.rec.file, file)[0];
    const global = nearestOf(visible.filter((c) => !c.rec.head.isStatic));
    const header = nearestOf(visible.filter((c) => c.rec.file.endsWith('.h') && includable(c.rec.file, file)));
    // Not from a header: its stubs (`static inline int foo(void) { return 0; }` under #ifndef) are
    // nearer to other headers than the real function is.
    if (global && header && !file.endsWith('.h') && closeness(header.rec.file, file) > closeness(global.rec.file, file)) return header.key;
    return (global ?? header)?.key;
  }

  /**
   * The parameters of `rec` a caller's constant says something about: those it compares, and those
   * a wrapper hands on to a callee that compares them (three wrappers deep), for this generation.
   */
  private comparedOf(rec: FnRecord, depth = 0): readonly string[] | undefined {
    if (!rec.forwards) return rec.compared;
    if (this.comparedAt !== this.generation) {
      this.comparedMemo.clear();
      this.comparedAt = this.generation;
    }
    // Only whole answers are kept: one cut short by the depth would depend on the order of questions.
    const known = depth === 0 ? this.comparedMemo.get(rec.key) : undefined;
    if (known) return known;
    const out = new Set(rec.compared);
    if (depth < 3) {
      for (const [to, i, param, member] of rec.forwards) {
        // A call through a field hands the parameter on to each function it may reach.
        const keys = typeof to === 'string' ? [this.resolveName(rec, to)] : this.fieldTargets(rec, to.field, to.owner, to.args);
        for (const key of keys) {
          const callee = key === undefined ? undefined : this.fns.get(key);
          const theirs = callee?.head.params[i];
          if (!callee || !theirs) continue;
          // `tp_id` compared by the callee; a member through it (`cmd->flags`, passed on as `cmd`);
          // the member this function put `param` in (`cmd.flags = flags`, passed as `&cmd`)
          for (const name of this.comparedOf(callee, depth + 1) ?? []) {
            if (member !== undefined) {
              if (name === `${theirs}->${member}`) out.add(param);
            } else if (name === theirs) out.add(param);
            else if (name.startsWith(`${theirs}->`)) out.add(`${param}${name.slice(theirs.length)}`);
          }
        }
      }
    }
    const list = [...out].sort();
    if (depth === 0) this.comparedMemo.set(rec.key, list);
    return list;
  }

  /**
   * Whether `name` is a function-like macro where `file` calls it: the file defines it, a private
   * header above it does (`drivers/.../mt76/mt76.h` for `mt76/mt7603/mac.c`), or its architecture's
   * own header does (`arch/mips/include/asm/io.h`'s `ioremap()` for `arch/mips/txx9/`). Another
   * header under an `include/` folder is left out: any file may include it, and not every file does.
   */
  private isMacroAt(file: string, name: string): boolean {
    const files = this.macroFiles.get(name);
    // `some`: a name some register header defines in hundreds of files is asked at every call of it
    return files !== undefined && files.some(this.seenFrom(file));
  }

  /** The files defining the macro `name` that `file` sees (see `isMacroAt`). */
  private macroDefinitionsAt(file: string, name: string): string[] {
    return this.macroFiles.get(name)?.filter(this.seenFrom(file)) ?? [];
  }

  /** Whether `file` sees a macro a file defines (see `isMacroAt`). */
  private seenFrom(file: string): (definedIn: string) => boolean {
    const part = this.buildPartOf(file);
    return (f) => f === file || (f.endsWith('.h') && ((!isPublicHeader(f) && isBelow(f, file)) || this.knowledge.archHeaderPart(f) === part));
  }

  /**
   * The constants the macro `name` or-s in where `file` calls it (`FileIR.macroBits`): those of
   * every definition it may see, when they all give the same; else none.
   */
  private macroBitsAt(file: string, name: string): readonly string[] | undefined {
    const bits = this.macroDefinitionsAt(file, name).map((f) => this.files.get(f)?.macroBits?.[name]);
    const first = bits[0];
    return first !== undefined && bits.every((b) => b !== undefined && b.join('|') === first.join('|')) ? first : undefined;
  }

  /**
   * Whether the events run through two parts of the tree that are never in one build: two
   * architectures' code, or user space and an architecture. Generic code called from arch/powerpc
   * resolves its calls to the build's architecture's functions (`includes.arch`), so without this a
   * lock powerpc takes would reach x86's ioremap().
   */
  private mixesParts(events: readonly PathEvent[], more?: string): boolean {
    let part = more === undefined ? undefined : this.knowledge.codePart(more);
    for (const e of events) {
      const p = this.knowledge.codePart(e.file);
      if (p === undefined) continue;
      if (part !== undefined && p !== part) return true;
      part = p;
    }
    return false;
  }

  /** `rec`'s view of the program; `seen` hears of every program function a call resolves to. */
  private env(rec: FnRecord, body: FunctionIR, enter: (callee: Callee, s: State, op: CallOp, members?: MemberLookup) => boolean, seen?: (callee: Callee) => void): FunctionEnv {
    const callee = (key: string | undefined): Callee | undefined => {
      const target = key === undefined ? undefined : this.fns.get(key);
      if (!target) return undefined;
      const c = { key: target.key, file: target.file, name: target.head.name, fn: target.head, summary: target.summary };
      seen?.(c);
      return c;
    };
    return {
      file: rec.file,
      fn: body,
      knowledge: this.knowledge,
      staticsOf: (file) => this.files.get(file)?.statics,
      resolve: (op) => {
        const key = this.resolveName(rec, op.callee);
        // serial_core.c's `#define uart_port_lock(state, flags)` shadows serial_core.h's
        // one-parameter uart_port_lock(): a call that cannot be the function is the macro's.
        const head = key === undefined ? undefined : this.fns.get(key)?.head;
        return head?.exactArity && !arityFits(head.params.length, op.args) ? undefined : callee(key);
      },
      resolveIndirect: (op, onPath) => (op.field === undefined ? [] : this.fieldTargets(rec, op.field, op.owner, op.args.length, onPath).flatMap((k) => callee(k) ?? [])),
      enterCallee: (c, s, op, _holds, members) => enter(c, s, op, members),
      comparedOf: (c) => this.comparedOf(this.fns.get(c.key)!),
      macroBits: (name) => this.macroBitsAt(rec.file, name),
    };
  }

  /**
   * The keys of the functions `rec`'s call through `field` (passing `args` arguments) may reach;
   * with `onPath`, those stored in the files a held item came through.
   */
  private fieldTargets(rec: FnRecord, field: string, owner: FieldOwner | undefined, args: number, onPath?: ReadonlySet<string>): string[] {
    // Only the functions stored into the field of the structure the call goes through, when
    // the declared types say which (proc_sysctl's root->lookup is struct ctl_table_root's).
    const stored = this.storedFor(field, owner && this.typeIndex.holder(rec.file, owner));
    const { keys, typed } = stored;
    if (keys.length === 0) return [];
    // A driver calls through its own ops tables: the targets are the nearest ones to the
    // caller, in its file (mempolicy.c's mpol_ops[mode].create is not zsmalloc's .create,
    // though both are in mm/), else in the deepest directory shared with the caller (qla2xxx's
    // isp_ops->abort_isp is not qla4xxx's; msm's gpu->funcs->submit is adreno's, one folder
    // down, not tegra's), and never outside its subsystem (ufshcd's vops->event_notify is not
    // a media driver's), nor taking more parameters than the call passes arguments (a variadic
    // one may take fewer: proc_sysctl.c's root->lookup(root) is not its inode_operations'
    // three-parameter .lookup). Too many targets, and the call is unknown. By the field's name
    // alone, only the caller's own folder and those below it: mvsas's MVS_CHIP_DISP->phy_reset
    // (a macro, of no known type; its tables are positional) is no other SAS driver's.
    const fileOf = (k: string) => this.fns.get(k)!.file;
    // The driver whose lock the path holds stored its own function there: saa7146's vbi_stop()
    // cancels its queue through videobuf-core (drivers/media/), which calls back the
    // .buf_release saa7146 (drivers/staging/media/) registered, not a media driver's.
    if (onPath) {
      stored.byFile ??= groupBy(keys, fileOf);
      const own = [...onPath].flatMap((f) => stored.byFile!.get(f) ?? []).filter((k) => this.fns.get(k)!.head.params.length <= args);
      return own.length > MAX_INDIRECT_TARGETS ? [] : own;
    }
    const subsystem = this.knowledge.subsystemOf(rec.file);
    const folder = typed ? '' : folderOf(rec.file);
    const fits = (k: string) =>
      this.fns.get(k)!.head.params.length <= args && (subsystem === undefined || fileOf(k).startsWith(subsystem)) && fileOf(k).startsWith(folder);
    const candidates = [...keys].filter(fits);
    const targets = nearest(candidates, fileOf, rec.file);
    return targets.length > MAX_INDIRECT_TARGETS ? [] : targets;
  }

  /** `rec`'s body: kept, or loaded again from the store. */
  private bodyOf(rec: FnRecord): FunctionIR {
    if (rec.body) return rec.body;
    if (!this.options.bodies) throw new Error(`${rec.file} changed since the program was saved and was not updated after restoring it`);
    const body = this.options.bodies.load(rec.file, rec.index);
    this.stats.loads++;
    if (body?.name !== rec.head.name) throw new Error(`the stored IR of ${rec.file} no longer has ${rec.head.name}() at position ${rec.index}`);
    return body;
  }

  // ---- keeping a program between runs (saved-program.ts) ----------------------------------------

  /**
   * The settled program as items, for `restore` in a later run. Saved as its `last` use (the CLI
   * saves after its report, then exits), the program lets go of its indexes before the first item
   * and of each function once written, and answers nothing after: a whole tree's save otherwise
   * adds its own numbering to the largest heap of the run. `onLetGo` runs once the indexes are
   * dropped, before the first item: where a host can collect what they held.
   */
  *save(options: { last?: boolean; onLetGo?: () => void } = {}): Generator<SavedItem> {
    this.settle();
    if (options.last) {
      this.letGo();
      options.onLetGo?.();
    }
    yield { t: 'format', format: SAVED_PROGRAM_FORMAT };
    const defined: SavedItem[] = [];
    const events = new SavedEvents();
    // By identity, not by key: two contexts with one key may explain it by different paths.
    const contexts = new SharedNumbers<EntryContext>((id, context) => ({ t: 'context', id, context: events.pack(context, defined) }));
    const context = (c: EntryContext) => {
      const { id, item } = contexts.number(c);
      if (item) defined.push(item);
      return id;
    };
    // The one summary inert functions share goes out once; every other summary is its function's own.
    if (this.inertSummary && this.inertKey !== undefined) {
      const summary = events.pack(this.inertSummary, defined);
      yield* defined.splice(0);
      yield { t: 'inert', key: this.inertKey, summary };
    }
    const run = (r: RunOutput): SavedRun => ({
      findings: events.pack(r.findings, defined),
      nestings: events.pack(r.nestings, defined),
      outgoing: [...r.outgoing].map(([k, cs]) => [k, cs.map(context)]),
    });
    for (const [file, e] of this.files) {
      const registrations = e.registrations.map((r) => ({ target: r.target, context: context(r.context) }));
      yield* defined.splice(0);
      yield { t: 'file', file, keys: e.keys, suppressions: e.suppressions, problems: e.problems, registrations, stored: e.stored, ...(e.types ? { types: e.types } : {}), ...(e.macros ? { macros: e.macros } : {}), ...(e.macroBits ? { macroBits: e.macroBits } : {}), ...(e.statics ? { statics: [...e.statics] } : {}) };
    }
    for (const rec of this.fns.values()) {
      const inert = rec.summary !== undefined && rec.summary === this.inertSummary;
      const summary = rec.summary && !inert ? events.pack(rec.summary, defined) : undefined;
      const [own, handed, incoming] = [run(rec.own), run(rec.handed), rec.incoming.map(context)];
      yield* defined.splice(0);
      const { key, file, index, onDemand, callees, compared, forwards, ann, summaryKey } = rec;
      yield {
        t: 'function',
        key, file, index, onDemand, callees, ann, own, handed, incoming,
        // The head alone: a program that keeps bodies has the whole IR there.
        head: plainHead(rec.head),
        ...(rec.misread ? { misread: true as const } : {}),
        ...(compared ? { compared } : {}),
        ...(forwards ? { forwards } : {}),
        ...(inert ? { inert: true as const } : summary === undefined ? {} : { summary }),
        ...(summaryKey === undefined ? {} : { summaryKey }),
      };
      if (options.last) this.fns.delete(key);
    }
    for (const [key, list] of this.callbackContexts) {
      const ids = list.map(context);
      yield* defined.splice(0);
      yield { t: 'callbacks', key, contexts: ids };
    }
    for (const [id, error] of this.failures) yield { t: 'failure', id, error };
    yield { t: 'dirty', summary: [...this.dirtySummary], check: [...this.dirtyCheck] };
  }

  /** What only the fixed point and queries read, dropped for a last save (`save`): the indexes by name, callers and type. */
  private letGo(): void {
    this.spent = true;
    this.byName.clear();
    this.callersOf.clear();
    this.contributors.clear();
    this.storedInto = new Map();
    this.storedByHolder = new Map();
    this.typeIndex = new TypeIndex(new Map());
    this.comparedMemo.clear();
    this.texts.clear();
    this.reports = undefined;
  }

  private usable(): void {
    if (this.spent) throw new Error('this program was saved as its last use (save({ last: true })) and answers nothing more');
  }

  /**
   * The program `save` saved. Throws on items of another format or out of order. Its first `check`
   * after `update`s and `remove`s recomputes what they affect, as it would have in the run that
   * saved it.
   *
   * Bodies come from `options.bodies`, or, for a program that keeps them (the language server's,
   * which holds every IR anyway), from `kept`: the function at `index` of the file's IR, or
   * undefined for a file that changed since; such a file must be updated or removed before the
   * first `check`.
   */
  static restore(config: ResolvedConfig, options: ProgramOptions, items: Iterable<SavedItem>, kept?: (file: string, index: number) => FunctionIR | undefined): Program {
    if (!options.bodies && !kept) throw new Error('restoring a program needs its bodies: a store or the kept IRs');
    const p = new Program(config, options);
    const events: PathEvent[] = [];
    const contexts: EntryContext[] = [];
    const own = (t: string) => p.own(t);
    const defined = <T>(list: T[], id: number, what: string): T => {
      if (id >= list.length || list[id] === undefined) throw new Error(`the saved program names ${what} ${id} before defining it`);
      return list[id]!;
    };
    const context = (id: number) => defined(contexts, id, 'context');
    const run = (r: SavedRun): RunOutput =>
      r.findings.length + r.nestings.length + r.outgoing.length === 0
        ? NOTHING
        : { findings: unpackEvents(r.findings, events), nestings: unpackEvents(r.nestings, events), outgoing: new Map(r.outgoing.map(([k, ids]) => [own(k), ids.map(context)])) };
    let format: number | undefined;
    for (const item of items) {
      if (format === undefined && item.t !== 'format') throw new Error('not a saved program');
      switch (item.t) {
        case 'format':
          if (item.format !== SAVED_PROGRAM_FORMAT) throw new Error(`a saved program of format ${item.format}, not ${SAVED_PROGRAM_FORMAT}`);
          format = item.format;
          break;
        case 'event':
          events[item.id] = item.event;
          break;
        case 'context':
          contexts[item.id] = unpackEvents(item.context, events);
          break;
        case 'inert':
          [p.inertKey, p.inertSummary] = [own(item.key), unpackEvents(item.summary, events)];
          break;
        case 'file': {
          const { file, keys, suppressions, problems, registrations, stored, types } = item;
          const macros = item.macros?.map(own);
          const macroBits = item.macroBits && ownedBits(item.macroBits, own);
          const statics = item.statics && new Set(item.statics.map(own));
          p.files.set(own(file), {
            keys: keys.map(own), suppressions, problems, registrations: registrations.map((r) => ({ target: r.target, context: context(r.context) })), stored,
            ...(types ? { types } : {}), ...(macros ? { macros } : {}), ...(macroBits ? { macroBits } : {}), ...(statics ? { statics } : {}),
          });
          p.defineMacros(own(file), [], macros);
          break;
        }
        case 'function': {
          if (item.inert && !p.inertSummary) throw new Error(`the saved program names the inert summary for ${item.key} before defining it`);
          const summary = item.inert ? p.inertSummary : item.summary === undefined ? undefined : unpackEvents(item.summary, events);
          const summaryKey = item.summaryKey === undefined ? undefined : own(item.summaryKey);
          const body = options.bodies ? undefined : kept!(item.file, item.index);
          if (body && body.name !== item.head.name) throw new Error(`the IR of ${item.file} has ${body.name}() at position ${item.index}, not ${item.head.name}()`);
          p.index({
            key: own(item.key),
            file: own(item.file),
            // As `addRecord` keeps them: a kept body is its own head.
            ...(body ? { head: body, body } : { head: keptHead(item.head, own) }),
            index: item.index,
            onDemand: item.onDemand,
            misread: item.misread === true,
            callees: item.callees.map(own),
            ...(item.compared ? { compared: item.compared } : {}),
            ...(item.forwards ? { forwards: item.forwards.map((f) => ownForward(f, own)) } : {}),
            ann: shared(item.ann),
            ...(summary ? { summary } : {}),
            ...(summaryKey === undefined ? {} : { summaryKey }),
            own: run(item.own),
            handed: run(item.handed),
            incoming: item.incoming.length === 0 ? NO_CONTEXTS : item.incoming.map(context),
            resolvedAt: -1,
            rank: -1,
          });
          break;
        }
        case 'callbacks':
          p.callbackContexts.set(item.key, item.contexts.map(context));
          break;
        case 'failure':
          p.failures.set(item.id, item.error);
          break;
        case 'dirty':
          for (const key of item.summary) p.dirtySummary.add(key);
          for (const key of item.check) p.dirtyCheck.add(key);
          break;
      }
    }
    if (format === undefined) throw new Error('not a saved program');
    p.byName.sort();
    // Who hands each function contexts: what `handOn` keeps, from the runs' outgoing contexts.
    for (const rec of p.fns.values()) {
      for (const calleeKey of new Set([...rec.own.outgoing.keys(), ...rec.handed.outgoing.keys()])) {
        if (outgoingTo(rec, calleeKey).length === 0) continue;
        const set = p.contributors.get(calleeKey) ?? new Set<string>();
        set.add(rec.key);
        p.contributors.set(calleeKey, set);
      }
    }
    // The type index and the functions stored into fields are computed again at the first settling.
    p.typesChanged = true;
    p.structureChanged = true;
    return p;
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

function stateOf(ctx: EntryContext): State {
  return { ...EMPTY_STATE, held: ctx.held, conds: ctx.conds ?? [] };
}

/** A run's output as the record keeps it: NOTHING when it found and handed nothing, else its lists at their size. */
function keptRun(run: RunOutput): RunOutput {
  if (run === NOTHING) return run;
  if (run.findings.length + run.nestings.length + run.outgoing.size === 0) return NOTHING;
  return { findings: run.findings.slice(), nestings: run.nestings.slice(), outgoing: run.outgoing };
}

/** The contexts `rec` hands the callee `calleeKey`, over all its runs. */
function outgoingTo(rec: FnRecord, calleeKey: string): EntryContext[] {
  const own = rec.own.outgoing.get(calleeKey) ?? [];
  const handed = rec.handed.outgoing.get(calleeKey) ?? [];
  if (handed.length === 0) return own;
  return [...own, ...handed.filter((c) => !own.some((o) => o.key === c.key))];
}

/**
 * Whether `file` can include `header`: a header under an `include/` folder is anyone's; a driver's
 * private one (`drivers/net/wireless/mediatek/mt7601u/mt7601u.h`) is seen by the files below its
 * folder, not by a neighbouring driver's.
 */
function includable(header: string, file: string): boolean {
  return file.endsWith('.h') || isPublicHeader(header) || isBelow(header, file);
}

/** Whether `file` is in the folder of `header` or one below it. */
function isBelow(header: string, file: string): boolean {
  return file.startsWith(folderOf(header));
}

/** A header under an `include/` folder, which any file may include. */
function isPublicHeader(header: string): boolean {
  return header.startsWith('include/') || header.includes('/include/');
}

/**
 * Folders two paths share from their start: the slashes both reach with everything before them
 * equal (no allocation: a call through `.open` has thousands of targets to weigh, at every
 * exploration of the call). The same file is nearest of all.
 */
function closeness(other: string, file: string): number {
  if (other === file) return Infinity;
  let shared = 0;
  for (let i = 0; i < file.length && i < other.length && file[i] === other[i]; i++) if (file[i] === '/') shared++;
  return shared;
}

/** A file's macro bits with their texts shared through `own`. */
function ownedBits(bits: Readonly<Record<string, string[]>>, own: (text: string) => string): Record<string, string[]> {
  return Object.fromEntries(Object.entries(bits).map(([name, list]) => [own(name), list.map(own)]));
}

/** The items by key, each list in the items' order. */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
}

/** The items whose files are nearest `file` (the file itself, else the deepest directory shared with it), in order. */
function nearest<T>(items: readonly T[], fileOf: (item: T) => string, file: string): T[] {
  let best = -1;
  let out: T[] = [];
  for (const item of items) {
    const c = closeness(fileOf(item), file);
    if (c > best) [best, out] = [c, [item]];
    else if (c === best) out.push(item);
  }
  return out;
}

/** A record's rank in the phase running, if it has one. */
function rankIn(rec: FnRecord | undefined): number | undefined {
  return rec === undefined || rec.rank < 0 ? undefined : rec.rank;
}

/** A forward as the program keeps it: a callee's name as the program's own text (`own`), a field call as it is. */
function ownForward([callee, index, param, member]: Forward, own: (text: string) => string): Forward {
  const to = typeof callee === 'string' ? own(callee) : callee;
  return member === undefined ? [to, index, param] : [to, index, param, member];
}

function calleesOf(fn: FunctionIR): string[] {
  const out = new Set<string>();
  for (const block of fn.blocks) for (const op of block.ops) if (op.kind === 'call' && !op.indirect) out.add(op.callee);
  return [...out];
}

const NO_ANNOTATIONS: FunctionAnnotations = Object.freeze({ mustHold: [], acquires: [], releases: [], drops: [], condAcquires: [], mustNotHold: [] });

/** The one object for a function without annotations (most of them). */
function shared(ann: FunctionAnnotations): FunctionAnnotations {
  const empty =
    ann.mustHold.length + ann.acquires.length + ann.releases.length + ann.drops.length + ann.condAcquires.length + ann.mustNotHold.length === 0 &&
    Object.keys(ann).length === 6;
  return empty ? NO_ANNOTATIONS : ann;
}

/**
 * Whether a call passing `args` can be to a function of `params` parameters. Fewer arguments may
 * be a macro call among them expanding to several (drbd's `_drbd_set_state(_NS(device, disk,
 * D_FAILED), CS_HARD, NULL)`, four after the preprocessor); more never are.
 */
function arityFits(params: number, args: readonly { text: string }[]): boolean {
  if (args.length === params) return true;
  return args.length < params && args.some((a) => MACRO_CALL.test(a.text));
}

/** A call of an all-capitals name: a macro, which may expand to several arguments. */
const MACRO_CALL = /^[A-Z_][A-Z0-9_]*\(/;

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

const HOOKS = ['before', 'sleep', 'gfpParamSleep', 'acquire', 'release', 'releaseUnheld', 'exitUnheld', 'pin', 'unpin', 'releasesCallersPin', 'exit', 'escape', 'endsPath', 'putUnheld'] as const;

/**
 * One observer calling each of `observers`. A hook runs at every op of every path explored: one
 * observer's is called as it is, several in a plain loop (a closure per call for `forEach` was 5 %
 * of what mm/'s fixed point allocated).
 */
function combine(observers: RuleObserver[]): Observer {
  const out: Record<string, unknown> = {};
  for (const hook of HOOKS) {
    const fns: ((...args: unknown[]) => void)[] = [];
    for (const o of observers) if (o[hook]) fns.push(o[hook] as (...args: unknown[]) => void);
    if (fns.length === 1) out[hook] = fns[0];
    else if (fns.length > 1)
      out[hook] = (...args: unknown[]) => {
        for (const f of fns) f(...args);
      };
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

function sameSet(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}
