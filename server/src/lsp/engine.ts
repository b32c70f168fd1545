/**
 * The part of the engine the language server uses, imported in one place so that the rest of
 * `lsp/` reads as LSP code and the boundary is easy to see.
 */
export { DEFAULT_CONFIG, LoweringMemo, lowerFile, Program, resolveConfig, type PointState, type ResolvedConfig } from '../engine/index';
