/**
 * Command-line parsing for `kpath check` and `kpath lsp`, by hand and strict: an unknown option, a
 * missing or invalid value, an unknown rule id or a single-valued option given twice is a usage error
 * (exit 2) whose message names the offending word. No dependency: the grammar is small and the
 * messages are part of the interface (tests compare them exactly).
 */
import { RULE_IDS, type RuleId } from '../engine/index';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

/** A mistake in the command line. `command` names the subcommand whose `--help` explains usage. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command: string,
  ) {
    super(message);
  }
}

export interface CheckOptions {
  help: boolean;
  format: Format;
  /** `--rule`: report only these rules (empty: every rule). */
  rules: RuleId[];
  /** `--disable`: never report these rules. */
  disabled: RuleId[];
  config?: string;
  cache?: string;
  workers?: number;
  quiet: boolean;
  /**
   * False with `--no-includes`: analyse only the files named, not the headers they include. True
   * leaves it to `.kpath.json` (`includes.follow`, default true).
   */
  includes: boolean;
  paths: string[];
}

interface OptionSpec {
  /** Long name without the dashes. */
  name: string;
  short?: string;
  /** Takes a value (`--format json` or `--format=json`). */
  value: boolean;
  /** May be given more than once (values accumulate). */
  repeatable?: boolean;
}

interface Parsed {
  /** Values by long name; a flag without value is recorded as ''. */
  options: Map<string, string[]>;
  operands: string[];
}

/**
 * Splits argv into options and operands. `--` ends options; a lone `-` is an operand. Values may be
 * attached (`--format=json`, `-j4`) or the next word (`--format json`, even if it starts with a
 * dash, as long as it is present). Short flags are not bundled (`-qh` is unknown).
 */
function parse(argv: readonly string[], specs: readonly OptionSpec[], command: string): Parsed {
  const options = new Map<string, string[]>();
  const operands: string[] = [];
  const byLong = new Map(specs.map((s) => [`--${s.name}`, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [`-${s.short}`, s]));
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      operands.push(word);
      continue;
    }
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    // `-j4`: a short option with its value attached.
    const shortAttached = !word.startsWith('--') && word.length > 2 && byShort.get(word.slice(0, 2))?.value === true;
    const key = eq >= 0 ? word.slice(0, eq) : shortAttached ? word.slice(0, 2) : word;
    const spec = byLong.get(key) ?? byShort.get(key);
    if (!spec) throw new UsageError(`unknown option '${key}'`, command);
    const name = `--${spec.name}`;
    let value = '';
    if (spec.value) {
      if (eq >= 0) value = word.slice(eq + 1);
      else if (shortAttached) value = word.slice(2);
      else if (i + 1 < argv.length) value = argv[++i];
      else throw new UsageError(`option '${name}' needs a value`, command);
      if (value === '') throw new UsageError(`option '${name}' needs a value`, command);
    } else if (eq >= 0) {
      throw new UsageError(`option '${name}' takes no value`, command);
    }
    const seen = options.get(spec.name);
    if (seen && !spec.repeatable) throw new UsageError(`option '${name}' given more than once`, command);
    options.set(spec.name, [...(seen ?? []), value]);
  }
  return { options, operands };
}

const CHECK_OPTIONS: OptionSpec[] = [
  { name: 'help', short: 'h', value: false },
  { name: 'format', short: 'f', value: true },
  { name: 'rule', value: true, repeatable: true },
  { name: 'disable', value: true, repeatable: true },
  { name: 'config', value: true },
  { name: 'cache', value: true },
  { name: 'workers', short: 'j', value: true },
  { name: 'quiet', short: 'q', value: false },
  { name: 'no-includes', value: false },
];

/** `--rule a --rule b` and `--rule a,b` both name two rules. */
function ruleIds(values: readonly string[], option: string, command: string): RuleId[] {
  const ids: RuleId[] = [];
  for (const id of values.flatMap((v) => v.split(','))) {
    if (!(RULE_IDS as readonly string[]).includes(id)) {
      throw new UsageError(`unknown rule '${id}' in ${option} (known rules: ${RULE_IDS.join(', ')})`, command);
    }
    if (!ids.includes(id as RuleId)) ids.push(id as RuleId);
  }
  return ids;
}

export function parseCheckArgs(argv: readonly string[]): CheckOptions {
  const command = 'check';
  const { options, operands } = parse(argv, CHECK_OPTIONS, command);
  const one = (name: string): string | undefined => options.get(name)?.[0];
  const help = options.has('help');

  const format = one('format') ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`invalid --format '${format}' (expected one of: ${FORMATS.join(', ')})`, command);
  }
  let workers: number | undefined;
  const workersText = one('workers');
  if (workersText !== undefined) {
    workers = /^[0-9]+$/.test(workersText) ? Number(workersText) : NaN;
    if (!Number.isSafeInteger(workers) || workers < 1) {
      throw new UsageError(`invalid --workers '${workersText}' (expected a whole number of at least 1)`, command);
    }
  }
  const rules = ruleIds(options.get('rule') ?? [], '--rule', command);
  const disabled = ruleIds(options.get('disable') ?? [], '--disable', command);
  if (!help && operands.length === 0) throw new UsageError('no PATH given (a file or a directory to check)', command);
  return {
    help,
    format: format as Format,
    rules,
    disabled,
    config: one('config'),
    cache: one('cache'),
    workers,
    quiet: options.has('quiet'),
    includes: !options.has('no-includes'),
    paths: operands,
  };
}

export interface LspOptions {
  help: boolean;
  /** `--cache DIR`: the IR cache of files read from disk, unless the client sends its own. */
  cache?: string;
}

/**
 * `kpath lsp --stdio`. stdio is the only transport, so `--stdio` is accepted but optional;
 * `--clientProcessId=N` is what language clients add and vscode-languageserver reads itself.
 */
export function parseLspArgs(argv: readonly string[]): LspOptions {
  const command = 'lsp';
  const { options, operands } = parse(
    argv,
    [
      { name: 'help', short: 'h', value: false },
      { name: 'stdio', value: false },
      { name: 'clientProcessId', value: true },
      { name: 'cache', value: true },
    ],
    command,
  );
  if (operands.length > 0) throw new UsageError(`unexpected argument '${operands[0]}'`, command);
  return { help: options.has('help'), cache: options.get('cache')?.[0] };
}
