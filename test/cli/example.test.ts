/**
 * The bundled example tree: `kpath check examples/pte-highmem-5` (what `npm start` runs) reports
 * exactly the findings its README lists, and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCliBundles, kpath, REPO } from './spawn';

const EXAMPLE = 'examples/pte-highmem-5';

interface Expected {
  file: string;
  line: number;
  rule: string;
  /** Replacement texts the README promises as fixes ("fix: `pte_offset_atomic2()`"). */
  fixes: string[];
}

/** The rows of the README's "Expected findings" table: | `file:line` | `rule` | why | */
function readmeExpectations(): { findings: Expected[]; count: number; files: number } {
  const text = readFileSync(join(REPO, EXAMPLE, 'README.md'), 'utf8');
  const section = text.slice(text.indexOf('## Expected findings'));
  const findings = [...section.matchAll(/^\| `([^`:]+):(\d+)` \| `([a-z-]+)` \|(.*)$/gm)].map((m) => ({
    file: `${EXAMPLE}/${m[1]}`,
    line: Number(m[2]),
    rule: m[3],
    fixes: [.../fix(?:es)?: (.*)$/.exec(m[4])?.[1].matchAll(/`([^`]+?)(?:\(\))?`/g) ?? []].map((f) => f[1]),
  }));
  const total = /^(\d+) findings in (\d+) files/m.exec(section);
  if (!total) throw new Error('README: no "N findings in M files" line');
  return { findings, count: Number(total[1]), files: Number(total[2]) };
}

const key = (e: { file: string; line: number; rule: string }) => `${e.file}:${e.line} ${e.rule}`;

beforeAll(async () => {
  await buildCliBundles();
}, 120_000);

describe('examples/pte-highmem-5', () => {
  const expected = readmeExpectations();

  it('the README lists its findings', () => {
    expect(expected.findings.length).toBe(expected.count);
    expect(expected.count).toBeGreaterThan(0);
  });

  it('kpath check --format json reports exactly the README list', () => {
    const r = kpath(['check', '--format', 'json', EXAMPLE]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const doc = JSON.parse(r.stdout) as { findings: { file: string; line: number; rule: string }[]; errors: unknown[] };
    expect(doc.errors).toEqual([]);
    expect(doc.findings.map(key)).toEqual(expected.findings.map(key));
  });

  it('offers the fixes the README names', () => {
    const doc = JSON.parse(kpath(['check', '--format', 'json', EXAMPLE]).stdout) as {
      findings: { file: string; line: number; rule: string; fixes: { edits: { newText: string }[] }[] }[];
    };
    const promised = expected.findings.filter((e) => e.fixes.length > 0);
    expect(promised.map(key)).toEqual([
      `${EXAMPLE}/mm/memory.c:43 sleep-in-atomic`,
      `${EXAMPLE}/mm/vmscan.c:18 sleep-in-atomic`,
      `${EXAMPLE}/modern/foo_cache.c:24 sleep-in-atomic`,
    ]);
    for (const e of promised) {
      const finding = doc.findings.find((f) => key(f) === key(e))!;
      const offered = finding.fixes.flatMap((fix) => fix.edits.map((edit) => edit.newText));
      for (const name of e.fixes) expect(offered, key(e)).toContain(name);
    }
  });

  it('npm start prints the same findings and the README summary, and succeeds', () => {
    const r = spawnSync('npm', ['start', '--silent'], { cwd: REPO, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' } });
    expect(r.status).toBe(0);
    const findingLines = r.stdout.split('\n').filter((l) => / (warning|error|info|hint): .* \[[a-z-]+\]$/.test(l));
    expect(findingLines.map((l) => l.replace(/^([^:]+):(\d+):\d+: \w+: .* \[([a-z-]+)\]$/, '$1:$2 $3'))).toEqual(expected.findings.map(key));
    const summary = r.stdout.trimEnd().split('\n').at(-1);
    expect(summary).toMatch(new RegExp(`^${expected.count} findings \\(.*\\) in ${expected.files} files$`));
  });

  it("the top-level README's sample of npm start output is what npm start prints", () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const block = /npm start` checks[\s\S]*?```\n([\s\S]*?)```/.exec(readme);
    expect(block).not.toBeNull();
    const sample = block![1].split('\n').filter((l) => l !== '' && l !== '...');
    const output = kpath(['check', EXAMPLE]).stdout.split('\n');
    expect(sample.length).toBeGreaterThan(3);
    for (const line of sample) expect(output).toContain(line);
    expect(sample.at(-1)).toBe(output.filter((l) => l !== '').at(-1));
  });

  it('the text sample of docs/cli.md is what kpath prints', () => {
    const doc = readFileSync(join(REPO, 'docs', 'cli.md'), 'utf8');
    const m = /```\n\$ cd examples\/pte-highmem-5 && kpath check ([^\n]+)\n([\s\S]*?)```/.exec(doc);
    expect(m).not.toBeNull();
    const r = kpath(['check', ...m![1].split(' ')], { cwd: join(REPO, EXAMPLE) });
    expect(r.stdout).toBe(m![2]);
  });
});
