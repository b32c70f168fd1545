/**
 * Incremental text sync that remembers what changed. `TextDocuments` applies LSP content changes
 * to its documents but keeps no record of them; tree-sitter's incremental reparse needs exactly
 * that record (`tree.edit()` per change, in order). `createRecordingTextDocuments` hooks the
 * documents' `update` and turns every change into a `TreeEdit` before applying it.
 *
 * LSP positions and web-tree-sitter's indexes and columns are both UTF-16 code units, so the
 * conversion is arithmetic only (no byte counting).
 */
import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { TreeEdit } from '../engine/syntax/parser';

/** A point as web-tree-sitter wants it: 0-based row, UTF-16 column. */
interface Point {
  row: number;
  column: number;
}

/** Where `text`, inserted at `start`, ends. */
export function endOfInsertion(start: Point, text: string): Point {
  let row = start.row;
  let lastBreak = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // \r\n counts once, lone \r and \n each count (as LSP and tree-sitter agree).
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      row++;
      lastBreak = i;
    }
  }
  return lastBreak < 0 ? { row, column: start.column + text.length } : { row, column: text.length - lastBreak - 1 };
}

/** The position of `offset` in `text` (0-based row, UTF-16 column). */
function pointAt(document: TextDocument, offset: number): Point {
  const p = document.positionAt(offset);
  return { row: p.line, column: p.character };
}

/**
 * The tree edit for one content change, computed against the document *before* the change. A
 * full-text change becomes the smallest edit between the common prefix and suffix, so an editor
 * that sends whole files still gets incremental reparses.
 */
export function treeEditFor(before: TextDocument, change: TextDocumentContentChangeEvent): TreeEdit {
  if ('range' in change) {
    const startIndex = before.offsetAt(change.range.start);
    const oldEndIndex = before.offsetAt(change.range.end);
    const startPosition = pointAt(before, startIndex);
    return {
      startIndex,
      oldEndIndex,
      newEndIndex: startIndex + change.text.length,
      startPosition,
      oldEndPosition: pointAt(before, oldEndIndex),
      newEndPosition: endOfInsertion(startPosition, change.text),
    };
  }
  const oldText = before.getText();
  const newText = change.text;
  let prefix = 0;
  const shorter = Math.min(oldText.length, newText.length);
  while (prefix < shorter && oldText.charCodeAt(prefix) === newText.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < shorter - prefix &&
    oldText.charCodeAt(oldText.length - 1 - suffix) === newText.charCodeAt(newText.length - 1 - suffix)
  )
    suffix++;
  const startPosition = pointAt(before, prefix);
  return {
    startIndex: prefix,
    oldEndIndex: oldText.length - suffix,
    newEndIndex: newText.length - suffix,
    startPosition,
    oldEndPosition: pointAt(before, oldText.length - suffix),
    newEndPosition: endOfInsertion(startPosition, newText.slice(prefix, newText.length - suffix)),
  };
}

/**
 * Documents that record, per URI, the tree edits not yet applied to that document's tree.
 * `takeEdits(uri)` hands them over (and forgets them); `undefined` means the document was
 * (re)opened since, so its tree must be parsed from scratch.
 */
export class RecordingTextDocuments extends TextDocuments<TextDocument> {
  private readonly pending = new Map<string, TreeEdit[] | undefined>();

  constructor() {
    super({
      create: (uri, languageId, version, content) => {
        this.pending.set(uri, undefined);
        return TextDocument.create(uri, languageId, version, content);
      },
      update: (document, changes, version) => {
        const edits = this.pending.get(document.uri);
        for (const change of changes) {
          const edit = treeEditFor(document, change);
          TextDocument.update(document, [change], version);
          edits?.push(edit);
        }
        return document;
      },
    });
  }

  /** The edits since the last call, in order; `undefined`: parse from scratch. */
  takeEdits(uri: string): TreeEdit[] | undefined {
    const edits = this.pending.get(uri);
    this.pending.set(uri, []);
    return edits;
  }

  /** Forget a closed document's edits. */
  forget(uri: string): void {
    this.pending.delete(uri);
  }
}
