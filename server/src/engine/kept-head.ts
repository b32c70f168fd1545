/**
 * What the program keeps of a function whose body lives in a `BodyStore`: its head, one object per
 * function of the tree (645,000 on Linux 6.1), its texts shared through the program's `own`.
 */
import type { FunctionHead } from './dataflow/env';
import type { Span } from './span';

/** Shared by every head without parameters or locals (frozen: nobody may add to it). */
const NO_NAMES: readonly string[] = Object.freeze([]);

/**
 * The spans are numbers in the head, not objects of their own: two span objects took 112 bytes of
 * the 192 a head weighed. They are made when asked for, which is where a finding is placed or
 * an annotation quoted, never on the fixed point's way. The name's span ends where the name does,
 * on its line: its end is not kept (a head whose name is not the text at its span, a name the
 * lowering made up, is an `IrregularHead`).
 */
class KeptHead implements FunctionHead {
  readonly name: string;
  readonly params: (string | null)[];
  readonly exactArity?: true;
  readonly locals: string[];
  readonly isStatic: boolean;
  private readonly line: number;
  private readonly column: number;
  private readonly endLine: number;
  private readonly endColumn: number;
  private readonly nameLine: number;
  private readonly nameColumn: number;

  constructor(fn: FunctionHead, own: (text: string) => string) {
    this.name = own(fn.name);
    this.params = fn.params.length === 0 ? (NO_NAMES as string[]) : fn.params.map((p) => (p === null ? null : own(p)));
    if (fn.exactArity) this.exactArity = true;
    this.locals = fn.locals.length === 0 ? (NO_NAMES as string[]) : fn.locals.map(own);
    this.isStatic = fn.isStatic;
    ({ line: this.line, column: this.column, endLine: this.endLine, endColumn: this.endColumn } = fn.span);
    ({ line: this.nameLine, column: this.nameColumn } = fn.nameSpan);
  }

  get span(): Span {
    return { line: this.line, column: this.column, endLine: this.endLine, endColumn: this.endColumn };
  }

  get nameSpan(): Span {
    return { line: this.nameLine, column: this.nameColumn, endLine: this.nameLine, endColumn: this.nameColumn + this.name.length };
  }

  /** As a saved program writes it: the plain shape of `FunctionHead`. */
  toJSON(): FunctionHead {
    return plainHead(this);
  }
}

/** A head whose name's span is not the name on one line (`<unnamed@264>`): its end kept. */
class IrregularHead extends KeptHead {
  private readonly nameEnd: { endLine: number; endColumn: number };

  constructor(fn: FunctionHead, own: (text: string) => string) {
    super(fn, own);
    this.nameEnd = { endLine: fn.nameSpan.endLine, endColumn: fn.nameSpan.endColumn };
  }

  override get nameSpan(): Span {
    return { ...super.nameSpan, ...this.nameEnd };
  }
}

/** The head to keep of `fn` (a body or another head), its texts through `own`. */
export function keptHead(fn: FunctionHead, own: (text: string) => string): FunctionHead {
  const s = fn.nameSpan;
  return s.endLine === s.line && s.endColumn === s.column + fn.name.length ? new KeptHead(fn, own) : new IrregularHead(fn, own);
}

/** A head as plain data, whatever kept it. */
export function plainHead(fn: FunctionHead): FunctionHead {
  return {
    name: fn.name,
    span: { ...fn.span },
    nameSpan: { ...fn.nameSpan },
    params: fn.params,
    ...(fn.exactArity ? { exactArity: true as const } : {}),
    locals: fn.locals,
    isStatic: fn.isStatic,
  };
}
