// Writes docs/rules/*.md from the rules' source (run: npm run docs).
import * as esbuild from 'esbuild';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = join(mkdtempSync(join(tmpdir(), 'kpath-docs-')), 'docs.cjs');
await esbuild.build({
  stdin: {
    contents: "export { RULES } from './server/src/engine/rules/index'; export { renderRuleDoc, renderRuleIndex } from './scripts/rule-docs';",
    resolveDir: process.cwd(),
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: out,
  logLevel: 'warning',
});
const { RULES, renderRuleDoc, renderRuleIndex } = createRequire(import.meta.url)(out);
mkdirSync('docs/rules', { recursive: true });
for (const rule of RULES) writeFileSync(`docs/rules/${rule.id}.md`, renderRuleDoc(rule));
writeFileSync('docs/rules/README.md', renderRuleIndex(RULES));
console.log(`wrote ${RULES.length} rule docs to docs/rules/`);
