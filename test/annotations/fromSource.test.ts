/**
 * Annotations read from real C through the parser and the lowerer: the contract between the IR's
 * `header`, `leadingComment` and `comments` and the annotation reader.
 */
import { describe, expect, test } from 'vitest';
import { readGrammarBinaries } from '../../server/src/host/grammars';
import { createCParser } from '../../server/src/engine/syntax/parser';
import { lowerFile } from '../../server/src/engine/lower';
import { fileSuppressions, functionAnnotations } from '../../server/src/engine/annotations/index';
import type { FileIR } from '../../server/src/engine/ir';

async function lower(source: string): Promise<FileIR> {
  const parser = await createCParser(readGrammarBinaries());
  const tree = parser.parse(source);
  try {
    return lowerFile(tree, 'kernel/fork.c');
  } finally {
    tree.delete();
  }
}

const SOURCE = `
/*
 * copy one vm_area from one task to the other. Assumes the page tables
 * already present in the new task to be cleared in the whole range
 * covered by this vma.
 *
 * dst->page_table_lock is held on entry and exit,
 * but may be dropped within pmd_alloc() and pte_alloc().
 */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src,
		    struct vm_area_struct *vma)
{
	return 0;
}

static void zap(struct mm_struct *mm, pmd_t *pmd)
	__must_hold(&mm->page_table_lock)
{
	pte_t *pte = pte_offset(pmd, 0);
	/* kpath: ignore sleep-in-atomic: the PAGETABLE pool is reserved for zap */
	do_work(pte);
	pte_kunmap(pte); // kpath: ignore kunmap-mismatch
}

/* kpath: maps PAGETABLE released-by pte_kunmap */
pte_t *my_pte_map(pmd_t *pmd, unsigned long addr)
{
	return pte_offset(pmd, addr);
}
`;

describe('annotations from lowered C', () => {
  test('the seed comment above copy_page_range', async () => {
    const ir = await lower(SOURCE);
    const f = ir.functions.find((x) => x.name === 'copy_page_range')!;
    expect(functionAnnotations(f).mustHold).toEqual([
      {
        lock: 'dst->page_table_lock',
        text: 'dst->page_table_lock is held on entry',
        source: 'comment',
        class: 'spin',
        ref: { arg: 0, field: 'page_table_lock' },
      },
    ]);
  });
  test('__must_hold after the parameter list', async () => {
    const ir = await lower(SOURCE);
    const f = ir.functions.find((x) => x.name === 'zap')!;
    expect(functionAnnotations(f).mustHold).toEqual([
      { lock: 'mm->page_table_lock', text: '__must_hold(&mm->page_table_lock)', source: 'header', class: 'spin', ref: { arg: 0, field: 'page_table_lock' } },
    ]);
  });
  test('a kpath: maps wrapper', async () => {
    const ir = await lower(SOURCE);
    const f = ir.functions.find((x) => x.name === 'my_pte_map')!;
    expect(functionAnnotations(f).map).toEqual({ kind: 'persistent', serie: 'PAGETABLE', blocks: true, key: 'result', releasedBy: ['pte_kunmap'] });
  });
  test('suppressions and their problems, with the lines of the file', async () => {
    const ir = await lower(SOURCE);
    const { suppressions, problems } = fileSuppressions(ir);
    expect(suppressions.map((s) => ({ rules: s.rules, fromLine: s.fromLine, toLine: s.toLine }))).toEqual([
      { rules: ['sleep-in-atomic'], fromLine: 20, toLine: 21 },
    ]);
    expect(problems).toEqual([
      { file: 'kernel/fork.c', message: "line 22: kpath: ignore kunmap-mismatch: a suppression needs a reason after ':'; not honoured" },
    ]);
  });
});
