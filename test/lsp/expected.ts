/**
 * What kpath reports on the fixtures of test/lsp/fixtures/ws, written out once for the LSP tests
 * and the Neovim test. Ranges are LSP's (0-based).
 */
export const ZAP_MESSAGE =
  "pte_offset() may block (persistent kmap, PAGETABLE serie) while 'mm->page_table_lock' is held (taken at mm/zap.c:10)";

export const ZAP_RANGE = { start: { line: 10, character: 7 }, end: { line: 10, character: 28 } };

/** The finding's path in mm/zap.c as related information, `uri` being zap.c's. */
export const zapRelated = (uri: string) => [
  {
    location: { uri, range: { start: { line: 9, character: 1 }, end: { line: 9, character: 32 } } },
    message: "'mm->page_table_lock' taken by spin_lock()",
  },
  { location: { uri, range: ZAP_RANGE }, message: 'pte_offset() may block (persistent kmap, PAGETABLE serie)' },
];

export const COPY_MESSAGE =
  "kmap() may block (persistent kmap, DEFAULT serie) while 'dst->page_table_lock' is held (taken by caller dup_mm at kernel/fork.c:10)";

export const COPY_RANGE = { start: { line: 9, character: 6 }, end: { line: 9, character: 16 } };

export const copyRelated = (forkUri: string, copyUri: string) => [
  {
    location: { uri: forkUri, range: { start: { line: 9, character: 1 }, end: { line: 9, character: 32 } } },
    message: "'mm->page_table_lock' taken by spin_lock()",
  },
  {
    location: { uri: forkUri, range: { start: { line: 10, character: 7 }, end: { line: 10, character: 31 } } },
    message: 'dup_mm() calls copy_range()',
  },
  { location: { uri: copyUri, range: COPY_RANGE }, message: 'kmap() may block (persistent kmap, DEFAULT serie)' },
];
