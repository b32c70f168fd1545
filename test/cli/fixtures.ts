/**
 * Hand-made findings for the formatter tests: the seed's fork bug (a path through two files with a
 * fix) and a modern one without path or fix, plus an input error. Independent of the engine, so the
 * formats are pinned down exactly whatever the analysis reports.
 */
import type { Finding, InputError } from '../../server/src/engine/index';
import type { Report } from '../../server/src/cli/report';

export const forkFinding: Finding = {
  rule: 'sleep-in-atomic',
  severity: 'warning',
  message:
    "pte_offset2() may block (persistent kmap, PAGETABLE2 serie) while 'dst->page_table_lock' is held (taken by caller dup_mmap at kernel/fork.c:26)",
  function: 'copy_page_range',
  file: 'mm/memory.c',
  line: 43,
  column: 13,
  endLine: 43,
  endColumn: 41,
  path: [
    {
      kind: 'lock',
      file: 'kernel/fork.c',
      line: 26,
      column: 3,
      endLine: 26,
      endColumn: 34,
      function: 'dup_mmap',
      lock: 'mm->page_table_lock',
      message: "'mm->page_table_lock' taken here",
    },
    {
      kind: 'call',
      file: 'kernel/fork.c',
      line: 27,
      column: 12,
      endLine: 27,
      endColumn: 45,
      function: 'dup_mmap',
      callee: 'copy_page_range',
      message: "copy_page_range() called with it held (there: 'dst->page_table_lock')",
    },
    {
      kind: 'sleep',
      file: 'mm/memory.c',
      line: 43,
      column: 13,
      endLine: 43,
      endColumn: 41,
      function: 'copy_page_range',
      callee: 'pte_offset2',
      blocksOnSerie: 'PAGETABLE2',
      message: 'pte_offset2() blocks when the PAGETABLE2 pool is empty',
    },
  ],
  fixes: [
    {
      title: 'Use pte_offset_atomic2() (never blocks; still released by pte_kunmap())',
      edits: [{ file: 'mm/memory.c', line: 43, column: 13, endLine: 43, endColumn: 24, newText: 'pte_offset_atomic2' }],
      preferred: true,
    },
    {
      title: 'Suppress: /* kpath: ignore sleep-in-atomic: <reason> */',
      edits: [{ file: 'mm/memory.c', line: 43, column: 1, endLine: 43, endColumn: 1, newText: '\t\t/* kpath: ignore sleep-in-atomic: <reason> */\n' }],
    },
  ],
};

export const leakFinding: Finding = {
  rule: 'kmap-leak',
  severity: 'error',
  message: "the kmap of 'page' (DEFAULT serie) is not released on this return",
  function: 'foo_fill_page',
  file: 'drivers/my dev/foo.c',
  line: 26,
  column: 3,
  endLine: 26,
  endColumn: 18,
  path: [],
  fixes: [],
};

export const binaryError: InputError = { file: 'drivers/blob.c', message: 'binary file (NUL byte at offset 4)' };

export function report(findings: Finding[], errors: InputError[] = [], filesChecked = 3): Report {
  return { findings, errors, filesChecked };
}
