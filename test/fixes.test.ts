/** The text a fix produces, for the fixes that edit more than a name. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CParser, analyzeSources, createCParser } from '../server/src/engine/index';
import { readGrammarBinaries } from '../server/src/host/grammars';
import { applyEdits } from './edits';

let parser: CParser;
beforeAll(async () => {
  parser = await createCParser(readGrammarBinaries());
});

function fixed(fixture: string, line: number, title: string): string {
  const text = readFileSync(join(__dirname, 'fixtures', fixture), 'utf8');
  const { findings } = analyzeSources(parser, [{ file: 'f.c', text }]);
  const fix = findings.find((f) => f.line === line)?.fixes.find((x) => x.title.startsWith(title));
  if (!fix) throw new Error(`no fix "${title}" at line ${line}: ${findings.map((f) => `${f.line}: ${f.fixes.map((x) => x.title)}`).join('; ')}`);
  return applyEdits(text, fix.edits);
}

const lineOf = (text: string, n: number) => text.split('\n')[n - 1]!.replace(/\s*\/\/.*$/, '').trim();

describe('fixes', () => {
  it('pte_offset -> pte_offset_atomic, released by the same pte_kunmap', () => {
    const text = fixed('sleep-in-atomic/swap-out.c', 7, 'Use pte_offset_atomic()');
    expect(lineOf(text, 7)).toBe('pte = pte_offset_atomic(dir, address);');
    expect(lineOf(text, 14)).toBe('pte_kunmap(pte - 1);');
  });

  it('pte_offset -> pte_offset_under_lock with the mm whose page_table_lock is the one lock held', () => {
    const text = fixed('sleep-in-atomic/swap-out.c', 7, 'Use pte_offset_under_lock()');
    expect(lineOf(text, 7)).toBe('pte = pte_offset_under_lock(dir, address, mm);');
  });

  it('kmap/kunmap -> kmap_local_page/kunmap_local, both ends', () => {
    const text = fixed('sleep-in-atomic/kmap-under-lock.c', 7, 'Use kmap_local_page()');
    expect([lineOf(text, 7), lineOf(text, 9)]).toEqual(['addr = kmap_local_page(page);', 'kunmap_local(addr);']);
  });

  it('GFP_KERNEL -> GFP_ATOMIC in the flagged allocation only', () => {
    const text = fixed('sleep-in-atomic/gfp.c', 7, 'Allocate with GFP_ATOMIC');
    expect(lineOf(text, 7)).toBe('f = kmalloc(sizeof(*f), GFP_ATOMIC);');
    expect(lineOf(text, 8)).toBe('g = kzalloc(sizeof(*g), GFP_ATOMIC | __GFP_NOWARN);');
  });

  it('a suppression with a reason to write, in front of the call', () => {
    const text = fixed('sleep-in-atomic/gfp.c', 7, 'Suppress sleep-in-atomic');
    expect(lineOf(text, 7)).toBe('f = /* kpath: ignore sleep-in-atomic: explain why this cannot happen here */ kmalloc(sizeof(*f), GFP_KERNEL);');
  });
});
