/**
 * The part of the engine the language server uses, imported in one place so that the rest of
 * `lsp/` reads as LSP code and the boundary is easy to see.
 */
export {
  DEFAULT_CONFIG,
  IR_VERSION,
  LoweringMemo,
  lowerFile,
  Program,
  resolveConfig,
  SAVED_PROGRAM_FORMAT,
  type PointState,
  type ResolvedConfig,
} from '../engine/index';
