// The extension manifest (package.json) agrees with what the code declares: the commands of the
// shared protocol, one severity setting per rule, the server's setting defaults, the shipped files.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../server/src/engine/finding';
import { DEFAULT_SETTINGS } from '../../server/src/lsp/settings';
import { Commands } from '../../server/src/shared/protocol';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const properties = manifest.contributes.configuration.properties;

describe('extension manifest', () => {
  it('contributes the protocol commands under category kpath', () => {
    expect(manifest.contributes.commands.map((c: { command: string; title: string; category: string }) => [c.command, `${c.category}: ${c.title}`])).toEqual([
      [Commands.simulate, 'kpath: Simulate Flagged Path...'],
      [Commands.reanalyze, 'kpath: Re-analyse Workspace'],
      [Commands.restartServer, 'kpath: Restart Server'],
    ]);
  });

  it('has one severity setting per rule, with the values the server accepts', () => {
    const severityKeys = Object.keys(properties).filter((k) => k.startsWith('kpath.rules.'));
    expect(severityKeys).toEqual(RULE_IDS.map((id) => `kpath.rules.${id}.severity`));
    for (const key of severityKeys) {
      expect(properties[key].enum).toEqual(['default', 'error', 'warning', 'info', 'hint', 'off']);
      expect(properties[key].default).toBe('default');
    }
  });

  it("declares the server's defaults for the settings the server reads", () => {
    expect(properties['kpath.include'].default).toEqual(DEFAULT_SETTINGS.include);
    expect(properties['kpath.exclude'].default).toEqual(DEFAULT_SETTINGS.exclude);
    expect(properties['kpath.workspaceAnalysis'].default).toBe(DEFAULT_SETTINGS.workspaceAnalysis);
    expect(properties['kpath.maxFileSize'].default).toBe(DEFAULT_SETTINGS.maxFileSize);
    expect(properties['kpath.debounceMs'].default).toBe(DEFAULT_SETTINGS.debounceMs);
    expect(properties['kpath.rulesDocsUrl'].default).toBe(DEFAULT_SETTINGS.rulesDocsUrl);
    expect(properties['kpath.trace.server'].enum).toEqual(['off', 'messages', 'verbose']);
  });

  it('runs the bundled client, on C files, in untrusted workspaces too', () => {
    expect(manifest.main).toBe('./dist/client.js');
    expect(manifest.activationEvents).toContain('onLanguage:c');
    expect(manifest.capabilities.untrustedWorkspaces).toEqual({ supported: true });
    expect(manifest.contributes.jsonValidation).toEqual([{ fileMatch: '.kpath.json', url: './schemas/kpath.schema.json' }]);
    expect(existsSync(manifest.icon)).toBe(true);
    expect(existsSync('LICENSE')).toBe(true);
    expect(manifest.repository.url).toMatch(/^https:/);
  });

  it('ships only an allow-list of files', () => {
    const lines = readFileSync('.vscodeignore', 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines).toEqual(['**', '!dist/*.js', '!grammars/*.wasm', '!media/**', '!schemas/**', '!docs/rules/**', '!README.md', '!LICENSE', '!package.json']);
  });
});

describe('simulation settings', () => {
  it('bound the defaults as the input boxes and the simulator do', async () => {
    const { LIMITS } = await import('../../client/src/parameters');
    const { LIMITS: SIM } = await import('../../server/src/sim/simulate');
    for (const name of ['tasks', 'cpus', 'pool'] as const) {
      expect([properties[`kpath.simulation.${name}`].minimum, properties[`kpath.simulation.${name}`].maximum]).toEqual([LIMITS[name].min, LIMITS[name].max]);
      expect(LIMITS[name]).toEqual(SIM[name]);
    }
  });
});
