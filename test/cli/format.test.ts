/** The three output formats on hand-made findings: exact text, exact JSON, valid and exact SARIF. */
import { describe, expect, it } from 'vitest';
import { formatJson } from '../../server/src/cli/format-json';
import { formatSarif, sarifDocument } from '../../server/src/cli/format-sarif';
import { formatText, rootLines, summaryLine } from '../../server/src/cli/format-text';
import { buildReport } from '../../server/src/cli/report';
import { RULE_IDS, ruleById, type Finding } from '../../server/src/engine/index';
import { binaryError, forkFinding, leakFinding, report } from './fixtures';
import { validateSarif } from './sarif-essentials';

describe('text format', () => {
  it('prints a finding, its path as gcc-style notes, its fixes, errors and a summary', () => {
    const out = formatText(report([forkFinding, leakFinding], [binaryError], 3), { color: false, quiet: false });
    expect(out).toBe(
      [
        "mm/memory.c:43:13: warning: pte_offset2() may block (persistent kmap, PAGETABLE2 serie) while 'dst->page_table_lock' is held (taken by caller dup_mmap at kernel/fork.c:26) [sleep-in-atomic]",
        "kernel/fork.c:26:3: note: 'mm->page_table_lock' taken here",
        "kernel/fork.c:27:12: note: copy_page_range() called with it held (there: 'dst->page_table_lock')",
        '  fix: Use pte_offset_atomic2() (never blocks; still released by pte_kunmap())',
        '  fix: Suppress: /* kpath: ignore sleep-in-atomic: <reason> */',
        "drivers/my dev/foo.c:26:3: error: the kmap of 'page' (DEFAULT serie) is not released on this return [kmap-leak]",
        'drivers/blob.c: error: binary file (NUL byte at offset 4)',
        '2 findings (1 kmap-leak, 1 sleep-in-atomic) in 3 files; 1 file with errors',
        '',
      ].join('\n'),
    );
  });

  it('keeps the last path event when it is not where the finding is reported', () => {
    const moved: Finding = { ...forkFinding, line: 44, path: forkFinding.path, fixes: [] };
    const lines = formatText(report([moved]), { color: false, quiet: false }).split('\n');
    expect(lines[3]).toBe('mm/memory.c:43:13: note: pte_offset2() blocks when the PAGETABLE2 pool is empty');
  });

  it('--quiet prints only finding and error lines', () => {
    const out = formatText(report([forkFinding], [binaryError]), { color: false, quiet: true });
    expect(out.split('\n')).toEqual([
      "mm/memory.c:43:13: warning: pte_offset2() may block (persistent kmap, PAGETABLE2 serie) while 'dst->page_table_lock' is held (taken by caller dup_mmap at kernel/fork.c:26) [sleep-in-atomic]",
      'drivers/blob.c: error: binary file (NUL byte at offset 4)',
      '',
    ]);
  });

  it('colours like gcc when asked', () => {
    const out = formatText(report([{ ...forkFinding, path: forkFinding.path.slice(0, 1), fixes: forkFinding.fixes.slice(0, 1) }]), {
      color: true,
      quiet: true,
    });
    expect(out).toBe(
      "\x1b[1mmm/memory.c:43:13:\x1b[0m \x1b[1;35mwarning:\x1b[0m pte_offset2() may block (persistent kmap, PAGETABLE2 serie) while 'dst->page_table_lock' is held (taken by caller dup_mmap at kernel/fork.c:26) \x1b[1;35m[sleep-in-atomic]\x1b[0m\n",
    );
    const full = formatText(report([{ ...forkFinding, path: forkFinding.path.slice(0, 1), fixes: forkFinding.fixes.slice(0, 1) }]), {
      color: true,
      quiet: false,
    }).split('\n');
    expect(full[1]).toBe("\x1b[1mkernel/fork.c:26:3:\x1b[0m \x1b[1;36mnote:\x1b[0m 'mm->page_table_lock' taken here");
    expect(full[2]).toBe('  \x1b[32mfix:\x1b[0m Use pte_offset_atomic2() (never blocks; still released by pte_kunmap())');
  });

  it('summarises counts by rule, most frequent first, with singular and plural', () => {
    const three = [forkFinding, { ...forkFinding, line: 50 }, { ...forkFinding, rule: 'kmap-serie-reentry' as const }];
    expect(summaryLine(report(three, [], 4))).toBe('3 findings (2 sleep-in-atomic, 1 kmap-serie-reentry) from 2 places in 4 files\n');
    expect(summaryLine(report([forkFinding, leakFinding], [], 4))).toBe('2 findings (1 kmap-leak, 1 sleep-in-atomic) in 4 files\n');
    expect(summaryLine(report([], [], 1))).toBe('no findings in 1 file\n');
    expect(summaryLine(report([leakFinding], [binaryError, { ...binaryError, message: 'other' }, { file: 'b.c', message: 'x' }], 5))).toBe(
      '1 finding (1 kmap-leak) in 5 files; 2 files with errors\n',
    );
  });
});

describe('places where several findings start', () => {
  const lockedAt = (line: number): Finding => ({ ...forkFinding, path: [{ ...forkFinding.path[0], line }, ...forkFinding.path.slice(1)] });

  it('names each place with its count, most first, then by location, for rules apart', () => {
    const findings = [lockedAt(30), lockedAt(26), lockedAt(30), lockedAt(30), lockedAt(26), lockedAt(40), { ...lockedAt(40), rule: 'lock-imbalance' as const }];
    const out = formatText(report(findings), { color: false, quiet: false }).split('\n');
    expect(out.slice(-4)).toEqual([
      "kernel/fork.c:30:3: note: 3 findings start here: 'mm->page_table_lock' taken here [sleep-in-atomic]",
      "kernel/fork.c:26:3: note: 2 findings start here: 'mm->page_table_lock' taken here [sleep-in-atomic]",
      '7 findings (6 sleep-in-atomic, 1 lock-imbalance) from 4 places in 3 files',
      '',
    ]);
    expect(formatText(report(findings), { color: false, quiet: true })).not.toContain('start here');
  });

  it('shows ten places and counts the others', () => {
    const findings = Array.from({ length: 12 }, (_, i) => [lockedAt(100 + i), lockedAt(100 + i)]).flat();
    const lines = rootLines(report(findings), { color: false, quiet: false }).split('\n');
    expect(lines).toHaveLength(12);
    expect(lines[9]).toBe("kernel/fork.c:109:3: note: 2 findings start here: 'mm->page_table_lock' taken here [sleep-in-atomic]");
    expect(lines[10]).toBe('... and 2 other places where several findings start');
    expect(rootLines(report([forkFinding, leakFinding]), { color: false, quiet: false })).toBe('');
  });
});

describe('report', () => {
  const a = { ...forkFinding, file: 'b.c', line: 2, column: 5 };
  const b = { ...forkFinding, file: 'a.c', line: 9, column: 1, rule: 'kmap-leak' as const };
  const c = { ...forkFinding, file: 'b.c', line: 2, column: 1, rule: 'lock-imbalance' as const };

  it('sorts by file, line and column', () => {
    const r = buildReport([a, b, c], [], { rules: [], disabled: [] }, 2);
    expect(r.findings.map((f) => `${f.file}:${f.line}:${f.column}`)).toEqual(['a.c:9:1', 'b.c:2:1', 'b.c:2:5']);
  });

  it('keeps only --rule rules, drops --disable rules and rules the configuration turns off', () => {
    const only = buildReport([a, b, c], [], { rules: ['kmap-leak', 'lock-imbalance'], disabled: ['lock-imbalance'] }, 2);
    expect(only.findings.map((f) => f.rule)).toEqual(['kmap-leak']);
    const off = buildReport([a, b, c], [], { rules: [], disabled: [], severity: { 'kmap-leak': 'off', 'lock-imbalance': 'error' } }, 2);
    expect(off.findings.map((f) => f.rule)).toEqual(['lock-imbalance', 'sleep-in-atomic']);
  });
});

describe('json format', () => {
  it('has exactly the documented shape, path details kept', () => {
    const doc = JSON.parse(formatJson(report([forkFinding, leakFinding], [binaryError])));
    expect(doc).toEqual({
      version: 1,
      findings: [
        {
          rule: 'sleep-in-atomic',
          severity: 'warning',
          message: forkFinding.message,
          file: 'mm/memory.c',
          line: 43,
          column: 13,
          endLine: 43,
          endColumn: 41,
          path: [
            {
              file: 'kernel/fork.c',
              line: 26,
              column: 3,
              message: "'mm->page_table_lock' taken here",
              endLine: 26,
              endColumn: 34,
              kind: 'lock',
              function: 'dup_mmap',
              lock: 'mm->page_table_lock',
            },
            {
              file: 'kernel/fork.c',
              line: 27,
              column: 12,
              message: "copy_page_range() called with it held (there: 'dst->page_table_lock')",
              endLine: 27,
              endColumn: 45,
              kind: 'call',
              function: 'dup_mmap',
              callee: 'copy_page_range',
            },
            {
              file: 'mm/memory.c',
              line: 43,
              column: 13,
              message: 'pte_offset2() blocks when the PAGETABLE2 pool is empty',
              endLine: 43,
              endColumn: 41,
              kind: 'sleep',
              function: 'copy_page_range',
              callee: 'pte_offset2',
              blocksOnSerie: 'PAGETABLE2',
            },
          ],
          fixes: [
            {
              title: 'Use pte_offset_atomic2() (never blocks; still released by pte_kunmap())',
              edits: [{ file: 'mm/memory.c', line: 43, column: 13, endLine: 43, endColumn: 24, newText: 'pte_offset_atomic2' }],
            },
            {
              title: 'Suppress: /* kpath: ignore sleep-in-atomic: <reason> */',
              edits: [
                { file: 'mm/memory.c', line: 43, column: 1, endLine: 43, endColumn: 1, newText: '\t\t/* kpath: ignore sleep-in-atomic: <reason> */\n' },
              ],
            },
          ],
        },
        {
          rule: 'kmap-leak',
          severity: 'error',
          message: leakFinding.message,
          file: 'drivers/my dev/foo.c',
          line: 26,
          column: 3,
          endLine: 26,
          endColumn: 18,
          path: [],
          fixes: [],
        },
      ],
      errors: [{ file: 'drivers/blob.c', message: 'binary file (NUL byte at offset 4)' }],
    });
  });

  it('puts the top-level keys of a finding in the documented order', () => {
    const doc = JSON.parse(formatJson(report([forkFinding])));
    expect(Object.keys(doc)).toEqual(['version', 'findings', 'errors']);
    expect(Object.keys(doc.findings[0])).toEqual(['rule', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'path', 'fixes']);
  });

  it('gives a finding that stands for others of its cause their number, in json and in sarif', () => {
    const doc = JSON.parse(formatJson(report([{ ...forkFinding, more: 63 }])));
    expect(Object.keys(doc.findings[0])).toEqual(['rule', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'path', 'more', 'fixes']);
    expect(doc.findings[0].more).toBe(63);
    const sarif = JSON.parse(formatSarif(report([{ ...forkFinding, more: 63 }, leakFinding]), { cwd: '/work' }));
    expect(sarif.runs[0].results.map((r: { properties?: unknown }) => r.properties)).toEqual([{ more: 63 }, undefined]);
  });
});

describe('sarif format', () => {
  const cwd = '/src/linux';
  const doc = JSON.parse(formatSarif(report([forkFinding, leakFinding, { ...leakFinding, file: '/elsewhere/x.c' }], [binaryError]), { cwd }));
  const run = doc.runs[0];

  it('is valid against the essentials of the SARIF 2.1.0 schema', () => {
    expect(validateSarif(doc)).toEqual([]);
  });

  it('the validator itself rejects what the schema rejects', () => {
    const broken = structuredClone(doc);
    delete broken.runs[0].tool.driver.name;
    broken.runs[0].results[0].level = 'warn';
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    broken.runs[0].results[0].codeFlows[0].threadFlows[0].locations = [];
    broken.runs[0].results[1].extra = true;
    broken.runs[0].results[1].ruleIndex = 0;
    expect(validateSarif(broken)).toEqual([
      "$.runs[0].tool.driver: missing required property 'name'",
      '$.runs[0].results[0].level: expected one of none, note, warning, error',
      '$.runs[0].results[0].locations[0].physicalLocation.region.startLine: expected an integer >= 1',
      '$.runs[0].results[0].codeFlows[0].threadFlows[0].locations: expected at least 1 item(s)',
      "$.runs[0].results[1]: property 'extra' is not allowed",
      "$.runs[0].results[1].ruleIndex: does not point at rule 'kmap-leak'",
    ]);
  });

  it('describes every rule with a link to its doc', () => {
    expect(run.tool.driver.name).toBe('kpath');
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual([...RULE_IDS]);
    expect(run.tool.driver.rules[0].helpUri).toMatch(/^https:\/\/.+\/docs\/rules\/sleep-in-atomic\.md$/);
    // The one-line summary each rule documents about itself.
    expect(run.tool.driver.rules.map((r: any) => r.shortDescription.text)).toEqual(RULE_IDS.map((id) => ruleById(id).doc.summary));
    expect(run.tool.driver.rules[0].shortDescription.text).toBe(
      'A call that may block or sleep runs while a spinlock is held or in another atomic context.',
    );
    expect(run.tool.driver.rules[0].defaultConfiguration).toEqual({ level: 'warning' });
    const doc = ruleById('kmap-serie-reentry').doc;
    expect(run.tool.driver.rules[1].fullDescription).toEqual({ text: doc.what });
    expect(run.tool.driver.rules[1].help).toEqual({
      text: `${doc.what}\n\nWhy: ${doc.why}\n\nExample:\n${doc.example}\n\nFix: ${doc.fix}`,
      markdown: `${doc.what}\n\n**Why.** ${doc.why}\n\n**Example**\n\n\`\`\`c\n${doc.example}\n\`\`\`\n\n**Fix.** ${doc.fix}`,
    });
  });

  it('puts the location, path and fixes of a finding where code scanning reads them', () => {
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///src/linux/' } });
    expect(run.columnKind).toBe('utf16CodeUnits');
    const fork = run.results[0];
    expect(fork.ruleId).toBe('sleep-in-atomic');
    expect(fork.ruleIndex).toBe(0);
    expect(fork.level).toBe('warning');
    expect(fork.message.text).toBe(forkFinding.message);
    expect(fork.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: { uri: 'mm/memory.c', uriBaseId: '%SRCROOT%' },
          region: { startLine: 43, startColumn: 13, endLine: 43, endColumn: 41 },
        },
      },
    ]);
    const steps = fork.codeFlows[0].threadFlows[0].locations;
    expect(steps.map((s: any) => [s.location.physicalLocation.artifactLocation.uri, s.location.physicalLocation.region.startLine, s.location.message.text, s.kinds])).toEqual([
      ['kernel/fork.c', 26, "'mm->page_table_lock' taken here", ['acquire', 'lock']],
      ['kernel/fork.c', 27, "copy_page_range() called with it held (there: 'dst->page_table_lock')", ['call', 'function']],
      ['mm/memory.c', 43, 'pte_offset2() blocks when the PAGETABLE2 pool is empty', ['danger']],
    ]);
    expect(fork.fixes[0]).toEqual({
      description: { text: 'Use pte_offset_atomic2() (never blocks; still released by pte_kunmap())' },
      artifactChanges: [
        {
          artifactLocation: { uri: 'mm/memory.c', uriBaseId: '%SRCROOT%' },
          replacements: [
            { deletedRegion: { startLine: 43, startColumn: 13, endLine: 43, endColumn: 24 }, insertedContent: { text: 'pte_offset_atomic2' } },
          ],
        },
      ],
    });
  });

  it('maps severities to levels, encodes URIs, uses file URIs outside the current directory', () => {
    const leak = run.results[1];
    expect(leak.level).toBe('error');
    expect(leak.codeFlows).toBeUndefined();
    expect(leak.fixes).toBeUndefined();
    expect(leak.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'drivers/my%20dev/foo.c', uriBaseId: '%SRCROOT%' });
    expect(run.results[2].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'file:///elsewhere/x.c' });
    const info = sarifDocument(report([{ ...leakFinding, severity: 'info' }]), { cwd }).runs[0].results[0] as { level: string };
    expect(info.level).toBe('note');
  });

  it('reports input errors as failed execution notifications', () => {
    expect(run.invocations).toEqual([
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          {
            level: 'error',
            message: { text: 'binary file (NUL byte at offset 4)' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'drivers/blob.c', uriBaseId: '%SRCROOT%' } } }],
          },
        ],
      },
    ]);
  });
});
