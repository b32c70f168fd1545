/** `kpath check` argument parsing: defaults, repeated options, and the exact usage error messages. */
import { describe, expect, it } from 'vitest';
import { parseCheckArgs, parseLspArgs, UsageError } from '../../server/src/cli/args';

function usageError(argv: string[]): string {
  try {
    parseCheckArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('parseCheckArgs', () => {
  it('has defaults', () => {
    expect(parseCheckArgs(['mm'])).toEqual({
      help: false,
      format: 'text',
      rules: [],
      disabled: [],
      config: undefined,
      cache: undefined,
      workers: undefined,
      quiet: false,
      includes: true,
      paths: ['mm'],
    });
  });

  it('reads every option, attached or separate, short or long', () => {
    const o = parseCheckArgs([
      '--format=sarif',
      '--rule',
      'sleep-in-atomic',
      'kernel/fork.c',
      '--rule=kmap-leak,kunmap-order',
      '--disable',
      'lock-imbalance',
      '--config',
      'cfg.json',
      '--cache=.cache/kpath',
      '-j',
      '4',
      '-q',
      '--no-includes',
      'mm/',
    ]);
    expect(o).toEqual({
      help: false,
      format: 'sarif',
      rules: ['sleep-in-atomic', 'kmap-leak', 'kunmap-order'],
      disabled: ['lock-imbalance'],
      config: 'cfg.json',
      cache: '.cache/kpath',
      workers: 4,
      quiet: true,
      includes: false,
      paths: ['kernel/fork.c', 'mm/'],
    });
    expect(parseCheckArgs(['-f', 'json', '--', '--weird-name.c']).paths).toEqual(['--weird-name.c']);
    expect(parseCheckArgs(['-j4', '-fjson', 'mm']).workers).toBe(4);
    expect(parseCheckArgs(['-j4', '-fjson', 'mm']).format).toBe('json');
  });

  it('accepts --help without paths', () => {
    expect(parseCheckArgs(['--help']).help).toBe(true);
    expect(parseCheckArgs(['-h']).help).toBe(true);
  });

  it('names the offending word in usage errors', () => {
    expect(usageError(['--frobnicate', 'mm'])).toBe("unknown option '--frobnicate'");
    expect(usageError(['-x', 'mm'])).toBe("unknown option '-x'");
    expect(usageError(['-qh', 'mm'])).toBe("unknown option '-qh'");
    expect(usageError(['--format=xml', 'mm'])).toBe("invalid --format 'xml' (expected one of: text, json, sarif)");
    expect(usageError(['mm', '--format'])).toBe("option '--format' needs a value");
    expect(usageError(['--format=', 'mm'])).toBe("option '--format' needs a value");
    expect(usageError(['--quiet=yes', 'mm'])).toBe("option '--quiet' takes no value");
    expect(usageError(['--no-includes=1', 'mm'])).toBe("option '--no-includes' takes no value");
    expect(usageError(['--no-includes', '--no-includes', 'mm'])).toBe("option '--no-includes' given more than once");
    expect(usageError(['--includes', 'mm'])).toBe("unknown option '--includes'");
    expect(usageError(['--format', 'json', '-f', 'text', 'mm'])).toBe("option '--format' given more than once");
    expect(usageError(['--workers', '0', 'mm'])).toBe("invalid --workers '0' (expected a whole number of at least 1)");
    expect(usageError(['--workers', '2x', 'mm'])).toBe("invalid --workers '2x' (expected a whole number of at least 1)");
    expect(usageError([])).toBe('no PATH given (a file or a directory to check)');
    expect(usageError(['--rule', 'sleep-in-atomc', 'mm'])).toBe(
      "unknown rule 'sleep-in-atomc' in --rule (known rules: sleep-in-atomic, kmap-serie-reentry, kmap-serie-order, kmap-leak, kunmap-order, kunmap-mismatch, lock-imbalance)",
    );
    expect(usageError(['--disable=kmap-leak,nope', 'mm'])).toBe(
      "unknown rule 'nope' in --disable (known rules: sleep-in-atomic, kmap-serie-reentry, kmap-serie-order, kmap-leak, kunmap-order, kunmap-mismatch, lock-imbalance)",
    );
  });
});

describe('parseLspArgs', () => {
  it('accepts --stdio and what language clients add', () => {
    expect(parseLspArgs(['--stdio'])).toEqual({ help: false });
    expect(parseLspArgs([])).toEqual({ help: false });
    expect(parseLspArgs(['--stdio', '--clientProcessId=42'])).toEqual({ help: false });
    expect(() => parseLspArgs(['--socket=9000'])).toThrow("unknown option '--socket'");
    expect(() => parseLspArgs(['file.c'])).toThrow("unexpected argument 'file.c'");
  });
});
