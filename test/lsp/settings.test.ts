import { describe, expect, test } from 'vitest';
import { FileFilter, globToRegExp } from '../../server/src/lsp/glob';
import { DEFAULT_SETTINGS, parseSettings } from '../../server/src/lsp/settings';

describe('globs', () => {
  test.each([
    ['**/*.c', 'mm/memory.c', true],
    ['**/*.c', 'memory.c', true],
    ['**/*.c', 'mm/memory.h', false],
    ['*.{c,h}', 'include/linux/mm.h', true],
    ['drivers/**', 'drivers/net/a.c', true],
    ['drivers/**', 'mm/drivers/a.c', false],
    ['mm/?.c', 'mm/a.c', true],
    ['mm/[ab].c', 'mm/c.c', false],
  ])('%s against %s is %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });

  test('an excluded directory is not entered and its files are not selected', () => {
    const filter = new FileFilter(['**/*.c'], ['**/node_modules/**', 'build/**']);
    expect(filter.excludes('a/node_modules')).toBe(true);
    expect(filter.matches('a/node_modules/x.c')).toBe(false);
    expect(filter.matches('build/gen.c')).toBe(false);
    expect(filter.matches('mm/memory.c')).toBe(true);
  });
});

describe('parseSettings', () => {
  test('absent settings are the defaults', () => {
    expect(parseSettings(undefined)).toEqual({ settings: DEFAULT_SETTINGS, problems: [] });
  });

  test('valid values are taken, "default" keeps the engine severity', () => {
    const { settings, problems } = parseSettings({
      rules: { 'kmap-leak': { severity: 'off' }, 'sleep-in-atomic': { severity: 'default' }, 'lock-imbalance': { severity: 'hint' } },
      include: ['mm/**/*.c'],
      debounceMs: 0,
      rulesDocsUrl: 'https://example.org/kpath/docs/rules',
      simulation: { tasks: 4 },
    });
    expect(problems).toEqual([]);
    expect(settings.severity).toEqual({ 'kmap-leak': 'off', 'lock-imbalance': 'hint' });
    expect(settings.include).toEqual(['mm/**/*.c']);
    expect(settings.debounceMs).toBe(0);
    expect(settings.rulesDocsUrl).toBe('https://example.org/kpath/docs/rules');
  });

  test('each bad value is named and replaced by its default, the rest still applies', () => {
    const { settings, problems } = parseSettings({
      rules: { 'no-such-rule': { severity: 'error' }, 'kmap-leak': { severity: 'loud' }, 'kunmap-order': { severity: 'error' } },
      include: 'mm/*.c',
      maxFileSize: -1,
      workspaceAnalysis: 'yes',
    });
    expect(problems).toEqual([
      'kpath.rules.no-such-rule: unknown rule (known: sleep-in-atomic, kmap-serie-reentry, kmap-serie-order, kmap-leak, kunmap-order, kunmap-mismatch, lock-imbalance)',
      'kpath.rules.kmap-leak.severity: "loud" is not one of default, error, warning, info, hint, off',
      'kpath.include: must be a list of glob strings',
      'kpath.workspaceAnalysis: must be true or false',
      'kpath.maxFileSize: must be a number >= 0',
    ]);
    expect(settings).toEqual({ ...DEFAULT_SETTINGS, severity: { 'kunmap-order': 'error' } });
  });
});
