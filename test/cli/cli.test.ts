/**
 * The built `kpath` run as a process: help, usage errors, exit codes, input errors, the three
 * formats on small fixtures written here, and vim's quickfix reading the text output.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_HELP, MAIN_HELP } from '../../server/src/cli/help';
import { buildCliBundles, kpath, KPATH_BIN } from './spawn';
import { validateSarif } from './sarif-essentials';

let dir: string;

// Tabs for indentation as in the kernel; columns count a tab as one.
const LOCKED_ALLOC = `#include <linux/spinlock.h>

struct foo {
	spinlock_t lock;
	void *buf;
};

void foo_grow(struct foo *f, size_t size)
{
	spin_lock(&f->lock);
	f->buf = kmalloc(size, GFP_KERNEL);
	spin_unlock(&f->lock);
}
`;

const CLEAN = `#include <linux/spinlock.h>

void foo_count(spinlock_t *l, int *n)
{
	spin_lock(l);
	(*n)++;
	spin_unlock(l);
	msleep(10);
}
`;

beforeAll(async () => {
  await buildCliBundles();
  dir = mkdtempSync(join(tmpdir(), 'kpath-cli-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'alloc.c'), LOCKED_ALLOC);
  writeFileSync(join(dir, 'src', 'clean.c'), CLEAN);
  mkdirSync(join(dir, 'bad'));
  writeFileSync(join(dir, 'bad', 'blob.c'), Buffer.from([0x69, 0x6e, 0x74, 0x00, 0x01]));
  writeFileSync(join(dir, 'bad', 'latin1.c'), Buffer.from('/* caf\xe9 */\nint x;\n', 'latin1'));
  writeFileSync(join(dir, 'bad-config.json'), '{ "rules": { "sleep-in-atomic": "loud" } ');
  writeFileSync(join(dir, 'off.json'), '{ "rules": { "sleep-in-atomic": "off" } }\n');
  mkdirSync(join(dir, 'proj', 'drivers'), { recursive: true });
  writeFileSync(join(dir, 'proj', '.kpath.json'), '{ "rules": { "sleep-in-atomic": "error" }, "ignore": ["generated/**"] }\n');
  mkdirSync(join(dir, 'proj', 'generated'));
  writeFileSync(join(dir, 'proj', 'generated', 'alloc.c'), LOCKED_ALLOC);
  writeFileSync(join(dir, 'proj', 'drivers', 'alloc.c'), LOCKED_ALLOC);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('help and usage', () => {
  it('kpath --help prints the main usage on stdout and exits 0', () => {
    const r = kpath(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(MAIN_HELP);
    expect(r.stdout).toContain('kpath check [options] PATH...');
    expect(r.stderr).toBe('');
  });

  it('kpath check --help documents every option, the formats and the exit codes', () => {
    const r = kpath(['check', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(CHECK_HELP);
    for (const option of ['--format', '--rule', '--disable', '--config', '--cache', '--workers', '--quiet', '--help']) {
      expect(r.stdout).toContain(option);
    }
    expect(r.stdout).toMatch(/^Exit codes:\n  0  no findings and no errors\n  1  findings reported, no errors\n  2  usage error/m);
  });

  it('kpath without a command prints the usage on stderr and exits 2', () => {
    const r = kpath([]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(MAIN_HELP);
  });

  it('kpath --version', () => {
    const r = kpath(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^kpath \d+\.\d+\.\d+\n$/);
  });

  it('an unknown command or option is a usage error naming it', () => {
    expect(kpath(['chek', 'mm'])).toEqual({
      status: 2,
      stdout: '',
      stderr: "kpath: unknown command 'chek' (commands: check, simulate, lsp)\nRun 'kpath --help' for usage.\n",
    });
    expect(kpath(['check', '--formt', 'json', 'mm'])).toEqual({
      status: 2,
      stdout: '',
      stderr: "kpath check: unknown option '--formt'\nRun 'kpath check --help' for usage.\n",
    });
    expect(kpath(['check', '--rule', 'sleep', 'mm'])).toEqual({
      status: 2,
      stdout: '',
      stderr:
        "kpath check: unknown rule 'sleep' in --rule (known rules: sleep-in-atomic, kmap-serie-reentry, kmap-serie-order, kmap-leak, kunmap-order, kunmap-mismatch, lock-imbalance)\n" +
        "Run 'kpath check --help' for usage.\n",
    });
    expect(kpath(['check'])).toEqual({
      status: 2,
      stdout: '',
      stderr: "kpath check: no PATH given (a file or a directory to check)\nRun 'kpath check --help' for usage.\n",
    });
  });
});

const ALLOC_FINDING_TEXT = [
  "src/alloc.c:11:11: warning: kmalloc() may sleep (GFP_KERNEL allocation) while 'f->lock' is held (taken at src/alloc.c:10) [sleep-in-atomic]",
  "src/alloc.c:10:2: note: 'f->lock' taken by spin_lock()",
  '  fix: Allocate with GFP_ATOMIC (cannot sleep; may fail: check the error path)',
  '  fix: Suppress sleep-in-atomic here (a reason is required)',
];

describe('kpath check', () => {
  it('exits 0 and says so when there is nothing to report', () => {
    expect(kpath(['check', 'src/clean.c'], { cwd: dir })).toEqual({ status: 0, stdout: 'no findings in 1 file\n', stderr: '' });
  });

  it('exits 1 with the findings in compiler format', () => {
    expect(kpath(['check', 'src'], { cwd: dir })).toEqual({
      status: 1,
      stdout: [...ALLOC_FINDING_TEXT, '1 finding (1 sleep-in-atomic) in 2 files', ''].join('\n'),
      stderr: '',
    });
  });

  it('gives the same output with one worker, several, and through the cache', () => {
    const one = kpath(['check', '--workers', '1', 'src'], { cwd: dir });
    const two = kpath(['check', '-j', '2', 'src'], { cwd: dir });
    const cold = kpath(['check', '--cache', join(dir, 'cache'), 'src'], { cwd: dir });
    const warm = kpath(['check', '--cache', join(dir, 'cache'), 'src'], { cwd: dir });
    expect(two).toEqual(one);
    expect(cold).toEqual(one);
    expect(warm).toEqual(one);
    expect(one.status).toBe(1);
  });

  it('after an edit, starts from the program the last run saved and says so', () => {
    const cache = join(dir, 'cache-edit');
    kpath(['check', '--cache', cache, 'src'], { cwd: dir });
    const file = join(dir, 'src', 'alloc.c');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text + '\n/* edited */\n');
    try {
      const resumed = kpath(['check', '--cache', cache, 'src'], { cwd: dir });
      const fresh = kpath(['check', 'src'], { cwd: dir });
      expect(resumed.stdout).toBe(fresh.stdout);
      expect(resumed.stderr).toBe(fresh.stderr + 'kpath: resumed from the program the last run saved (1 of 2 files and 0 headers unchanged)\n');
    } finally {
      writeFileSync(file, text);
    }
  });

  it('--quiet prints only the finding lines', () => {
    expect(kpath(['check', '-q', 'src'], { cwd: dir })).toEqual({ status: 1, stdout: ALLOC_FINDING_TEXT[0] + '\n', stderr: '' });
  });

  it('--rule and --disable filter findings (and so the exit code)', () => {
    expect(kpath(['check', '--rule', 'kmap-leak,lock-imbalance', 'src'], { cwd: dir }).stdout).toBe('no findings in 2 files\n');
    expect(kpath(['check', '--disable', 'sleep-in-atomic', 'src'], { cwd: dir }).status).toBe(0);
    expect(kpath(['check', '--rule', 'sleep-in-atomic', '--rule', 'kmap-leak', 'src'], { cwd: dir }).status).toBe(1);
  });

  it('reads the nearest .kpath.json above the current directory', () => {
    const r = kpath(['check', '-q', 'alloc.c'], { cwd: join(dir, 'proj', 'drivers') });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      "alloc.c:11:11: error: kmalloc() may sleep (GFP_KERNEL allocation) while 'f->lock' is held (taken at alloc.c:10) [sleep-in-atomic]\n",
    );
  });

  it("ignores what the configuration's ignore patterns match, relative to the configuration's directory", () => {
    const r = kpath(['check', '--format', 'json', '..'], { cwd: join(dir, 'proj', 'drivers') });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { file: string }) => f.file)).toEqual(['../drivers/alloc.c']);
  });

  it('--config turns a rule off', () => {
    expect(kpath(['check', '--config', 'off.json', 'src'], { cwd: dir })).toEqual({ status: 0, stdout: 'no findings in 2 files\n', stderr: '' });
  });

  it('a bad configuration is an input error; the run goes on with the defaults', () => {
    expect(kpath(['check', '--config', 'bad-config.json', 'src'], { cwd: dir })).toEqual({
      status: 2,
      stdout: [
        ...ALLOC_FINDING_TEXT,
        "bad-config.json: error: kpath.json: invalid JSON at line 1, column 42: expected ',' or '}', found end of file",
        '1 finding (1 sleep-in-atomic) in 2 files; 1 file with errors',
        '',
      ].join('\n'),
      stderr: '',
    });
    const missing = kpath(['check', '--format', 'json', '--config', 'nothere.json', 'src'], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(JSON.parse(missing.stdout).errors).toEqual([{ file: 'nothere.json', message: 'cannot read configuration: no such file; using the defaults' }]);
  });

  it('reports binary, non-UTF-8 and missing files under errors, still checks the others, and exits 2', () => {
    const r = kpath(['check', 'src', 'bad', 'nope.c'], { cwd: dir });
    expect(r).toEqual({
      status: 2,
      stdout: [
        ...ALLOC_FINDING_TEXT,
        'bad/blob.c: error: binary file (NUL byte at offset 3)',
        'bad/latin1.c: error: not valid UTF-8 text (invalid byte at line 1, offset 6)',
        'nope.c: error: no such file or directory',
        '1 finding (1 sleep-in-atomic) in 4 files; 3 files with errors',
        '',
      ].join('\n'),
      stderr: '',
    });
    const json = JSON.parse(kpath(['check', '--format', 'json', 'bad', 'nope.c'], { cwd: dir }).stdout);
    expect(json).toEqual({
      version: 1,
      findings: [],
      errors: [
        { file: 'bad/blob.c', message: 'binary file (NUL byte at offset 3)' },
        { file: 'bad/latin1.c', message: 'not valid UTF-8 text (invalid byte at line 1, offset 6)' },
        { file: 'nope.c', message: 'no such file or directory' },
      ],
    });
  });

  it('reports a file over the size limit under errors', () => {
    mkdirSync(join(dir, 'big'));
    writeFileSync(join(dir, 'big', 'huge.c'), ' '.repeat(4 * 1024 * 1024 + 1));
    const r = kpath(['check', '--format', 'json', 'big'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).errors).toEqual([{ file: 'big/huge.c', message: 'file too large (4194305 bytes; the limit is 4194304 bytes)' }]);
  });

  it('json: the finding with its path and fixes, exactly', () => {
    const r = kpath(['check', '--format', 'json', 'src'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      version: 1,
      findings: [
        {
          rule: 'sleep-in-atomic',
          severity: 'warning',
          message: "kmalloc() may sleep (GFP_KERNEL allocation) while 'f->lock' is held (taken at src/alloc.c:10)",
          file: 'src/alloc.c',
          line: 11,
          column: 11,
          endLine: 11,
          endColumn: 36,
          path: [
            {
              file: 'src/alloc.c',
              line: 10,
              column: 2,
              message: "'f->lock' taken by spin_lock()",
              endLine: 10,
              endColumn: 21,
              kind: 'lock',
              function: 'foo_grow',
              lock: 'f->lock',
              callee: 'spin_lock',
            },
            {
              file: 'src/alloc.c',
              line: 11,
              column: 11,
              message: 'kmalloc() may sleep (GFP_KERNEL allocation)',
              endLine: 11,
              endColumn: 36,
              kind: 'sleep',
              function: 'foo_grow',
              callee: 'kmalloc',
            },
          ],
          fixes: [
            {
              title: 'Allocate with GFP_ATOMIC (cannot sleep; may fail: check the error path)',
              edits: [{ file: 'src/alloc.c', line: 11, column: 25, endLine: 11, endColumn: 35, newText: 'GFP_ATOMIC' }],
            },
            {
              title: 'Suppress sleep-in-atomic here (a reason is required)',
              edits: [
                {
                  file: 'src/alloc.c',
                  line: 11,
                  column: 11,
                  endLine: 11,
                  endColumn: 11,
                  newText: '/* kpath: ignore sleep-in-atomic: explain why this cannot happen here */ ',
                },
              ],
            },
          ],
        },
      ],
      errors: [],
    });
  });

  it('sarif: valid, with relative URIs, the path as a code flow and the fix as replacements', () => {
    const r = kpath(['check', '--format', 'sarif', 'src', 'bad/blob.c'], { cwd: dir });
    expect(r.status).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(validateSarif(doc)).toEqual([]);
    const run = doc.runs[0];
    expect(run.results).toHaveLength(1);
    const result = run.results[0];
    expect(result.ruleId).toBe('sleep-in-atomic');
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'src/alloc.c', uriBaseId: '%SRCROOT%' },
      region: { startLine: 11, startColumn: 11, endLine: 11, endColumn: 36 },
    });
    expect(result.codeFlows[0].threadFlows[0].locations.map((l: any) => l.location.message.text)).toEqual([
      "'f->lock' taken by spin_lock()",
      'kmalloc() may sleep (GFP_KERNEL allocation)',
    ]);
    expect(result.fixes[0].artifactChanges[0].replacements).toEqual([
      { deletedRegion: { startLine: 11, startColumn: 25, endLine: 11, endColumn: 35 }, insertedContent: { text: 'GFP_ATOMIC' } },
    ]);
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications[0].message.text).toBe('binary file (NUL byte at offset 3)');
  });

  it('stops quietly with its exit code when the reader goes away (kpath check | head -1)', () => {
    const lines = ['void f(spinlock_t *l)', '{', '\tspin_lock(l);', ...Array(3000).fill('\tmsleep(1);'), '\tspin_unlock(l);', '}', ''];
    writeFileSync(join(dir, 'many.c'), lines.join('\n'));
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${KPATH_BIN}" check many.c | head -1; echo "status \${PIPESTATUS[0]}" >&2`], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.stdout).toBe("many.c:4:2: warning: msleep() may sleep (sleeps until a timeout) while 'l' is held (taken at many.c:3) [sleep-in-atomic]\n");
    expect(r.stderr).toBe('status 1\n');
  });

  it("vim's default errorformat reads the finding and each note with the right file and line", () => {
    const out = join(dir, 'quickfix.txt');
    writeFileSync(out, kpath(['check', 'src'], { cwd: dir }).stdout);
    const lua =
      'for _, e in ipairs(vim.fn.getqflist()) do io.stdout:write(string.format("%d|%s|%d|%d\\n", e.valid, vim.fn.bufname(e.bufnr), e.lnum, e.col)) end';
    const r = spawnSync('nvim', ['--headless', '-u', 'NONE', '-c', `cgetfile ${out}`, '-c', `lua ${lua}`, '-c', 'qa!'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(r.error).toBeUndefined();
    expect(r.stdout.split('\n').filter((l) => l.startsWith('1|'))).toEqual(['1|src/alloc.c|11|11', '1|src/alloc.c|10|2']);
  });
});

describe('kpath lsp', () => {
  /** Speaks LSP to `kpath lsp` one message at a time, as an editor does (stdin stays open). */
  function lspSession(args: string[]) {
    const child = spawn(process.execPath, [KPATH_BIN, 'lsp', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let buffer = '';
    const waiting = new Map<number, (m: any) => void>();
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        const header = /^Content-Length: (\d+)\r\n\r\n/.exec(buffer);
        if (!header || buffer.length < header[0].length + Number(header[1])) return;
        const message = JSON.parse(buffer.slice(header[0].length, header[0].length + Number(header[1])));
        buffer = buffer.slice(header[0].length + Number(header[1]));
        if (message.id !== undefined && waiting.has(message.id)) waiting.get(message.id)!(message);
      }
    });
    const send = (msg: object) => {
      const body = JSON.stringify({ jsonrpc: '2.0', ...msg });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    return {
      request: (id: number, method: string, params: unknown) =>
        new Promise<any>((resolve) => {
          waiting.set(id, resolve);
          send({ id, method, params });
        }),
      notify: (method: string, params: unknown) => send({ method, params }),
      exited: new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))),
    };
  }

  for (const args of [['--stdio'], []]) {
    it(`kpath lsp ${args.join(' ')} answers initialize and exits 0 after shutdown and exit`, async () => {
      const lsp = lspSession(args);
      const init = await lsp.request(1, 'initialize', { processId: null, rootUri: null, capabilities: {} });
      expect(init.result.capabilities.textDocumentSync).toBeDefined();
      lsp.notify('initialized', {});
      expect(await lsp.request(2, 'shutdown', null)).toEqual({ jsonrpc: '2.0', id: 2, result: null });
      lsp.notify('exit', null);
      expect(await lsp.exited).toBe(0);
    });
  }
});
