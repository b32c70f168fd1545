import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { test } from 'vitest';
import { readGrammarBinaries } from '../../server/src/host/grammars';
import { createCParser, lowerFile, Program, DEFAULT_CONFIG } from '../../server/src/engine/index';

test('mm', async () => {
  const parser = await createCParser(readGrammarBinaries());
  const program = new Program(DEFAULT_CONFIG);
  const root = '/tmp/ksrc/linux-source-6.1/mm';
  for (const f of readdirSync(root).filter((x) => x.endsWith('.c'))) {
    const tree = parser.parse(readFileSync(`${root}/${f}`, 'utf8'));
    program.update(lowerFile(tree, `mm/${f}`));
    tree.delete();
  }
  const findings = program.check();
  const by: Record<string, number> = {};
  for (const f of findings) by[f.rule] = (by[f.rule] ?? 0) + 1;
  writeFileSync('/tmp/annscan/mm-findings.json', JSON.stringify(findings.map((f) => ({ rule: f.rule, file: f.file, line: f.line, fn: f.function, message: f.message, path: f.path.map((e) => `${e.kind} ${e.file}:${e.line} ${e.message}`) })), null, 1));
  console.log(JSON.stringify(by));
}, 900000);
