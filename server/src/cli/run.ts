/**
 * The dispatcher behind `kpath`: picks the subcommand, turns a `UsageError` into exit code 2 with a
 * pointer to the command's `--help`, and an unexpected exception into exit code 3. Returns the exit
 * code instead of exiting, so tests can run it in-process with captured output.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runSimulate } from '../sim/cli';
import { UsageError } from './args';
import { runCheck } from './check';
import { MAIN_HELP } from './help';
import { EXIT, type CliIo } from './io';
import { runLsp } from './lsp';
import { KPATH_VERSION } from './version';

const COMMANDS: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  check: runCheck,
  // The simulator's command speaks its own small io (functions, and reading files).
  simulate: (argv, io) =>
    runSimulate(argv, {
      stdout: (s) => io.stdout.write(s),
      stderr: (s) => io.stderr.write(s),
      readFile: (p) => readFileSync(resolve(io.cwd, p), 'utf8'),
    }),
  lsp: runLsp,
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.stderr.write(MAIN_HELP);
    return EXIT.error;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(MAIN_HELP);
    return EXIT.clean;
  }
  if (command === '--version' || command === '-V') {
    io.stdout.write(`kpath ${KPATH_VERSION}\n`);
    return EXIT.clean;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) {
    const what = command.startsWith('-') ? 'option' : 'command';
    io.stderr.write(`kpath: unknown ${what} '${command}' (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    io.stderr.write(`Run 'kpath --help' for usage.\n`);
    return EXIT.error;
  }
  try {
    return await run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`kpath ${err.command}: ${err.message}\n`);
      io.stderr.write(`Run 'kpath ${err.command} --help' for usage.\n`);
      return EXIT.error;
    }
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    io.stderr.write(`kpath ${command}: internal error: ${detail}\n`);
    return EXIT.internal;
  }
}
