/**
 * The one way the dataflow reads kernel knowledge: an index over a `KernelApi` (the defaults or
 * the result of `.kpath.json`), built once per configuration, with Map-based lookups.
 *
 * Architecture invariant: callers ask the index ("what does this call do?", "does this gfp mask
 * sleep?"); they never compare a callee's name with a kernel function's name themselves.
 */
import { evaluate } from './gfp';
import type { AtomicAlternative, AtomicKind, CallSemantics, CallbackField, GuardClass, KernelApi, LockClass } from './semantics';

export { DEFAULT_API } from './api';
export { gfpMaySleep } from './gfp';
export * from './semantics';

export interface ApiIndex {
  readonly api: KernelApi;
  /**
   * What a call does. With `argCount`, a row whose `arity` equals it wins over a row without
   * `arity`; rows with another `arity` never match. Without `argCount`, the row without `arity`
   * (or else the first row of that name).
   */
  call(name: string, argCount?: number): CallSemantics | undefined;
  /** The fixes for calling `name` where it must not block: `atomicAlternative` then `extraAlternatives`. */
  alternatives(name: string, argCount?: number): AtomicAlternative[];
  /** `guard(spinlock)` and `scoped_guard(spinlock, ...)`: what the class named by the first macro argument takes. */
  guardClass(name: string): GuardClass | undefined;
  isCurriedGuard(name: string): boolean;
  isScopedGuard(name: string): boolean;
  /** True when the mask allows direct reclaim, false when it does not, undefined when it cannot tell. */
  gfpMaySleep(text: string): boolean | undefined;
  /** The mask a tested expression asks about when it is one of `gfp.tests` (`gfpflags_allow_blocking(gfp)` -> `gfp`). */
  gfpTested(expr: string): string | undefined;
  /** The same for `gfp.atomicTests`, true when the mask does not allow sleeping (`(gfp&GFP_KERNEL)!=GFP_KERNEL` -> `gfp`). */
  gfpAtomicTested(expr: string): string | undefined;
  /** Position in `serieOrder` (earlier is taken first); series not in the order rank after all of them. */
  serieRank(serie: string): number;
  /**
   * The callback context of a function stored into `field`. A row with a `structType` matches only
   * that struct type; a row without one matches the field in any struct.
   */
  callbackField(field: string, structType?: string): CallbackField | undefined;
  /** The class a lock's name suggests (`mm->mmap_lock` -> rwsem), from `lockNames`; undefined when unknown. */
  lockClassByName(lock: string): LockClass | undefined;
  /**
   * The part of a tree `file` belongs to, from `separateCode`: `arch:<name>` for an architecture's
   * code, `user` for user space, undefined for generic code.
   */
  codePart(file: string): string | undefined;
  /** `arch:<name>` when `file` is one of that architecture's own headers (`separateCode.archHeaders`), else undefined. */
  archHeaderPart(file: string): string | undefined;
  /**
   * The path of the subsystem `file` is part of, up to its folder (`drivers/ufs/` for
   * `drivers/ufs/core/ufshcd.c`), from `separateCode.subsystems`; undefined outside any.
   */
  subsystemOf(file: string): string | undefined;
  /** Whether functions stored into a structure of this type are the bus core's to call (`calledByBusCore`). */
  calledByBusCore(structType: string | undefined): boolean;
  /** Whether the branch a warning macro (`WARN_ON`) takes when it fires is explored: not when `warnings` lists it. */
  exploresWarning(macro: string): boolean;
  /** Whether a returned expression makes an error pointer (`ERR_PTR(-ENOMEM)`), by `errorPointerMakers`. */
  makesErrorPointer(value: string): boolean;
  /** What a test of the context answers where the path holds one of `in` (`in_interrupt()`), by `contextTests`. */
  contextTest(expr: string): { is: boolean; in: readonly AtomicKind[] } | undefined;
  /** Whether a tested expression holds only where the code may sleep (`preemptible()`), by `sleepableTests`. */
  onlyWhereSleeping(expr: string): boolean;
  /** What a test answers once the kernel has booted (`after_bootmem`: true), by `afterBoot`; undefined when it depends. */
  afterBoot(expr: string): boolean | undefined;
  /** Whether a lock field's name is one many structures have (`lock`, `mutex`), by `genericLockFields`. */
  isGenericLockField(field: string): boolean;
}

export function indexApi(api: KernelApi): ApiIndex {
  const calls = new Map<string, CallSemantics[]>();
  for (const row of api.calls) {
    const rows = calls.get(row.name);
    if (rows) rows.push(row);
    else calls.set(row.name, [row]);
  }
  const guards = new Map(api.guards.classes.map((g) => [g.name, g] as const));
  const curried = new Set(api.guards.curried);
  const scoped = new Set(api.guards.scoped);
  const sleeping = new Set(api.gfp.sleeping);
  const testPattern = (t: string) => new RegExp(`^${t.split('%').map(escapeRegExp).join('([A-Za-z_]\\w*(?:(?:->|\\.)[A-Za-z_]\\w*)*)')}$`);
  const gfpTests = (api.gfp.tests ?? []).map(testPattern);
  const gfpAtomicTests = (api.gfp.atomicTests ?? []).map(testPattern);
  const maskIn = (tests: RegExp[], expr: string) => {
    for (const test of tests) {
      const mask = test.exec(expr)?.[1];
      if (mask !== undefined) return mask;
    }
    return undefined;
  };
  const nonSleeping = new Set(api.gfp.nonSleeping);
  const ranks = new Map(api.serieOrder.map((s, i) => [s, i] as const));
  const fields = new Map<string, CallbackField[]>();
  for (const f of api.callbackFields) {
    const rows = fields.get(f.field);
    if (rows) rows.push(f);
    else fields.set(f.field, [f]);
  }
  const lockNames = api.lockNames ?? [];
  const architectures = api.separateCode && new RegExp(api.separateCode.architectures);
  const userSpace = (api.separateCode?.userSpace ?? []).map((p) => new RegExp(p));
  const subsystems = api.separateCode?.subsystems !== undefined ? new RegExp(api.separateCode.subsystems) : undefined;
  const archHeaders = api.separateCode?.archHeaders !== undefined ? new RegExp(api.separateCode.archHeaders) : undefined;
  const subsystemMemo = new Map<string, string | undefined>();
  const partMemo = new Map<string, string | undefined>();
  const builtOnlyFor = Object.entries(api.separateCode?.builtOnlyFor ?? {}).flatMap(([arch, patterns]) => patterns.map((p) => [new RegExp(p), arch] as const));
  const busCore = new Set(api.calledByBusCore ?? []);
  const warnings = new Set(api.warnings ?? []);
  const genericLockFields = new Set(api.genericLockFields ?? []);
  const contextTests = new Map((api.contextTests ?? []).map((t) => [t.test, t] as const));
  const sleepableExprs = new Set((api.sleepableTests ?? []).filter((t) => !t.startsWith('->')));
  const sleepableMembers = (api.sleepableTests ?? []).filter((t) => t.startsWith('->')).map((t) => t.slice(2));
  const errorPointerMakers = api.errorPointerMakers ?? [];

  const call = (name: string, argCount?: number): CallSemantics | undefined => {
    const rows = calls.get(name);
    if (!rows) return undefined;
    if (argCount !== undefined) {
      return rows.find((r) => r.arity === argCount) ?? rows.find((r) => r.arity === undefined);
    }
    return rows.find((r) => r.arity === undefined) ?? rows[0];
  };

  return {
    api,
    call,
    alternatives(name, argCount) {
      const row = call(name, argCount);
      if (!row) return [];
      return [...(row.atomicAlternative ? [row.atomicAlternative] : []), ...(row.extraAlternatives ?? [])];
    },
    guardClass: (name) => guards.get(name),
    isCurriedGuard: (name) => curried.has(name),
    isScopedGuard: (name) => scoped.has(name),
    gfpMaySleep: (text) => evaluate(text, (n) => (sleeping.has(n) ? true : nonSleeping.has(n) ? false : undefined)),
    gfpTested: (expr) => maskIn(gfpTests, expr),
    gfpAtomicTested: (expr) => maskIn(gfpAtomicTests, expr),
    serieRank: (serie) => ranks.get(serie) ?? api.serieOrder.length,
    callbackField(field, structType) {
      const rows = fields.get(field);
      if (!rows) return undefined;
      return rows.find((r) => r.structType !== undefined && r.structType === structType) ?? rows.find((r) => r.structType === undefined);
    },
    lockClassByName(lock) {
      return lockNames.find((n) => nameHasSuffix(lock, n.suffix))?.class;
    },
    codePart(file) {
      // Asked of every file a context's events went through, at every call it is handed across.
      if (!partMemo.has(file)) {
        const arch = architectures?.exec(file)?.[1] ?? builtOnlyFor.find(([p]) => p.test(file))?.[1];
        partMemo.set(file, userSpace.some((p) => p.test(file)) ? 'user' : arch === undefined ? undefined : `arch:${arch}`);
      }
      return partMemo.get(file);
    },
    archHeaderPart(file) {
      const arch = archHeaders?.exec(file)?.[1];
      return arch === undefined ? undefined : `arch:${arch}`;
    },
    subsystemOf(file) {
      // Asked for every target of every call through a field: one regular expression per file.
      if (!subsystemMemo.has(file)) {
        const m = subsystems?.exec(file);
        subsystemMemo.set(file, m ? file.slice(0, m.index + m[0].length) : undefined);
      }
      return subsystemMemo.get(file);
    },
    calledByBusCore: (structType) => structType !== undefined && busCore.has(structType),
    exploresWarning: (macro) => !warnings.has(macro),
    makesErrorPointer: (value) => errorPointerMakers.some((m) => value.startsWith(`${m}(`)),
    isGenericLockField: (field) => genericLockFields.has(field),
    contextTest: (expr) => contextTests.get(expr),
    afterBoot: (expr) => (api.afterBoot && Object.hasOwn(api.afterBoot, expr) ? api.afterBoot[expr] : undefined),
    onlyWhereSleeping: (expr) => sleepableExprs.has(expr) || sleepableMembers.some((m) => expr.endsWith(`->${m}`) || expr.endsWith(`.${m}`)),
  };
}

/** `_mutex` ends `state_mutex`; `d_lock` ends `d_lock` and `dentry->d_lock` but not `bad_lock`. */
function nameHasSuffix(name: string, suffix: string): boolean {
  if (!name.endsWith(suffix)) return false;
  if (suffix.startsWith('_') || name.length === suffix.length) return true;
  const before = name[name.length - suffix.length - 1];
  return before === '>' || before === '.';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
