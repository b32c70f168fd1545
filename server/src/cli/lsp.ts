/**
 * `kpath lsp --stdio`: hands the process to the language server (server/src/lsp/). This command
 * knows no LSP: the server reads its transport from the command line, so `--stdio` is added when
 * the user left it out (stdio is the only transport offered here).
 */
import { resolve } from 'node:path';
import { startLanguageServer } from '../lsp/server';
import { parseLspArgs } from './args';
import { LSP_HELP } from './help';
import { EXIT, type CliIo } from './io';

export async function runLsp(argv: readonly string[], io: CliIo): Promise<number> {
  const options = parseLspArgs(argv);
  if (options.help) {
    io.stdout.write(LSP_HELP);
    return EXIT.clean;
  }
  if (!process.argv.includes('--stdio')) process.argv.push('--stdio');
  startLanguageServer(undefined, undefined, { cacheDir: options.cache === undefined ? undefined : resolve(options.cache) });
  // The server ends the process itself when the client sends `exit`.
  return new Promise<number>(() => {});
}
