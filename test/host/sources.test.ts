import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileGlobs } from '../../server/src/host/glob';
import { PathNotFoundError, decodeSource, expandPaths, firstInvalidUtf8, readSourceFile } from '../../server/src/host/sources';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kpath-sources-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, content: string | Uint8Array): string {
  const path = join(root, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
}

describe('expandPaths', () => {
  it('walks a directory recursively for *.c in code point order, independent of creation order', () => {
    write('z.c', '');
    write('b/y.c', '');
    write('a-b.c', '');
    write('a/x.c', '');
    write('a/x.h', '');
    write('B.c', '');
    write('notes.txt', '');
    const { files, errors, ignored } = expandPaths([root]);
    expect(files.map((f) => f.file.slice(root.length + 1))).toEqual(['B.c', 'a-b.c', 'a/x.c', 'b/y.c', 'z.c']);
    expect(errors).toEqual([]);
    expect(ignored).toBe(0);
  });

  it('keeps argument order, reports files as given, lists a file named twice once and accepts an explicit .h', () => {
    const c = write('dir/one.c', 'int a;');
    const h = write('inc/one.h', 'int b;');
    const { files } = expandPaths([h, join(root, 'dir'), c]);
    expect(files).toEqual([
      { file: h, size: 6 },
      { file: join(root, 'dir', 'one.c'), size: 6 },
    ]);
  });

  it('throws PathNotFoundError naming every missing argument', () => {
    const c = write('one.c', '');
    let thrown: unknown;
    try {
      expandPaths([join(root, 'nope'), c, join(root, 'gone.c')]);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(PathNotFoundError);
    expect((thrown as PathNotFoundError).paths).toEqual([join(root, 'nope'), join(root, 'gone.c')]);
    expect((thrown as Error).message).toBe(`${join(root, 'nope')}: no such file or directory\n${join(root, 'gone.c')}: no such file or directory`);
  });

  it('reports an explicit non-C file and a dangling .c link instead of skipping them', () => {
    const txt = write('readme.txt', 'hello');
    write('d/ok.c', '');
    symlinkSync(join(root, 'missing-target.c'), join(root, 'd', 'dangling.c'));
    const { files, errors } = expandPaths([txt, join(root, 'd')]);
    expect(files.map((f) => f.file)).toEqual([join(root, 'd', 'ok.c')]);
    expect(errors).toEqual([
      { file: txt, message: 'not a C source file (expected a .c or .h file)' },
      { file: join(root, 'd', 'dangling.c'), message: 'cannot access: no such file or directory (ENOENT)' },
    ]);
  });

  it('follows links to files but not to directories', () => {
    write('real/a.c', '');
    mkdirSync(join(root, 'tree'));
    symlinkSync(join(root, 'real'), join(root, 'tree', 'linkdir'));
    symlinkSync(join(root, 'real', 'a.c'), join(root, 'tree', 'link.c'));
    const { files, errors } = expandPaths([join(root, 'tree')]);
    expect(files.map((f) => f.file)).toEqual([join(root, 'tree', 'link.c')]);
    expect(errors).toEqual([]);
  });

  it('honours ignore globs relative to the ignore root, counting what it leaves out', () => {
    write('mm/a.c', '');
    write('mm/a.mod.c', '');
    write('drivers/staging/x/y.c', '');
    write('drivers/net/n.c', '');
    write('drivers/net/gen_1.c', '');
    write('drivers/net/gen_12.c', '');
    const { files, ignored } = expandPaths([root], {
      ignore: ['*.mod.c', 'drivers/staging', 'drivers/**/gen_?.c'],
      ignoreRoot: root,
    });
    expect(files.map((f) => f.file.slice(root.length + 1))).toEqual(['drivers/net/gen_12.c', 'drivers/net/n.c', 'mm/a.c']);
    expect(ignored).toBe(3);
  });
});

describe('compileGlobs', () => {
  const m = (patterns: string[], path: string) => compileGlobs(patterns)(path);
  it('matches *, ? and ** as documented', () => {
    expect(m(['*.c'], 'a/b/c.c')).toBe(true); // no slash: any depth
    expect(m(['a/*.c'], 'a/b/c.c')).toBe(false); // * does not cross /
    expect(m(['a/*/c.c'], 'a/b/c.c')).toBe(true);
    expect(m(['a/**/c.c'], 'a/c.c')).toBe(true); // **/ matches no directory
    expect(m(['a/**/c.c'], 'a/x/y/c.c')).toBe(true);
    expect(m(['a/**'], 'a/x/y/c.c')).toBe(true);
    expect(m(['?.c'], 'ab.c')).toBe(false);
    expect(m(['?.c'], 'x/a.c')).toBe(true);
    expect(m(['a.c'], 'xa.c')).toBe(false); // dots are literal, whole names only
    expect(m(['b'], 'a/b/c.c')).toBe(true); // a directory name ignores what is below
    expect(m(['./a/'], 'a/c.c')).toBe(true);
    expect(m([], 'a.c')).toBe(false);
  });
});

describe('readSourceFile', () => {
  it('reads UTF-8 text', () => {
    const f = write('ok.c', 'int é;\n');
    const r = readSourceFile(f);
    expect(r).toMatchObject({ file: f, text: 'int é;\n' });
  });

  it('rejects a binary file, naming the first NUL byte', () => {
    const f = write('bin.c', new Uint8Array([0x69, 0x6e, 0x74, 0x00, 0x01]));
    expect(readSourceFile(f)).toEqual({ file: f, message: 'binary file (NUL byte at offset 3)' });
  });

  it('rejects a file over the size limit without reading it', () => {
    const f = write('big.c', 'x'.repeat(101));
    expect(readSourceFile(f, { maxFileBytes: 100 })).toEqual({ file: f, message: 'file too large (101 bytes; the limit is 100 bytes)' });
    expect(readSourceFile(f, { maxFileBytes: 101 })).toMatchObject({ text: 'x'.repeat(101) });
  });

  it('rejects text that is not UTF-8, naming the line of the first bad byte', () => {
    // Latin-1 "é" (0xe9) on line 2.
    const f = write('latin1.c', new Uint8Array([0x61, 0x0a, 0x2f, 0x2a, 0xe9, 0x2a, 0x2f, 0x0a]));
    expect(readSourceFile(f)).toEqual({ file: f, message: 'not valid UTF-8 text (invalid byte at line 2, offset 4)' });
  });

  it('reports a file that cannot be read (vanished after expansion)', () => {
    const f = join(root, 'vanished.c');
    expect(readSourceFile(f)).toEqual({ file: f, message: 'cannot read: no such file or directory (ENOENT)' });
  });

  it('reports a directory named like a source file', () => {
    mkdirSync(join(root, 'dir.c'));
    expect(readSourceFile(join(root, 'dir.c'))).toEqual({ file: join(root, 'dir.c'), message: 'not a regular file' });
  });
});

describe('firstInvalidUtf8', () => {
  const at = (bytes: number[]) => firstInvalidUtf8(new Uint8Array(bytes));
  it('finds truncated, overlong and surrogate sequences', () => {
    expect(at([0x61, 0xc3, 0xa9, 0x62])).toBe(4); // valid: é
    expect(at([0x61, 0xc3])).toBe(1); // truncated
    expect(at([0xc0, 0x80])).toBe(0); // overlong NUL
    expect(at([0xe0, 0x80, 0x80])).toBe(0); // overlong
    expect(at([0xed, 0xa0, 0x80])).toBe(0); // surrogate
    expect(at([0xf0, 0x9f, 0x98, 0x80, 0xff])).toBe(4); // emoji then 0xff
  });

  it('agrees with TextDecoder on what decodeSource accepts', () => {
    expect(decodeSource('x.c', new Uint8Array([0xef, 0xbb, 0xbf, 0x69]))).toMatchObject({ text: 'i' }); // BOM dropped
  });
});
