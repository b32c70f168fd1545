/**
 * The part of the engine the language server uses, imported in one place so that the rest of
 * `lsp/` reads as LSP code and the boundary is easy to see.
 */
export { DEFAULT_CONFIG, resolveConfig, type ResolvedConfig } from '../engine/kernel/config';
export { lowerFile } from '../engine/lower/index';
export { Program, type PointState } from '../engine/program';
