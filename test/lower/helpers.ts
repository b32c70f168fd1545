/** The one place the lowering tests parse and lower C. */
import { readGrammarBinaries } from '../../server/src/host/grammars';
import { createCParser, type CParser } from '../../server/src/engine/syntax/parser';
import { lowerFile } from '../../server/src/engine/lower';
import type { FileIR, FunctionIR } from '../../server/src/engine/ir';
import { renderCfg } from './render';

let parser: Promise<CParser> | undefined;

export function getParser(): Promise<CParser> {
  parser ??= createCParser(readGrammarBinaries());
  return parser;
}

export async function lower(source: string, file = 'test.c'): Promise<FileIR> {
  const p = await getParser();
  const tree = p.parse(source);
  try {
    return lowerFile(tree, file);
  } finally {
    tree.delete();
  }
}

export async function fn(source: string, name?: string): Promise<FunctionIR> {
  const ir = await lower(source);
  const f = name === undefined ? ir.functions[0] : ir.functions.find((x) => x.name === name);
  if (!f) throw new Error(`no function ${name ?? ''} in: ${ir.functions.map((x) => x.name).join(', ')}`);
  return f;
}

/** The rendered CFG of the (first or named) function. */
export async function cfg(source: string, name?: string): Promise<string> {
  return renderCfg(await fn(source, name));
}
