/**
 * `kpath/simulate`: replays a finding's path in the simulator and returns its trace as data, as an
 * SVG timeline and as lockdep-style text, for the client's simulation view.
 */
import { ResponseError } from 'vscode-languageserver/node';
import type { Finding, Severity } from '../engine/finding';
import { ErrorCodes, type SimulateResult, type SimulationOptions } from '../shared/protocol';
import { renderSvg, renderText, simulateFinding } from '../sim/index';
import { toSummary } from './diagnostics';
import type { Program } from './engine';

export function simulate(finding: Finding, severity: Severity, uri: string, options: SimulationOptions, program: Program): SimulateResult {
  let trace;
  try {
    trace = simulateFinding(finding, options, program.serieNestings());
  } catch (err) {
    throw new ResponseError(ErrorCodes.SimulationFailed, `kpath: simulation failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { finding: toSummary(finding, severity, uri), verdict: trace.verdict, trace, svg: renderSvg(trace), text: renderText(trace) };
}
