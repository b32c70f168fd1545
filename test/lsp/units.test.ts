import { beforeAll, describe, expect, test } from 'vitest';
import { createCParser, type CParser } from '../../server/src/engine/syntax/parser';
import { readGrammarBinaries } from '../../server/src/host/grammars';
import { rangeOf } from '../../server/src/lsp/convert';
import { FileNames } from '../../server/src/lsp/files';
import { declaratorEnd, headerText } from '../../server/src/lsp/functionHeaders';
import { ruleDocsHref } from '../../server/src/lsp/ruleDocs';

let parser: CParser;
beforeAll(async () => {
  parser = await createCParser(readGrammarBinaries());
});

describe('function headers', () => {
  const source = [
    'static struct page *',
    'follow(struct vm_area_struct *vma,',
    '       unsigned long addr) __must_hold(&vma->vm_mm->page_table_lock)',
    '{',
    '\treturn 0;',
    '}',
    '#ifdef CONFIG_X',
    'int (*pick(int a))(void) { return 0; }',
    '#endif',
  ].join('\n');

  test('the declarator ends after the parameter list and annotations already there, whatever the return type', () => {
    const tree = parser.parse(source);
    expect(declaratorEnd(tree, 'follow')).toEqual({ line: 2, character: 68 });
    expect(declaratorEnd(tree, 'pick')).toEqual({ line: 7, character: 24 });
    expect(declaratorEnd(tree, 'absent')).toBeUndefined();
    tree.delete();
  });

  test('the header text is everything before the body, without whitespace', () => {
    const tree = parser.parse(source);
    expect(headerText(tree, 'follow')).toBe('staticstructpage*follow(structvm_area_struct*vma,unsignedlongaddr)__must_hold(&vma->vm_mm->page_table_lock)');
    tree.delete();
  });
});

describe('names and positions', () => {
  test('files inside the workspace are relative, outside absolute, other schemes kept', () => {
    const names = new FileNames('/src/linux');
    expect(names.fileOf('file:///src/linux/mm/memory.c')).toBe('mm/memory.c');
    expect(names.fileOf('file:///elsewhere/x.c')).toBe('/elsewhere/x.c');
    expect(names.fileOf('untitled:Untitled-1')).toBe('untitled:Untitled-1');
    expect(names.uriOf('mm/memory.c')).toBe('file:///src/linux/mm/memory.c');
    expect(names.uriOf('kernel/fork.c')).toBe('file:///src/linux/kernel/fork.c');
    expect(names.uriOf('untitled:Untitled-1')).toBe('untitled:Untitled-1');
  });

  test('an editor URI comes back exactly as it was sent', () => {
    const names = new FileNames('/src/linux');
    const sent = 'file:///src/linux/drivers/net/a%2Bb.c';
    const file = names.fileOf(sent);
    expect(file).toBe('drivers/net/a+b.c');
    expect(names.uriOf(file)).toBe(sent);
  });

  test('1-based spans become 0-based ranges', () => {
    expect(rangeOf({ line: 11, column: 8, endLine: 11, endColumn: 29 })).toEqual({
      start: { line: 10, character: 7 },
      end: { line: 10, character: 28 },
    });
  });

  test('rule links: the setting, else the shipped docs', () => {
    expect(ruleDocsHref('kmap-leak', 'https://example.org/kpath/rules/')).toBe('https://example.org/kpath/rules/kmap-leak.md');
    expect(ruleDocsHref('kmap-leak', '')).toMatch(/^file:\/\/\/.*\/docs\/rules\/kmap-leak\.md$/);
  });
});
