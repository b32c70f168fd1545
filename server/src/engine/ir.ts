/**
 * The lowered form of a C file: one control-flow graph per function whose blocks hold the few
 * operations the analysis cares about (calls, returns, stores, scope exits). It is produced from the
 * syntax tree by `lower/` and is everything the later phases see: the tree can be freed as soon as a
 * file is lowered, and a FileIR is plain JSON, so it can be cached by content hash and sent between
 * worker threads.
 *
 * Architecture invariant: the IR knows no kernel API. A call to `spin_lock` is lowered exactly like a
 * call to `printk`; what a call means is decided later from the tables in `kernel/`, so the IR of a
 * file does not change when `.kpath.json` does.
 */
import type { Span } from './span';

/** Bump when the shape or meaning of the IR changes; caches keyed on it are then invalid. */
export const IR_VERSION = 34;

export interface FileIR {
  /** Path as given by the caller. */
  file: string;
  functions: FunctionIR[];
  /** Every comment of the file, for annotations and suppressions (`kpath: ...`). */
  comments: Comment[];
  /**
   * Functions stored as values outside a call: designated initialisers (`.ndo_open = my_open`) and
   * assignments (`dev->ops.fn = my_fn`). Used to resolve indirect calls and callback contexts.
   */
  functionRefs: FunctionRef[];
  /** Number of ERROR and MISSING nodes in the tree: the analysis went around them. */
  syntaxErrors: number;
  /**
   * The file's `#include` directives in source order, those inside `#if`/`#ifdef`/`#else` branches
   * included (conditions are not evaluated). Only what is written: resolving a path to a file is the
   * host's job (host/includes.ts).
   */
  includes: Include[];
  /**
   * The function-like macros the file defines outside any `#if` (its include guard aside), by name,
   * when there are any: a call of that name in the file, or in a file a private header of this
   * name reaches, is the macro's (mt76.h's `mt76_poll(dev, ...)`, not mt7601u's function).
   */
  macros?: string[];
  /**
   * Of those macros, the ones whose value always or-s in constants, with them (lower/macro-bits.ts):
   * `{ MAKE_SEND_FLAGS: ['INTEL_GUC_CT_SEND_NB'] }`. An argument written with the macro has their bits.
   */
  macroBits?: Record<string, string[]>;
  /**
   * The variables a `.c` file declares `static` at file level (`static DEFINE_MUTEX(register_mutex)`),
   * when there are any: a lock named through one is this file's, whatever another file calls its own.
   */
  statics?: string[];
  /** The structures the file defines, its typedefs and the types of its variables (lower/types.ts); absent when none. */
  types?: TypeFacts;
}

/**
 * What the file says of types, as far as finding the structure that holds a field goes. A type is
 * named by its tag or typedef name; an untagged structure inside another by its place (`dev.ops`).
 */
export interface TypeFacts {
  /** Structure -> its members whose type is a structure or a typedef name (`{ net_device: { netdev_ops: 'net_device_ops' } }`). */
  members: Record<string, Record<string, string>>;
  /** `typedef struct foo foo_t;` -> `{ foo_t: 'foo' }`. */
  typedefs: Record<string, string>;
  /** File-level variables of such types (`static struct dev *global_dev;` -> `{ global_dev: 'dev' }`). */
  globals: Record<string, string>;
}

/**
 * Where a field is reached from: the declared type of a variable (or of the initialised variable)
 * and the fields between it and the structure holding the field. `in->ops.dsi->update` with
 * `struct omap_dss_device *in` is `{ type: 'omap_dss_device', via: ['ops', 'dsi'] }`; `.open = f`
 * in `struct file_operations fops = {...}` is `{ type: 'file_operations' }`.
 */
export interface FieldOwner {
  type: string;
  via?: string[];
}

/** `#include <linux/mm.h>` is `{ path: 'linux/mm.h', system: true }`; `#include "internal.h"` has `system: false`. */
export interface Include {
  path: string;
  system: boolean;
  /** 1-based line of the directive. */
  line: number;
}

export interface Comment {
  text: string;
  span: Span;
}

export interface FunctionRef {
  /** The function named. */
  function: string;
  /** The field it is stored into (`ndo_open`), when it is stored into a field. */
  field?: string;
  /** Where the field is, when the declaration or the variable stored through has a known type. */
  owner?: FieldOwner;
  span: Span;
}

export interface FunctionIR {
  name: string;
  /** The whole definition. */
  span: Span;
  /** The name in the declarator (where diagnostics about the function itself go). */
  nameSpan: Span;
  /** Parameter names in order; `null` for an unnamed or unparsable parameter. */
  params: (string | null)[];
  /**
   * Declared with a prototype a call must match in number (no `...`, not `()`): a call passing
   * another number of arguments is not to this function but to a macro of the same name.
   */
  exactArity?: true;
  /** Names declared inside the body (locals); a store into anything else escapes. */
  locals: string[];
  isStatic: boolean;
  /**
   * Statements tree-sitter read as a definition nested in a function, with a macro call for its type
   * (`for_each_possible_cpu(cpu) per_cpu(var, cpu).kthread = NULL; ...` read as a function named
   * `per_cpu`): analysed on its own, but no call anywhere means it.
   */
  misread?: true;
  /**
   * The source text of the definition up to the opening brace of the body, comments removed: where
   * `__must_hold(x)`, `__acquires(x)`, `__releases(x)` and friends are written.
   */
  header: string;
  /** The comment block immediately above the definition ("Called with mm->page_table_lock held"). */
  leadingComment: string;
  /** blocks[entry] is where execution starts; blocks[exit] is the single synthetic exit. */
  blocks: Block[];
  entry: number;
  exit: number;
}

export interface Block {
  id: number;
  ops: Op[];
  succs: Edge[];
  /**
   * Entered only when this macro warns (`if (WARN_ON(!list_empty(&l))) cleanup();`): a path the
   * kernel says never happens. The tables say whether such blocks are explored (`warnings`).
   */
  warning?: string;
}

/**
 * An edge of the CFG. A conditional edge records which way a test went, so that the dataflow can
 * take `spin_trylock` on its success edge only and prune paths whose conditions contradict each
 * other (`if (x) lock(); ... if (x) unlock();`).
 */
export interface Edge {
  to: number;
  cond?: Condition;
}

export interface Condition {
  /**
   * The tested expression without outer negations or parentheses, whitespace removed:
   * `spin_trylock(&l)`, `x`, `ret<0`; a switch's default edge tests its cases, `v==A||v==B`, false.
   */
  expr: string;
  /** The value of `expr` on this edge. */
  value: boolean;
  /**
   * When the tested value is a call's result, the id of its call op (in the block the edge leaves):
   * `expr` is the call (`spin_trylock(&l)`), or the variable it was assigned to (`if ((p = f()))`
   * tests `p`).
   */
  callOp?: number;
}

export type Op = CallOp | ReturnOp | AssignOp | ScopeExitOp;

/** A call, evaluated after the calls nested in its arguments. */
export interface CallOp {
  kind: 'call';
  /** Unique within the function. */
  id: number;
  /**
   * The callee: an identifier (`spin_lock`), or for an indirect call the callee expression's text
   * (`dev->netdev_ops->ndo_open`) with `indirect` set.
   */
  callee: string;
  indirect?: boolean;
  /** For an indirect call through a field, the last field name (`ndo_open`). */
  field?: string;
  /** For a call through a field, where the field is, when the path starts at a variable of known type. */
  owner?: FieldOwner;
  /**
   * The arguments of an outer call of a curried macro: `guard(spinlock)(&l)` is lowered as callee
   * `guard`, macroArgs `[spinlock]`, args `[&l]`.
   */
  macroArgs?: Arg[];
  args: Arg[];
  /** The whole call expression. */
  span: Span;
  /** The callee identifier, for fixes that rename the call. */
  calleeSpan: Span;
  /** `x = call(...)` or `T x = call(...)`: the variable (or lvalue text) receiving the result. */
  assignTo?: string;
  /**
   * Set when the call is the head of a macro block, `list_for_each_entry(p, h, m) { ... }` or
   * `scoped_guard(spinlock, &l) { ... }`: the block follows as a loop and a ScopeExitOp naming this
   * op is placed on every way out of it.
   */
  macroBlock?: boolean;
}

export interface Arg {
  /** Source text, whitespace removed: `&dst->page_table_lock`, `GFP_KERNEL|__GFP_ZERO`. */
  text: string;
  /** Identifiers appearing in the argument, in order, without duplicates. */
  idents: string[];
  span: Span;
}

export interface ReturnOp {
  kind: 'return';
  span: Span;
  /** Identifiers of the returned expression: a mapping held in one of them is handed to the caller. */
  idents: string[];
  /** When the returned value is a call's result (`return kmap(page);`), the id of that call op. */
  callOp?: number;
  /** The returned expression without whitespace, when short (`0`, `-ENOMEM`, `true`, `ret`): what success looks like. */
  value?: string;
}

/** `target = value` where value is not a call (calls carry `assignTo`). */
export interface AssignOp {
  kind: 'assign';
  span: Span;
  /** Lvalue text, whitespace removed. */
  target: string;
  /** Identifiers of the value expression. */
  idents: string[];
  /**
   * The value when it is a constant (`true`, `false`, `1`, `0`, `NULL`): `locked = true; ...
   * if (locked) unlock(...)` correlates like a tested condition.
   */
  constant?: string;
  /**
   * The value when it is a variable or a path of fields (`locked = lruvec`, `inode = dentry->d_inode`),
   * or the address of one (`ka = &kvm->arch`, kept with its `&`): the target then names what it does.
   */
  copyOf?: string;
  /**
   * The value when it is a comparison or a bit test, as a condition's `expr` is written
   * (`is_atomic = (gfp & GFP_KERNEL) != GFP_KERNEL` keeps `(gfp&GFP_KERNEL)!=GFP_KERNEL`): a later
   * test of the target is a test of that.
   */
  test?: string;
  /**
   * The value is an initializer list naming the members it sets (`{ .id = id, .flags = flags }`,
   * or `{}`, `{ 0 }`): the members it does not name are zero. The members it names with a simple
   * value follow as assign ops of their own (`cmd.flags`).
   */
  zeroFill?: true;
  /**
   * The target stepped from its own value (`i++`, `--p->refs`, `i += 2`, `flags |= F`): a counter,
   * whose relations to numbers (`i < 16`) are a loop's bound, not a mode.
   */
  stepped?: true;
  /**
   * `flags |= FOLL_GET | FOLL_FAST_ONLY`: the names and numbers or-ed in, when the value is only
   * those (a later `flags & FOLL_FAST_ONLY` holds).
   */
  ors?: string[];
}

/**
 * Leaving the scope of a scope-bound call: the end of a `scoped_guard(...) { }` body, or of the
 * compound statement holding a `guard(...)(...)`, on every path out (fall-through, break, continue,
 * goto, return). Scopes are left innermost first.
 */
export interface ScopeExitOp {
  kind: 'scope-exit';
  /** The id of the call op that opened the scope. */
  of: number;
  span: Span;
}
