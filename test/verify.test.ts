/**
 * The data-driven test of the rules: every fixture under test/fixtures/<rule>/ (a .c file, or a
 * folder of .c files, and the headers among them, analysed together) carries its expected findings in comments (see verify.ts).
 * A second pass applies every fix of every finding and checks that the finding goes away and the
 * file parses no worse.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CParser, type Finding, analyzeSources, createCParser } from '../server/src/engine/index';
import { readGrammarBinaries } from '../server/src/host/grammars';
import { parseExpectations, verify } from './verify';
import { applyEdits, syntaxErrorCount } from './edits';

const ROOT = join(__dirname, 'fixtures');

interface Case {
  name: string;
  rule: string;
  files: { file: string; text: string }[];
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const rule of readdirSync(ROOT).sort()) {
    const dir = join(ROOT, rule);
    if (!statSync(dir).isDirectory()) continue;
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      const files = statSync(path).isDirectory()
        ? readdirSync(path, { recursive: true }).map(String).filter((f) => f.endsWith('.c') || f.endsWith('.h')).sort().map((f) => join(path, f))
        : entry.endsWith('.c') ? [path] : [];
      if (files.length === 0) continue;
      out.push({ name: `${rule}/${entry}`, rule, files: files.map((f) => ({ file: relative(ROOT, f), text: readFileSync(f, 'utf8') })) });
    }
  }
  return out;
}

let parser: CParser;
beforeAll(async () => {
  parser = await createCParser(readGrammarBinaries());
});

const all = cases();

describe('fixtures', () => {
  it('exist for every rule', () => {
    expect(new Set(all.map((c) => c.rule))).toEqual(
      new Set(['sleep-in-atomic', 'kmap-serie-reentry', 'kmap-serie-order', 'kmap-leak', 'kunmap-order', 'kunmap-mismatch', 'lock-imbalance']),
    );
  });

  for (const c of all) {
    it(c.name, () => {
      const { findings, errors } = analyzeSources(parser, c.files);
      expect(errors).toEqual([]);
      const expectations = c.files.flatMap((f) => parseExpectations(f.file, f.text, c.rule).expectations);
      const silent = c.files.every((f) => parseExpectations(f.file, f.text, c.rule).noDiagnostics);
      if (silent) expect(findings.map((f) => `${f.file}:${f.line} ${f.message}`)).toEqual([]);
      else expect(expectations.filter((e) => e.kind === 'warning').length, `${c.name} expects nothing: mark it expected-no-diagnostics`).toBeGreaterThan(0);
      expect(verify(findings, expectations)).toEqual([]);
    });
  }
});

describe('fixes', () => {
  for (const c of all) {
    it(`${c.name}: each fix removes its finding and parses no worse`, () => {
      const { findings } = analyzeSources(parser, c.files);
      for (const finding of findings) {
        for (const fix of finding.fixes) {
          const fixed = c.files.map((f) => ({ file: f.file, text: applyEdits(f.text, fix.edits.filter((e) => e.file === f.file)) }));
          for (let i = 0; i < fixed.length; i++) {
            expect(syntaxErrorCount(parser, fixed[i]!.text), `${fix.title} in ${fixed[i]!.file}`).toBeLessThanOrEqual(syntaxErrorCount(parser, c.files[i]!.text));
          }
          const after = analyzeSources(parser, fixed).findings;
          expect(after.filter((f) => sameFinding(f, finding)).map((f) => `${fix.title}: ${f.message}`)).toEqual([]);
        }
      }
    });
  }
});

function sameFinding(a: Finding, b: Finding): boolean {
  return a.rule === b.rule && a.file === b.file && a.line === b.line && basename(a.file) === basename(b.file);
}
