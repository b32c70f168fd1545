/**
 * What the language server relies on from the engine's incremental `Program`: replacing one file's
 * IR (every keystroke does) gives the same findings as building the program from scratch. Written
 * against the fixtures of the LSP tests, so a failure here explains a failure there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { createCParser, DEFAULT_CONFIG, lowerFile, Program, type CParser } from '../../server/src/engine/index';
import { readGrammarBinaries } from '../../server/src/host/grammars';

const WS = join(__dirname, 'fixtures', 'ws');
let parser: CParser;
beforeAll(async () => {
  parser = await createCParser(readGrammarBinaries());
});

function ir(file: string, text = readFileSync(join(WS, file), 'utf8')) {
  const tree = parser.parse(text);
  try {
    return lowerFile(tree, file);
  } finally {
    tree.delete();
  }
}

const messages = (p: Program, file: string) => p.check([file]).map((f) => f.message);
const COPY = "kmap() may block (persistent kmap, DEFAULT serie) while 'dst->page_table_lock' is held (taken by caller dup_mm at kernel/fork.c:10)";

test('updating the callee again (the editor opened it) keeps the context its caller gives it', () => {
  const program = new Program(DEFAULT_CONFIG);
  program.update(ir('kernel/fork.c'));
  program.update(ir('mm/copy.c'));
  expect(messages(program, 'mm/copy.c')).toEqual([COPY]);
  program.update(ir('mm/copy.c'));
  expect(messages(program, 'mm/copy.c')).toEqual([COPY]);
});

test('a caller that stops holding the lock takes the callee\'s finding with it', () => {
  const program = new Program(DEFAULT_CONFIG);
  program.update(ir('kernel/fork.c'));
  program.update(ir('mm/copy.c'));
  expect(messages(program, 'mm/copy.c')).toEqual([COPY]);
  const unlocked = readFileSync(join(WS, 'kernel/fork.c'), 'utf8').replace(/\tspin_(un)?lock\(&mm->page_table_lock\);\n/g, '');
  program.update(ir('kernel/fork.c', unlocked));
  expect(messages(program, 'mm/copy.c')).toEqual([]);
});
