/**
 * The engine's public API. Hosts (CLI, language server, workers, simulator) import from here only.
 *
 * Architecture invariant: nothing under engine/ does I/O or knows LSP types; wasm binaries, file
 * contents and configuration text are handed in by the host.
 */
import type { Finding, InputError } from './finding';
import { DEFAULT_CONFIG, type ResolvedConfig } from './kernel/config';
import { lowerFile } from './lower/index';
import { Program } from './program';
import type { CParser } from './syntax/parser';

export { createCParser, CParser, type GrammarBinaries, type Tree } from './syntax/parser';
export { LoweringMemo, lowerFile } from './lower/index';
export { resolveConfig, DEFAULT_CONFIG, type ResolvedConfig } from './kernel/config';
export { Program, type PointState, type SerieNesting } from './program';
export { RULES, ruleById, type Rule, type RuleDoc } from './rules/index';
export * from './finding';
export type { FileIR } from './ir';
export { IR_VERSION } from './ir';
export { SAVED_PROGRAM_FORMAT } from './saved-program';
export type { Span, Location } from './span';

/** Parses, lowers and checks a set of sources in one go (tests, small tools). */
export function analyzeSources(
  parser: CParser,
  sources: readonly { file: string; text: string }[],
  config: ResolvedConfig = DEFAULT_CONFIG,
): { findings: Finding[]; errors: InputError[]; program: Program } {
  const program = new Program(config);
  const errors: InputError[] = [];
  for (const { file, text } of sources) {
    const tree = parser.parse(text);
    try {
      program.update(lowerFile(tree, file));
    } catch (e) {
      errors.push({ file, message: `could not be analysed: ${(e as Error).message}` });
    } finally {
      tree.delete();
    }
  }
  const findings = program.check();
  return { findings, errors: [...errors, ...program.problems()], program };
}
