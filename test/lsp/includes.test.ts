/**
 * The language server follows `#include` as `kpath check` does: headers outside the selected files
 * (here `include/`, with only `drivers/**` selected) are read and analysed on demand, so that a
 * `static inline` helper that sleeps is known where a selected file calls it under a spinlock.
 * test/lsp/fixtures/tree is a kernel tree in miniature (a Makefile and include/linux/).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { buildServer, LspClient, uriOf } from './harness';

const FIXTURES = join(__dirname, 'fixtures', 'tree');
const SELECTED = { debounceMs: 0, include: ['drivers/**'] };

let root: string;
let client: LspClient | undefined;
const path = (rel: string) => join(root, rel);
const uri = (rel: string) => uriOf(path(rel));

beforeAll(buildServer);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kpath-lsp-tree-'));
  cpSync(FIXTURES, root, { recursive: true });
});

afterEach(async () => {
  await client?.stop().catch(() => client?.kill());
  client = undefined;
  rmSync(root, { recursive: true, force: true });
});

const messages = (p: { diagnostics: { range: { start: { line: number } }; message: string }[] }) =>
  p.diagnostics.map((d) => `${d.range.start.line + 1}: ${d.message}`);

test('a helper in a header outside the selection is analysed where a selected file calls it', async () => {
  client = await LspClient.start({ root, settings: SELECTED });
  await client.workspaceAnalysed();
  const header = await client.waitForDiagnostics(uri('include/linux/settle.h'), (p) => p.diagnostics.length > 0);
  expect(messages(header)).toEqual(["6: mutex_lock() may sleep (mutex) while 'd->lock' is held (taken by caller bar_reset at drivers/foo/bar.c:3)"]);
  expect(client.logs.filter((l) => l.startsWith('kpath: followed'))).toEqual([
    'kpath: followed #include to 1 header outside the selection (0 from the IR cache, 0 includes unresolved)',
  ]);
});

test('without following includes (.kpath.json) the helper is unknown and nothing is reported', async () => {
  writeFileSync(path('.kpath.json'), JSON.stringify({ includes: { follow: false } }));
  client = await LspClient.start({ root, settings: SELECTED });
  await client.workspaceAnalysed();
  expect(client.logs.filter((l) => l.startsWith('kpath: followed'))).toEqual([]);
  expect(client.diagnostics.filter((d) => d.diagnostics.length > 0)).toEqual([]);
});

test('an #include typed into an open document reads the header it names', async () => {
  client = await LspClient.start({ root, settings: SELECTED });
  await client.workspaceAnalysed();
  const baz = uri('drivers/foo/baz.c');
  const text = ['void baz_quiesce(struct foo_dev *d)', '{', '\tspin_lock(&d->lock);', '\tfoo_wait_idle(d);', '\tspin_unlock(&d->lock);', '}', ''].join('\n');
  writeFileSync(path('drivers/foo/baz.c'), text);
  await client.open(baz, text);
  expect((await client.diagnosticsFor(baz, 1)).diagnostics).toEqual([]);
  const since = client.diagnostics.length;
  await client.change(baz, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '#include <linux/wait_more.h>\n' }]);
  const header = await client.waitForDiagnostics(uri('include/linux/wait_more.h'), (p) => p.diagnostics.length > 0, since);
  expect(messages(header)).toEqual([
    "6: wait_event() may sleep (waits for an event) while 'd->lock' is held (taken by caller baz_quiesce at drivers/foo/baz.c:4)",
  ]);
  expect(readFileSync(path('include/linux/wait_more.h'), 'utf8')).toContain('foo_wait_idle');
});
