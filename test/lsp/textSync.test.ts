import { beforeAll, describe, expect, test } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createCParser, type CParser } from '../../server/src/engine/syntax/parser';
import { readGrammarBinaries } from '../../server/src/host/grammars';
import { endOfInsertion, RecordingTextDocuments, treeEditFor } from '../../server/src/lsp/textSync';
import { DocumentTrees } from '../../server/src/lsp/trees';

const SOURCE = [
  'static int f(struct mm_struct *mm)',
  '{',
  '\tspin_lock(&mm->page_table_lock);',
  '\tpte = pte_offset(pmd, addr); /* é😀 */',
  '\tspin_unlock(&mm->page_table_lock);',
  '\treturn 0;',
  '}',
  '',
].join('\n');

let parser: CParser;
beforeAll(async () => {
  parser = await createCParser(readGrammarBinaries());
});

describe('treeEditFor', () => {
  test('a ranged insertion after non-BMP characters counts UTF-16 units', () => {
    const doc = TextDocument.create('file:///a.c', 'c', 1, SOURCE);
    const edit = treeEditFor(doc, { range: { start: { line: 3, character: 38 }, end: { line: 3, character: 38 } }, text: 'x\ny' });
    const start = doc.offsetAt({ line: 3, character: 38 });
    expect(edit).toEqual({
      startIndex: start,
      oldEndIndex: start,
      newEndIndex: start + 3,
      startPosition: { row: 3, column: 38 },
      oldEndPosition: { row: 3, column: 38 },
      newEndPosition: { row: 4, column: 1 },
    });
  });

  test('a full-text change becomes the edit between common prefix and suffix', () => {
    const doc = TextDocument.create('file:///a.c', 'c', 1, 'abc\ndef\n');
    expect(treeEditFor(doc, { text: 'abc\ndXYf\n' })).toEqual({
      startIndex: 5,
      oldEndIndex: 6,
      newEndIndex: 7,
      startPosition: { row: 1, column: 1 },
      oldEndPosition: { row: 1, column: 2 },
      newEndPosition: { row: 1, column: 3 },
    });
  });

  test('endOfInsertion counts \\r\\n once', () => {
    expect(endOfInsertion({ row: 2, column: 5 }, 'ab\r\ncd')).toEqual({ row: 3, column: 2 });
    expect(endOfInsertion({ row: 2, column: 5 }, 'ab')).toEqual({ row: 2, column: 7 });
  });
});

describe('incremental reparse', () => {
  /** Applies `changes` through the recording documents and compares the incremental tree with a fresh parse. */
  function check(changes: Parameters<typeof TextDocument.update>[1][]) {
    const docs = new RecordingTextDocuments();
    // The documents' configuration is private API of TextDocuments; drive it as the connection would.
    const config = (docs as unknown as { _configuration: { create: typeof TextDocument.create; update: typeof TextDocument.update } })._configuration;
    let doc = config.create('file:///a.c', 'c', 1, SOURCE);
    const trees = new DocumentTrees(parser, 2);
    trees.parse(doc.uri, doc.getText(), 1, docs.takeEdits(doc.uri));
    let version = 1;
    for (const batch of changes) {
      doc = config.update(doc, batch, ++version);
      const tree = trees.parse(doc.uri, doc.getText(), version, docs.takeEdits(doc.uri));
      const fresh = parser.parse(doc.getText());
      expect(tree.rootNode.toString()).toBe(fresh.rootNode.toString());
      expect(tree.rootNode.text).toBe(doc.getText());
      fresh.delete();
    }
    trees.dispose();
    return doc.getText();
  }

  test('several edits in one notification and across notifications give the fresh parse', () => {
    const text = check([
      [
        { range: { start: { line: 3, character: 7 }, end: { line: 3, character: 17 } }, text: 'pte_offset_atomic' },
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '/* new */\n' },
      ],
      [{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: '\tkmap(page);\n' }],
      [{ range: { start: { line: 4, character: 40 }, end: { line: 5, character: 0 } }, text: ' x ' }],
      [{ text: SOURCE.replace('return 0;', 'return -1;') }],
    ]);
    expect(text).toBe(SOURCE.replace('return 0;', 'return -1;'));
  });

  test('an evicted tree is parsed from scratch', () => {
    const trees = new DocumentTrees(parser, 1);
    trees.parse('file:///a.c', 'int a;', 1, undefined);
    trees.parse('file:///b.c', 'int b;', 1, undefined);
    expect(trees.has('file:///a.c')).toBe(false);
    const tree = trees.parse('file:///a.c', 'int a2;', 2, [{ startIndex: 5, oldEndIndex: 5, newEndIndex: 6, startPosition: { row: 0, column: 5 }, oldEndPosition: { row: 0, column: 5 }, newEndPosition: { row: 0, column: 6 } }]);
    expect(tree.rootNode.text).toBe('int a2;');
    expect(trees.has('file:///b.c')).toBe(false);
    trees.dispose();
  });
});
