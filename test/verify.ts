/**
 * Fixture expectations written in the fixture itself, in the style of clang's -verify:
 *
 *   pte = pte_offset(dir, addr);  // expected-warning {{pte_offset() may block}}
 *   // expected-warning@+1 {{returns with 'l' held}}
 *   // expected-warning:lock-imbalance@-2 {{...}}     another rule than the folder's
 *   // expected-note@+1 {{'dst->page_table_lock' taken}}  an event of some finding's path
 *   // expected-fix@+1 {{Use pte_offset_atomic()}}     a fix of the finding on that line
 *   // expected-no-diagnostics
 *
 * `@+N`/`@-N` are relative to the comment's line, `@N` absolute. The rule defaults to the fixture's
 * folder name (test/fixtures/<rule>/...). Every finding must be expected and every expectation met.
 */
import type { Finding } from '../server/src/engine/index';

export interface Expectation {
  kind: 'warning' | 'note' | 'fix';
  rule?: string;
  file: string;
  line: number;
  text: string;
  /** Where the expectation is written, for messages. */
  at: string;
}

const DIRECTIVE = /expected-(warning|note|fix)(?::([a-z-]+))?(?:@([+-]?\d+))?\s*\{\{(.*?)\}\}/g;

export function parseExpectations(file: string, text: string, defaultRule: string): { expectations: Expectation[]; noDiagnostics: boolean } {
  const expectations: Expectation[] = [];
  const lines = text.split('\n');
  lines.forEach((content, index) => {
    const line = index + 1;
    for (const m of content.matchAll(DIRECTIVE)) {
      const [, kind, rule, offset, body] = m;
      const target = offset === undefined ? line : /^[+-]/.test(offset) ? line + Number(offset) : Number(offset);
      expectations.push({
        kind: kind as Expectation['kind'],
        ...(kind === 'warning' ? { rule: rule ?? defaultRule } : {}),
        file,
        line: target,
        text: body!,
        at: `${file}:${line}`,
      });
    }
  });
  return { expectations, noDiagnostics: /expected-no-diagnostics/.test(text) };
}

/** The mismatches between findings and expectations, as readable lines; empty when they agree. */
export function verify(findings: readonly Finding[], expectations: readonly Expectation[]): string[] {
  const problems: string[] = [];
  const unmatched = new Set(findings);
  for (const e of expectations.filter((x) => x.kind === 'warning')) {
    const match = [...unmatched].find((f) => f.file === e.file && f.line === e.line && f.rule === e.rule && f.message.includes(e.text));
    if (match) unmatched.delete(match);
    else {
      const near = findings.filter((f) => f.file === e.file && f.line === e.line).map((f) => `[${f.rule}] ${f.message}`);
      problems.push(`${e.at}: expected ${e.rule} warning at line ${e.line} containing "${e.text}"; got ${near.length ? near.join(' | ') : 'none there'}`);
    }
  }
  for (const f of unmatched) problems.push(`${f.file}:${f.line}:${f.column}: unexpected [${f.rule}] ${f.message}`);
  for (const e of expectations.filter((x) => x.kind === 'note')) {
    const ok = findings.some((f) => f.path.some((p) => p.file === e.file && p.line === e.line && p.message.includes(e.text)));
    if (!ok) problems.push(`${e.at}: expected a path note at ${e.file}:${e.line} containing "${e.text}"`);
  }
  for (const e of expectations.filter((x) => x.kind === 'fix')) {
    const ok = findings.some((f) => f.file === e.file && f.line === e.line && f.fixes.some((x) => x.title.includes(e.text)));
    if (!ok) problems.push(`${e.at}: expected a fix at line ${e.line} titled with "${e.text}"`);
  }
  return problems;
}
