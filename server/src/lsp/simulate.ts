/**
 * `kpath/simulate`: replays a finding's path in the simulator and returns its trace as data, as an
 * SVG timeline and as lockdep-style text, for the client's simulation view.
 *
 * The simulation runs in the server's thread, bounded by a time budget: while it runs, the server
 * answers nothing else (a worker thread would lift this; the budget keeps it short).
 */
import { ResponseError } from 'vscode-languageserver/node';
import type { Finding, Severity } from '../engine/finding';
import { simulateFinding, type SimulationOptions as SimulatorOptions } from '../sim/simulate';
import { renderSvg } from '../sim/views/svg';
import { renderText } from '../sim/views/text';
import { ErrorCodes, type SimulateResult, type SimulationOptions } from '../shared/protocol';
import { toSummary } from './diagnostics';
import type { Program } from './engine';

/** Milliseconds the exploration may take before it reports 'bounded'. */
const BUDGET_MS = 10_000;

export function simulate(finding: Finding, severity: Severity, uri: string, options: SimulationOptions, program: Program): SimulateResult {
  const simulatorOptions: SimulatorOptions = {
    tasks: options.tasks,
    cpus: options.cpus,
    pool: options.pool,
    preempt: options.preempt,
    minTasks: options.minTasks,
    maxMs: BUDGET_MS,
  };
  let trace;
  try {
    trace = simulateFinding(finding, simulatorOptions, program.serieNestings());
  } catch (err) {
    throw new ResponseError(ErrorCodes.SimulationFailed, `kpath: simulation failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { finding: toSummary(finding, severity, uri), verdict: trace.verdict, trace, svg: renderSvg(trace), text: renderText(trace) };
}
