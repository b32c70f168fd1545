/**
 * The simulator's public API: the CLI (`kpath simulate`) and the language server import from here.
 */
export { simulateFinding, defaultsFor, LIMITS, DEFAULT_BUDGET, SimulationError, type SimulationOptions } from './simulate';
export type { Trace, TraceStep, TaskStatus, TaskSummary, ProgramStep } from './trace';
export type { Verdict } from './explore';
export type { SerieNesting, TaskProgram, Step } from './program';
export { buildProgram, workloadFor } from './program';
export { renderText } from './views/text';
export { renderJson } from './views/json';
export { renderSvg, type SvgColors, type SvgOptions } from './views/svg';
export { renderHtml } from './views/html';
export { renderPromela } from './views/promela';
export { runSimulate, SIMULATE_HELP } from './cli';
