/**
 * `kpath simulate FILE:LINE [options] [OTHER FILES...]`: checks FILE and the other files with the
 * engine, picks the finding at that line and replays it in the simulator. The CLI's dispatcher calls
 * `runSimulate` with the arguments after `simulate`; all I/O goes through `io`.
 *
 * Exit codes: 0 safe (or no verdict within the budget), 1 a failure was found (deadlock, lockup,
 * scheduling while atomic), 2 usage or input error.
 */
import { analyzeSources, createCParser, RULE_IDS, type Finding, type RuleId } from '../engine/index';
import { readGrammarBinaries } from '../host/grammars';
import { LIMITS, simulateFinding, SimulationError, type SimulationOptions } from './simulate';
import type { Trace } from './trace';
import { renderHtml } from './views/html';
import { renderJson } from './views/json';
import { renderPromela } from './views/promela';
import { renderSvg } from './views/svg';
import { renderText } from './views/text';

export interface SimulateIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readFile: (p: string) => string;
}

const FORMATS = ['text', 'json', 'svg', 'html', 'promela'] as const;
type Format = (typeof FORMATS)[number];

export const SIMULATE_HELP = `\
Usage: kpath simulate FILE:LINE [options] [OTHER FILES...]

Checks FILE (and OTHER FILES, for callers and the paths of the opposite serie order), takes the
finding reported at LINE and replays its path with concurrent tasks on a small machine: CPUs,
spinlocks, a kmap pool of slots per serie. Prints the shortest failing interleaving found
(deadlock, lockup, scheduling while atomic) or says that none exists within the bounds.

Options:
      --rule ID         the finding of this rule when LINE has several (${RULE_IDS.join(', ')})
      --tasks N         concurrent tasks (default: enough to exhaust the pool for the rule)
      --cpus M          CPUs (default 2)
      --pool P          slots per kmap serie, LAST_PKMAP (default 1, or 2 for kmap-serie-reentry)
      --preempt         preemptible kernel (default: 2.4, no preemption)
      --min-tasks       search the smallest number of tasks that fails
      --max-tasks N     upper bound of the --min-tasks search (default 2 * pool + 2, at least 8)
  -f, --format FORMAT   text (default), json, svg, html or promela (a model for the Spin checker)
      --max-states N    exploration budget in states (default 2000000)
      --max-ms N        exploration budget in milliseconds (default 20000)
      --locks MODE      auto (default: a lock reached through a pointer is one per task), shared
                        or per-task
      --no-symmetry     one state per task instead of counting identical tasks
      --no-reduction    explore every interleaving (no partial-order reduction)
  -h, --help            this text

Exit codes: 0 safe or no verdict within the budget, 1 a failure found, 2 usage or input error.
`;

class UsageError extends Error {}

interface Parsed {
  file: string;
  line: number;
  others: string[];
  rule?: RuleId;
  format: Format;
  options: SimulationOptions;
  help: boolean;
}

function integer(flag: string, text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text)) throw new UsageError(`${flag} needs a whole number, got ${text === undefined ? 'nothing' : `'${text}'`}`);
  return Number(text);
}

function parse(argv: string[]): Parsed {
  const args = argv[0] === 'simulate' ? argv.slice(1) : argv.slice();
  const out: Parsed = { file: '', line: 0, others: [], format: 'text', options: {}, help: false };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    let a = args[i];
    let inline: string | undefined;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) (inline = a.slice(eq + 1)), (a = a.slice(0, eq));
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= args.length) throw new UsageError(`${a} needs a value`);
      return args[++i];
    };
    switch (a) {
      case '-h':
      case '--help':
        out.help = true;
        break;
      case '--rule': {
        const r = value();
        if (!(RULE_IDS as readonly string[]).includes(r)) throw new UsageError(`unknown rule '${r}' (rules: ${RULE_IDS.join(', ')})`);
        out.rule = r as RuleId;
        break;
      }
      case '--tasks':
        out.options.tasks = integer(a, value());
        break;
      case '--cpus':
        out.options.cpus = integer(a, value());
        break;
      case '--pool':
        out.options.pool = integer(a, value());
        break;
      case '--max-tasks':
        out.options.minTasksBound = integer(a, value());
        break;
      case '--max-states':
        out.options.maxStates = integer(a, value());
        break;
      case '--max-ms':
        out.options.maxMs = integer(a, value());
        break;
      case '--preempt':
        out.options.preempt = true;
        break;
      case '--min-tasks':
        out.options.minTasks = true;
        break;
      case '--no-symmetry':
        out.options.symmetry = false;
        break;
      case '--no-reduction':
        out.options.reduce = false;
        break;
      case '--locks': {
        const m = value();
        if (m !== 'auto' && m !== 'shared' && m !== 'per-task') throw new UsageError(`--locks must be auto, shared or per-task, got '${m}'`);
        out.options.locks = m;
        break;
      }
      case '-f':
      case '--format': {
        const f = value();
        if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got '${f}'`);
        out.format = f as Format;
        break;
      }
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'`);
        positional.push(a);
    }
  }
  if (out.help) return out;
  const target = positional.shift();
  const m = target ? /^(.*):(\d+)$/.exec(target) : null;
  if (!m) throw new UsageError(target ? `'${target}' is not FILE:LINE` : 'missing FILE:LINE');
  out.file = m[1];
  out.line = Number(m[2]);
  if (out.line < 1) throw new UsageError(`line numbers start at 1, got ${out.line}`);
  out.others = positional.filter((p) => p !== out.file);
  const o = out.options;
  if (o.minTasks && o.tasks !== undefined) throw new UsageError('--min-tasks searches the number of tasks: drop --tasks');
  if (o.maxStates !== undefined && o.maxStates < 1) throw new UsageError('--max-states must be at least 1');
  if (o.maxMs !== undefined && o.maxMs < 1) throw new UsageError('--max-ms must be at least 1');
  if (o.minTasksBound !== undefined && o.minTasksBound > LIMITS.tasks.max) throw new UsageError(`--max-tasks must be at most ${LIMITS.tasks.max}`);
  return out;
}

/** Rules in the order a line with several findings is simulated (the concurrency bugs first). */
const PREFERENCE: RuleId[] = ['kmap-serie-reentry', 'kmap-serie-order', 'sleep-in-atomic', 'kmap-leak', 'kunmap-order', 'kunmap-mismatch', 'lock-imbalance'];

function listFindings(file: string, findings: Finding[]): string {
  if (findings.length === 0) return `${file} has no findings.`;
  const lines = [...findings].sort((a, b) => a.line - b.line || a.column - b.column).map((f) => `  ${f.file}:${f.line}:${f.column}: ${f.rule}: ${f.message}`);
  return `Findings in ${file}:\n${lines.join('\n')}`;
}

function render(trace: Trace, format: Format): string {
  switch (format) {
    case 'text':
      return renderText(trace);
    case 'json':
      return renderJson(trace);
    case 'svg':
      return renderSvg(trace);
    case 'html':
      return renderHtml(trace);
    case 'promela':
      return renderPromela(trace);
  }
}

export async function runSimulate(argv: string[], io: SimulateIo): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`kpath simulate: ${e.message}\nRun 'kpath simulate --help' for the options.\n`);
    return 2;
  }
  if (parsed.help) {
    io.stdout(SIMULATE_HELP);
    return 0;
  }
  const sources: { file: string; text: string }[] = [];
  for (const file of [parsed.file, ...parsed.others]) {
    try {
      sources.push({ file, text: io.readFile(file) });
    } catch (e) {
      io.stderr(`kpath simulate: cannot read ${file}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  const parser = await createCParser(readGrammarBinaries());
  let analysis: ReturnType<typeof analyzeSources>;
  try {
    analysis = analyzeSources(parser, sources);
  } finally {
    parser.delete();
  }
  for (const err of analysis.errors) io.stderr(`kpath simulate: ${err.file}: ${err.message}\n`);
  const inFile = analysis.findings.filter((f) => f.file === parsed.file);
  const atLine = inFile.filter((f) => f.line <= parsed.line && parsed.line <= f.endLine && (!parsed.rule || f.rule === parsed.rule));
  if (atLine.length === 0) {
    const what = parsed.rule ? `no ${parsed.rule} finding` : 'no finding';
    io.stderr(`kpath simulate: ${what} at ${parsed.file}:${parsed.line}.\n${listFindings(parsed.file, inFile)}\n`);
    return 2;
  }
  atLine.sort((a, b) => PREFERENCE.indexOf(a.rule) - PREFERENCE.indexOf(b.rule));
  const finding = atLine[0];
  if (atLine.length > 1)
    io.stderr(`kpath simulate: ${atLine.length} findings at ${parsed.file}:${parsed.line}; simulating ${finding.rule} (choose with --rule: ${atLine.map((f) => f.rule).join(', ')})\n`);
  let trace: Trace;
  try {
    trace = simulateFinding(finding, parsed.options, analysis.program.serieNestings());
  } catch (e) {
    if (!(e instanceof SimulationError)) throw e;
    io.stderr(`kpath simulate: ${e.message}\n`);
    return 2;
  }
  io.stdout(render(trace, parsed.format));
  return trace.verdict === 'safe' || trace.verdict === 'bounded' ? 0 : 1;
}
