/**
 * `.kpath.json`: a workspace's additions to and overrides of the kernel tables, rule severities,
 * ignored paths and how `#include` is followed. The format is documented in docs/configuration.md and described for editors by
 * schemas/kpath.schema.json; this module is its validator and merger.
 *
 * Validation is by hand and never fatal: every problem becomes an InputError naming the key path
 * ("kpath.json: locks[2].class: ..."), the invalid entry is dropped, everything valid is kept, and
 * the defaults fill the rest. The engine does no I/O: callers pass the file's text.
 */
import { RULE_IDS, type InputError, type RuleId, type Severity } from '../finding';
import { WARNING_TESTS } from '../lower/annotations';
import { DEFAULT_API } from './api';
import { JsonSyntaxError, parseJson } from './jsonText';
import type {
  AtomicKind,
  CallSemantics,
  CallbackField,
  GuardClass,
  KernelApi,
  LockClass,
  LockRef,
  MapKind,
  MapSemantics,
  UnmapSemantics,
} from './semantics';

export interface ResolvedConfig {
  api: KernelApi;
  severity: Record<RuleId, Severity | 'off'>;
  /** Path globs (relative to the directory holding `.kpath.json`) whose files are not analysed; matched by the host (`host/glob.ts`). */
  ignore: string[];
  /** Following `#include` to the headers' functions (host/includes.ts). */
  includes: IncludesConfig;
}

export interface IncludesConfig {
  /** Analyse the headers the files include (transitively) with them; `kpath check --no-includes` turns it off. */
  follow: boolean;
  /** The architecture whose `arch/<arch>/include` directories `<...>` includes search. */
  arch: string;
  /** More directories for `<...>` includes, after the kernel's; relative ones are relative to the directory holding `.kpath.json`. */
  paths: string[];
}

export const DEFAULT_INCLUDES: IncludesConfig = { follow: true, arch: 'x86', paths: [] };

const DEFAULT_SEVERITY: Record<RuleId, Severity | 'off'> = {
  'sleep-in-atomic': 'warning',
  'kmap-serie-reentry': 'warning',
  'kmap-serie-order': 'warning',
  'kmap-leak': 'warning',
  'kunmap-order': 'warning',
  'kunmap-mismatch': 'warning',
  'lock-imbalance': 'warning',
};

export const DEFAULT_CONFIG: ResolvedConfig = { api: DEFAULT_API, severity: DEFAULT_SEVERITY, ignore: [], includes: DEFAULT_INCLUDES };

// Vocabularies. Their values are kpath's interface (semantics.ts); the lists are here to validate.
export const LOCK_CLASSES: readonly LockClass[] = ['spin', 'raw_spin', 'rwlock', 'bit_spin', 'mutex', 'rwsem', 'seqlock', 'semaphore'];
export const ATOMIC_KINDS: readonly AtomicKind[] = ['preempt', 'irq', 'bh', 'rcu', 'kmap_atomic', 'hardirq', 'softirq', 'timer', 'tasklet'];
export const MAP_KINDS: readonly MapKind[] = ['persistent', 'atomic', 'local', 'nowait', 'none'];
export const SEVERITIES: readonly (Severity | 'off')[] = ['error', 'warning', 'info', 'hint', 'off'];
const IRQ_MODES = ['irq', 'irqsave', 'bh'] as const;
const LOCK_OPS = ['acquire', 'release', 'try', 'drop'] as const;

/** The top-level keys of `.kpath.json`, in the order the docs present them. */
export const CONFIG_KEYS = [
  '$schema',
  'rules',
  'ignore',
  'includes',
  'sleepers',
  'neverSleeps',
  'neverReturns',
  'locks',
  'atomic',
  'mappers',
  'unmappers',
  'allocators',
  'gfp',
  'serieOrder',
  'warnings',
  'sleepableTests',
  'afterBoot',
  'callbacks',
  'callbackFields',
  'guards',
  'forget',
] as const;

export function resolveConfig(jsonText: string | undefined, origin: string): { config: ResolvedConfig; problems: InputError[] } {
  if (jsonText === undefined) return { config: DEFAULT_CONFIG, problems: [] };
  const problems: InputError[] = [];
  const report = (path: string, message: string) =>
    problems.push({ file: origin, message: path ? `kpath.json: ${path}: ${message}` : `kpath.json: ${message}` });

  let value: unknown;
  try {
    const parsed = parseJson(jsonText.replace(/^\uFEFF/, '')); // editors on Windows may write a byte-order mark
    value = parsed.value;
    for (const key of parsed.duplicateKeys) report(key, 'given twice; the last one is used');
  } catch (e) {
    if (!(e instanceof JsonSyntaxError)) throw e;
    report('', `invalid JSON at ${e.message}`);
    return { config: DEFAULT_CONFIG, problems };
  }
  if (!isObject(value)) {
    report('', `expected an object at the top level, found ${typeName(value)}`);
    return { config: DEFAULT_CONFIG, problems };
  }
  const config = merge(value, new Checker(report));
  return { config, problems };
}

// ---------------------------------------------------------------------------------------------
// Checking values: each `want*` reports and returns undefined when the value is not what it should be
// ---------------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return `${typeof v === 'number' ? 'the number' : typeof v === 'boolean' ? 'the boolean' : typeof v} ${String(v)}`;
}

const C_NAME = /^[A-Za-z_]\w*$/;

class Checker {
  constructor(readonly report: (path: string, message: string) => void) {}

  object(v: unknown, path: string): Json | undefined {
    if (isObject(v)) return v;
    this.report(path, `expected an object, found ${typeName(v)}`);
    return undefined;
  }
  array(v: unknown, path: string): unknown[] | undefined {
    if (Array.isArray(v)) return v;
    this.report(path, `expected an array, found ${typeName(v)}`);
    return undefined;
  }
  string(v: unknown, path: string): string | undefined {
    if (typeof v === 'string' && v.length > 0) return v;
    this.report(path, `expected a non-empty string, found ${typeName(v)}`);
    return undefined;
  }
  /** A C identifier: a function, a flag or a field name. */
  name(v: unknown, path: string): string | undefined {
    const s = this.string(v, path);
    if (s === undefined) return undefined;
    if (C_NAME.test(s)) return s;
    this.report(path, `${JSON.stringify(s)} is not a C identifier`);
    return undefined;
  }
  boolean(v: unknown, path: string): boolean | undefined {
    if (typeof v === 'boolean') return v;
    this.report(path, `expected true or false, found ${typeName(v)}`);
    return undefined;
  }
  /** An argument index: 0 is the first argument. */
  index(v: unknown, path: string): number | undefined {
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 32) return v;
    this.report(path, `expected an argument index (0 for the first argument), found ${typeName(v)}`);
    return undefined;
  }
  oneOf<T extends string>(v: unknown, choices: readonly T[], path: string, what: string): T | undefined {
    if (typeof v === 'string' && (choices as readonly string[]).includes(v)) return v as T;
    this.report(path, `${typeof v === 'string' ? `unknown ${what} ${JSON.stringify(v)}` : `expected a ${what}, found ${typeName(v)}`} (known: ${choices.join(', ')})`);
    return undefined;
  }
  /** Reports keys outside `allowed`; returns false when a required key is missing. */
  keys(obj: Json, path: string, allowed: readonly string[], required: readonly string[] = []): boolean {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.report(path ? `${path}.${key}` : key, `unknown key (known: ${allowed.join(', ')})`);
    }
    let ok = true;
    for (const key of required) {
      if (!(key in obj)) {
        this.report(path, `missing "${key}"`);
        ok = false;
      }
    }
    return ok;
  }
  /**
   * What names a lock: an argument `0`, a field `{ "arg": 2, "field": "page_table_lock" }`, the lock
   * itself `{ "arg": 2, "object": true }`, or `"result"`.
   */
  lockRef(v: unknown, path: string): LockRef | undefined {
    if (typeof v === 'number') return this.index(v, path) === undefined ? undefined : { arg: v };
    if (v === 'result') return { arg: -1, result: true };
    if (!isObject(v)) {
      this.report(path, `expected an argument index, {"arg", "field"}, {"arg", "object"} or "result", found ${typeName(v)}`);
      return undefined;
    }
    if (!this.keys(v, path, ['arg', 'field', 'object'], ['arg'])) return undefined;
    const arg = this.index(v.arg, `${path}.arg`);
    if (arg === undefined) return undefined;
    if (v.object !== undefined) {
      if (v.object !== true || v.field !== undefined) {
        this.report(path, `"object" is true alone: the argument is the lock itself, with no "field"`);
        return undefined;
      }
      return { arg, object: true };
    }
    if (v.field === undefined) return { arg };
    const field = this.name(v.field, `${path}.field`);
    return field === undefined ? undefined : { arg, field };
  }
  /** A list whose invalid items are dropped one by one. */
  each<T>(v: unknown, path: string, item: (x: unknown, path: string) => T | undefined): T[] {
    const arr = this.array(v, path);
    if (!arr) return [];
    const out: T[] = [];
    arr.forEach((x, i) => {
      const r = item(x, `${path}[${i}]`);
      if (r !== undefined) out.push(r);
    });
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Sections: each turns its part of the file into patches of call rows (or table rows)
// ---------------------------------------------------------------------------------------------

/** The facts the file gives about one function; they replace the same facts of the default row. */
type Patch = Partial<Omit<CallSemantics, 'name'>>;

class Patches {
  readonly byName = new Map<string, Patch>();
  add(name: string, patch: Patch): void {
    const old = this.byName.get(name) ?? {};
    this.byName.set(name, { ...old, ...patch });
  }
}

function sleepers(c: Checker, v: unknown, patches: Patches): void {
  c.each(v, 'sleepers', (x, path) => {
    if (typeof x === 'string') {
      const name = c.name(x, path);
      if (name) patches.add(name, { sleeps: { why: 'declared in .kpath.json' }, neverSleeps: undefined });
      return name;
    }
    const o = c.object(x, path);
    if (!o || !c.keys(o, path, ['name', 'why'], ['name'])) return undefined;
    const name = c.name(o.name, `${path}.name`);
    const why = o.why === undefined ? 'declared in .kpath.json' : c.string(o.why, `${path}.why`);
    if (!name || why === undefined) return undefined;
    patches.add(name, { sleeps: { why }, neverSleeps: undefined });
    return name;
  });
}

function neverSleeps(c: Checker, v: unknown, patches: Patches): void {
  c.each(v, 'neverSleeps', (x, path) => {
    const name = c.name(x, path);
    if (name) patches.add(name, { neverSleeps: true, sleeps: undefined, gfpArg: undefined });
    return name;
  });
}

/** Functions that do not return (a project's own panic or exit helper): a path ends at the call. */
function neverReturns(c: Checker, v: unknown, patches: Patches): void {
  c.each(v, 'neverReturns', (x, path) => {
    const name = c.name(x, path);
    if (name) patches.add(name, { neverReturns: true });
    return name;
  });
}

function locks(c: Checker, v: unknown, patches: Patches): void {
  c.each(v, 'locks', (x, path) => {
    const o = c.object(x, path);
    if (!o || !c.keys(o, path, ['name', 'does', 'lock', 'class', 'irq', 'heldWhenZero', 'shared', 'sleeps', 'runsUnlocked'], ['name', 'does'])) return undefined;
    const name = c.name(o.name, `${path}.name`);
    const does = c.oneOf(o.does, LOCK_OPS, `${path}.does`, 'lock operation');
    const lock = o.lock === undefined ? { arg: 0 } : c.lockRef(o.lock, `${path}.lock`);
    const cls = o.class === undefined ? 'spin' : c.oneOf(o.class, LOCK_CLASSES, `${path}.class`, 'lock class');
    const irq = o.irq === undefined ? undefined : c.oneOf(o.irq, IRQ_MODES, `${path}.irq`, 'irq mode');
    const heldWhenZero = o.heldWhenZero === undefined ? false : c.boolean(o.heldWhenZero, `${path}.heldWhenZero`);
    const shared = o.shared === undefined ? false : c.boolean(o.shared, `${path}.shared`);
    const sleeps = o.sleeps === undefined ? undefined : c.string(o.sleeps, `${path}.sleeps`);
    const runsUnlocked = o.runsUnlocked === undefined ? [] : c.array(o.runsUnlocked, `${path}.runsUnlocked`)?.map((x, i) => c.index(x, `${path}.runsUnlocked[${i}]`));
    if (runsUnlocked === undefined || runsUnlocked.some((i) => i === undefined)) return undefined;
    if (runsUnlocked.length > 0 && does !== 'drop') {
      c.report(`${path}.runsUnlocked`, 'only a "drop" runs arguments with its lock dropped');
      return undefined;
    }
    if (!name || !does || !lock || !cls || (o.irq !== undefined && !irq) || heldWhenZero === undefined || shared === undefined) return undefined;
    if (o.sleeps !== undefined && sleeps === undefined) return undefined;
    const patch: Patch = {};
    if (does === 'acquire' || does === 'try') {
      patch.acquire = { lock, class: cls, ...(irq ? { irq } : {}) };
      if (does === 'try') patch.acquire.conditional = true;
      if (heldWhenZero) patch.acquire.heldWhenZero = true;
      if (shared) patch.acquire.shared = true;
    } else if (does === 'release') {
      patch.release = { lock, class: cls };
    } else {
      patch.dropsLock = { lock, ...(runsUnlocked.length > 0 ? { runsUnlocked: runsUnlocked as number[] } : {}) };
    }
    if (sleeps) patch.sleeps = { why: sleeps };
    patches.add(name, patch);
    return name;
  });
}

function atomic(c: Checker, v: unknown, patches: Patches): void {
  c.each(v, 'atomic', (x, path) => {
    const o = c.object(x, path);
    if (!o || !c.keys(o, path, ['name', 'enters', 'exits'], ['name'])) return undefined;
    const name = c.name(o.name, `${path}.name`);
    const enters = o.enters === undefined ? undefined : c.oneOf(o.enters, ATOMIC_KINDS, `${path}.enters`, 'atomic context');
    const exits = o.exits === undefined ? undefined : c.oneOf(o.exits, ATOMIC_KINDS, `${path}.exits`, 'atomic context');
    if (!name || (o.enters !== undefined && !enters) || (o.exits !== undefined && !exits)) return undefined;
    if (!enters && !exits) {
      c.report(path, 'give "enters" or "exits"');
      return undefined;
    }
    patches.add(name, { ...(enters ? { atomicEnter: enters } : {}), ...(exits ? { atomicExit: exits } : {}) });
    return name;
  });
}

function mappers(c: Checker, v: unknown, patches: Patches, serieOrder: string[]): void {
  c.each(v, 'mappers', (x, path) => {
    const o = c.object(x, path);
    if (!o || !c.keys(o, path, ['name', 'kind', 'serie', 'blocks', 'key', 'releasedBy', 'alsoLocks', 'sleeps'], ['name'])) return undefined;
    const name = c.name(o.name, `${path}.name`);
    const kind = o.kind === undefined ? 'persistent' : c.oneOf(o.kind, MAP_KINDS, `${path}.kind`, 'map kind');
    if (!name || !kind) return undefined;
    let serie: string | undefined;
    if (kind === 'persistent') {
      if (o.serie === undefined) {
        c.report(path, 'a persistent mapper needs "serie"');
        return undefined;
      }
      serie = c.string(o.serie, `${path}.serie`);
      if (serie === undefined) return undefined;
      if (!serieOrder.includes(serie)) {
        c.report(`${path}.serie`, `unknown serie ${JSON.stringify(serie)} (add it to serieOrder; known: ${serieOrder.join(', ')})`);
        return undefined;
      }
    } else if (o.serie !== undefined) {
      c.report(`${path}.serie`, `only a persistent mapper has a serie (this one is ${kind})`);
      return undefined;
    }
    const blocks = o.blocks === undefined ? kind === 'persistent' : c.boolean(o.blocks, `${path}.blocks`);
    let key: MapSemantics['key'] | undefined = 'result';
    if (o.key !== undefined) {
      if (o.key === 'result') key = 'result';
      else if (typeof o.key === 'number') key = c.index(o.key, `${path}.key`) === undefined ? undefined : { arg: o.key };
      else {
        c.report(`${path}.key`, `expected "result" or an argument index, found ${typeName(o.key)}`);
        key = undefined;
      }
    }
    const releasedBy = o.releasedBy === undefined ? [] : c.each(o.releasedBy, `${path}.releasedBy`, (r, p) => c.name(r, p));
    const alsoLocks = o.alsoLocks === undefined ? undefined : c.lockRef(o.alsoLocks, `${path}.alsoLocks`);
    const sleeps = o.sleeps === undefined ? undefined : c.string(o.sleeps, `${path}.sleeps`);
    if (blocks === undefined || key === undefined || (o.alsoLocks !== undefined && !alsoLocks) || (o.sleeps !== undefined && !sleeps)) {
      return undefined;
    }
    const map: MapSemantics = { kind, blocks, key, releasedBy };
    if (serie) map.serie = serie;
    if (alsoLocks) map.alsoLocks = alsoLocks;
    patches.add(name, { map, ...(sleeps ? { sleeps: { why: sleeps } } : {}) });
    return name;
  });
}

const ALL_MAP_KINDS: MapKind[] = ['persistent', 'atomic', 'local', 'nowait'];

function unmappers(c: Checker, v: unknown, patches: Patches): void {
  c.each(v, 'unmappers', (x, path) => {
    if (typeof x === 'string') {
      const name = c.name(x, path);
      if (name) patches.add(name, { unmap: { kinds: [...ALL_MAP_KINDS], keyArg: 0 } });
      return name;
    }
    const o = c.object(x, path);
    if (!o || !c.keys(o, path, ['name', 'kinds', 'keyArg', 'alsoUnlocks'], ['name'])) return undefined;
    const name = c.name(o.name, `${path}.name`);
    const kinds =
      o.kinds === undefined ? [...ALL_MAP_KINDS] : c.each(o.kinds, `${path}.kinds`, (k, p) => c.oneOf(k, MAP_KINDS, p, 'map kind'));
    const keyArg = o.keyArg === undefined ? 0 : c.index(o.keyArg, `${path}.keyArg`);
    const alsoUnlocks = o.alsoUnlocks === undefined ? undefined : c.lockRef(o.alsoUnlocks, `${path}.alsoUnlocks`);
    if (!name || keyArg === undefined || (o.alsoUnlocks !== undefined && !alsoUnlocks)) return undefined;
    if (kinds.length === 0) {
      c.report(`${path}.kinds`, 'no valid map kind');
      return undefined;
    }
    const unmap: UnmapSemantics = { kinds, keyArg };
    if (alsoUnlocks) unmap.alsoUnlocks = alsoUnlocks;
    patches.add(name, { unmap });
    return name;
  });
}

function allocators(c: Checker, v: unknown, patches: Patches): void {
  const o = c.object(v, 'allocators');
  if (!o) return;
  for (const [name, arg] of Object.entries(o)) {
    const path = `allocators.${name}`;
    if (!C_NAME.test(name)) {
      c.report(path, `${JSON.stringify(name)} is not a C identifier`);
      continue;
    }
    const gfpArg = c.index(arg, path);
    if (gfpArg !== undefined) patches.add(name, { gfpArg, neverSleeps: undefined });
  }
}

function callbacks(c: Checker, v: unknown, patches: Patches): void {
  c.each(v, 'callbacks', (x, path) => {
    const o = c.object(x, path);
    if (!o || !c.keys(o, path, ['name', 'fnArg', 'context', 'what'], ['name', 'fnArg', 'context'])) return undefined;
    const name = c.name(o.name, `${path}.name`);
    const fnArg = c.index(o.fnArg, `${path}.fnArg`);
    const context = c.oneOf(o.context, ATOMIC_KINDS, `${path}.context`, 'atomic context');
    const what = o.what === undefined ? 'callback' : c.string(o.what, `${path}.what`);
    if (!name || fnArg === undefined || !context || !what) return undefined;
    patches.add(name, { registersCallback: { fnArg, context, what } });
    return name;
  });
}

function callbackFields(c: Checker, v: unknown): CallbackField[] {
  return c.each(v, 'callbackFields', (x, path) => {
    const o = c.object(x, path);
    if (!o || !c.keys(o, path, ['field', 'structType', 'context', 'what'], ['field', 'context'])) return undefined;
    const field = c.name(o.field, `${path}.field`);
    const structType = o.structType === undefined ? undefined : c.name(o.structType, `${path}.structType`);
    const context = c.oneOf(o.context, ATOMIC_KINDS, `${path}.context`, 'atomic context');
    const what = o.what === undefined ? `${o.field} callback` : c.string(o.what, `${path}.what`);
    if (!field || (o.structType !== undefined && !structType) || !context || !what) return undefined;
    return { field, ...(structType ? { structType } : {}), context, what };
  });
}

/** A gfp test: an expression with one `%` for the mask, spaces ignored. */
function gfpTest(c: Checker, v: unknown, path: string): string | undefined {
  const text = c.string(v, path)?.replace(/\s+/g, '');
  if (text === undefined) return undefined;
  if (text.split('%').length === 2) return text;
  c.report(path, `${JSON.stringify(text)} has no single '%' where the mask goes, as in "gfpflags_allow_blocking(%)"`);
  return undefined;
}

function gfp(c: Checker, v: unknown, table: KernelApi['gfp']): KernelApi['gfp'] {
  const o = c.object(v, 'gfp');
  if (!o) return table;
  c.keys(o, 'gfp', ['sleeping', 'nonSleeping', 'tests', 'atomicTests']);
  const sleeping = o.sleeping === undefined ? [] : c.each(o.sleeping, 'gfp.sleeping', (x, p) => c.name(x, p));
  const nonSleeping = o.nonSleeping === undefined ? [] : c.each(o.nonSleeping, 'gfp.nonSleeping', (x, p) => c.name(x, p));
  const tests = o.tests === undefined ? [] : c.each(o.tests, 'gfp.tests', (x, p) => gfpTest(c, x, p));
  const atomicTests = o.atomicTests === undefined ? [] : c.each(o.atomicTests, 'gfp.atomicTests', (x, p) => gfpTest(c, x, p));
  // A flag the file places in one list leaves the other.
  return {
    ...table,
    tests: [...(table.tests ?? []), ...tests.filter((t) => !table.tests?.includes(t))],
    atomicTests: [...(table.atomicTests ?? []), ...atomicTests.filter((t) => !table.atomicTests?.includes(t))],
    sleeping: [...table.sleeping.filter((f) => !nonSleeping.includes(f)), ...sleeping.filter((f) => !table.sleeping.includes(f))],
    nonSleeping: [...table.nonSleeping.filter((f) => !sleeping.includes(f)), ...nonSleeping.filter((f) => !table.nonSleeping.includes(f))],
  };
}

/** A list that replaces the default: strings, each once; `problem` says why one cannot be in it. */
function replacingList(c: Checker, v: unknown, key: string, fallback: string[], problem: (s: string) => string | undefined = () => undefined): string[] {
  const arr = c.array(v, key);
  if (!arr) return fallback;
  const out: string[] = [];
  arr.forEach((x, i) => {
    const s = c.string(x, `${key}[${i}]`);
    if (s === undefined) return;
    const why = problem(s) ?? (out.includes(s) ? `${JSON.stringify(s)} is listed twice` : undefined);
    if (why) c.report(`${key}[${i}]`, why);
    else out.push(s);
  });
  return out;
}

function serieOrder(c: Checker, v: unknown, fallback: string[]): string[] {
  return replacingList(c, v, 'serieOrder', fallback);
}

/** Only the macros the lowering marks can be in `warnings`. */
function warnings(c: Checker, v: unknown, fallback: string[]): string[] {
  const known = `known: ${[...WARNING_TESTS].join(', ')}`;
  return replacingList(c, v, 'warnings', fallback, (s) => (WARNING_TESTS.has(s) ? undefined : `${JSON.stringify(s)} is not a warning macro kpath marks (${known})`));
}

/** Added to the defaults: a call without arguments (`preemptible()`) or a member of any object (`->nonatomic`). */
function sleepableTests(c: Checker, v: unknown, table: string[]): string[] {
  const added = c.each(v, 'sleepableTests', (x, path) => {
    const s = c.string(x, path);
    if (s === undefined) return undefined;
    if (/^(?:->[A-Za-z_]\w*|[A-Za-z_]\w*\(\))$/.test(s)) return s;
    c.report(path, `${JSON.stringify(s)} is neither a call without arguments ("preemptible()") nor a member ("->nonatomic")`);
    return undefined;
  });
  return [...table, ...added.filter((s) => !table.includes(s))];
}

/** Added to the defaults, or replacing one: a test's text (`after_bootmem`, `system_booted()`) and its answer. */
function afterBoot(c: Checker, v: unknown, table: Record<string, boolean>): Record<string, boolean> {
  const o = c.object(v, 'afterBoot');
  if (!o) return table;
  const out = { ...table };
  for (const [test, answer] of Object.entries(o)) {
    if (typeof answer === 'boolean') out[test] = answer;
    else c.report(`afterBoot.${test}`, `${JSON.stringify(answer)} is not true or false (what the test answers once the kernel has booted)`);
  }
  return out;
}

function guards(c: Checker, v: unknown, table: KernelApi['guards']): KernelApi['guards'] {
  const o = c.object(v, 'guards');
  if (!o) return table;
  c.keys(o, 'guards', ['curried', 'scoped', 'classes']);
  const curried = o.curried === undefined ? [] : c.each(o.curried, 'guards.curried', (x, p) => c.name(x, p));
  const scoped = o.scoped === undefined ? [] : c.each(o.scoped, 'guards.scoped', (x, p) => c.name(x, p));
  const classes =
    o.classes === undefined
      ? []
      : c.each(o.classes, 'guards.classes', (x, path): GuardClass | undefined => {
          const g = c.object(x, path);
          if (!g || !c.keys(g, path, ['name', 'class', 'irq', 'atomic', 'sleeps'], ['name'])) return undefined;
          const name = c.name(g.name, `${path}.name`);
          const cls = g.class === undefined ? undefined : c.oneOf(g.class, LOCK_CLASSES, `${path}.class`, 'lock class');
          const irq = g.irq === undefined ? undefined : c.oneOf(g.irq, IRQ_MODES, `${path}.irq`, 'irq mode');
          const atomicKind = g.atomic === undefined ? undefined : c.oneOf(g.atomic, ATOMIC_KINDS, `${path}.atomic`, 'atomic context');
          const sleeps = g.sleeps === undefined ? undefined : c.string(g.sleeps, `${path}.sleeps`);
          if (!name || (g.class !== undefined && !cls) || (g.irq !== undefined && !irq)) return undefined;
          if ((g.atomic !== undefined && !atomicKind) || (g.sleeps !== undefined && !sleeps)) return undefined;
          if (!cls && !atomicKind) {
            c.report(path, 'give "class" (a lock) or "atomic" (an atomic context)');
            return undefined;
          }
          if (irq && !cls) {
            c.report(`${path}.irq`, '"irq" needs "class"');
            return undefined;
          }
          const row: GuardClass = { name };
          if (cls) row.lock = irq ? { class: cls, irq } : { class: cls };
          if (atomicKind) row.atomic = atomicKind;
          if (sleeps) row.sleeps = { why: sleeps };
          return row;
        });
  return {
    curried: [...new Set([...table.curried, ...curried])],
    scoped: [...new Set([...table.scoped, ...scoped])],
    classes: [...table.classes.filter((g) => !classes.some((n) => n.name === g.name)), ...classes],
  };
}

/** A directory name under `arch/` (`x86`, `arm64`, `um`): no separator, not `.` or `..`. */
const ARCH_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

function includes(c: Checker, v: unknown): IncludesConfig {
  const o = c.object(v, 'includes');
  if (!o) return DEFAULT_INCLUDES;
  c.keys(o, 'includes', ['follow', 'arch', 'paths']);
  const follow = o.follow === undefined ? undefined : c.boolean(o.follow, 'includes.follow');
  let arch = o.arch === undefined ? undefined : c.string(o.arch, 'includes.arch');
  if (arch !== undefined && !ARCH_NAME.test(arch)) {
    c.report('includes.arch', `${JSON.stringify(arch)} is not a directory name under arch/ (like "x86" or "arm64")`);
    arch = undefined;
  }
  const paths = o.paths === undefined ? [] : c.each(o.paths, 'includes.paths', (x, p) => c.string(x, p));
  return { follow: follow ?? DEFAULT_INCLUDES.follow, arch: arch ?? DEFAULT_INCLUDES.arch, paths };
}

function severities(c: Checker, v: unknown): Record<RuleId, Severity | 'off'> {
  const out = { ...DEFAULT_SEVERITY };
  const o = c.object(v, 'rules');
  if (!o) return out;
  for (const [rule, sev] of Object.entries(o)) {
    const path = `rules.${rule}`;
    if (!(RULE_IDS as readonly string[]).includes(rule)) {
      c.report(path, `unknown rule id (known: ${RULE_IDS.join(', ')})`);
      continue;
    }
    const s = c.oneOf(sev, SEVERITIES, path, 'severity');
    if (s) out[rule as RuleId] = s;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Merging
// ---------------------------------------------------------------------------------------------

function merge(file: Json, c: Checker): ResolvedConfig {
  c.keys(file, '', CONFIG_KEYS);
  const base = DEFAULT_API;
  // Series first: mappers are checked against the order in force.
  const order = file.serieOrder === undefined ? base.serieOrder : serieOrder(c, file.serieOrder, base.serieOrder);

  const patches = new Patches();
  if (file.sleepers !== undefined) sleepers(c, file.sleepers, patches);
  if (file.neverSleeps !== undefined) neverSleeps(c, file.neverSleeps, patches);
  if (file.neverReturns !== undefined) neverReturns(c, file.neverReturns, patches);
  if (file.locks !== undefined) locks(c, file.locks, patches);
  if (file.atomic !== undefined) atomic(c, file.atomic, patches);
  if (file.mappers !== undefined) mappers(c, file.mappers, patches, order);
  if (file.unmappers !== undefined) unmappers(c, file.unmappers, patches);
  if (file.allocators !== undefined) allocators(c, file.allocators, patches);
  if (file.callbacks !== undefined) callbacks(c, file.callbacks, patches);
  const forget = new Set(file.forget === undefined ? [] : c.each(file.forget, 'forget', (x, p) => c.name(x, p)));

  const calls: CallSemantics[] = [];
  for (const row of base.calls) {
    if (forget.has(row.name)) continue;
    const patch = patches.byName.get(row.name);
    calls.push(patch ? applyPatch(row, patch) : row);
  }
  for (const [name, patch] of patches.byName) {
    if (!base.calls.some((r) => r.name === name) || forget.has(name)) calls.push(applyPatch({ name }, patch));
  }

  const fields = file.callbackFields === undefined ? [] : callbackFields(c, file.callbackFields);
  const api: KernelApi = {
    ...base,
    calls,
    gfp: file.gfp === undefined ? base.gfp : gfp(c, file.gfp, base.gfp),
    serieOrder: order,
    warnings: file.warnings === undefined ? base.warnings : warnings(c, file.warnings, base.warnings ?? []),
    sleepableTests: file.sleepableTests === undefined ? base.sleepableTests : sleepableTests(c, file.sleepableTests, base.sleepableTests ?? []),
    afterBoot: file.afterBoot === undefined ? base.afterBoot : afterBoot(c, file.afterBoot, base.afterBoot ?? {}),
    guards: file.guards === undefined ? base.guards : guards(c, file.guards, base.guards),
    callbackFields: [
      ...base.callbackFields.filter((f) => !fields.some((n) => n.field === f.field && n.structType === f.structType)),
      ...fields,
    ],
  };

  const ignore = file.ignore === undefined ? [] : c.each(file.ignore, 'ignore', (x, p) => c.string(x, p));
  if (file.$schema !== undefined) c.string(file.$schema, '$schema');
  const severity = file.rules === undefined ? DEFAULT_SEVERITY : severities(c, file.rules);
  return { api, severity, ignore, includes: file.includes === undefined ? DEFAULT_INCLUDES : includes(c, file.includes) };
}

/** The default row with the facts the file gives replaced; a fact set to undefined is removed. */
function applyPatch(row: CallSemantics, patch: Patch): CallSemantics {
  const out: Record<string, unknown> = { ...row, ...patch };
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out as unknown as CallSemantics;
}
