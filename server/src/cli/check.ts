/**
 * `kpath check`: configuration, then the host lowers every file, the engine's Program checks them
 * together (so a lock taken in kernel/fork.c is seen in mm/memory.c), and one formatter prints the
 * report. Exit code: 2 if anything could not be read or was wrong on the command line, else 1 if
 * there are findings, else 0 — an error wins over findings because a run that skipped a file
 * cannot claim its result is complete.
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { InputError } from '../engine/index';
import { type CheckResult, checkPaths } from '../host/analysis';
import { createProgress, type Progress } from '../host/progress';
import { PathNotFoundError } from '../host/sources';
import { parseCheckArgs, type CheckOptions } from './args';
import { loadConfig } from './config-file';
import { formatJson } from './format-json';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';
import { CHECK_HELP } from './help';
import { EXIT, wantsColor, type CliIo } from './io';
import { buildReport, type Report } from './report';

/**
 * PATH arguments that do not exist become input errors here, so that the other PATHs are still
 * checked (the host would refuse the whole run).
 */
function splitMissing(paths: readonly string[]): { existing: string[]; missing: InputError[] } {
  const existing: string[] = [];
  const missing: InputError[] = [];
  for (const p of paths) {
    try {
      statSync(p);
      existing.push(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') missing.push({ file: p, message: 'no such file or directory' });
      else existing.push(p); // the host reports why it cannot be read
    }
  }
  return { existing, missing };
}

export function renderReport(report: Report, options: CheckOptions, io: CliIo): string {
  switch (options.format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report, { cwd: io.cwd });
    case 'text':
      return formatText(report, { color: wantsColor(io.stdout, io.env), quiet: options.quiet });
  }
}

export function exitCodeOf(report: Report): number {
  if (report.errors.length > 0) return EXIT.error;
  return report.findings.length > 0 ? EXIT.findings : EXIT.clean;
}

/** Runs `kpath check` with the words after `check`; returns the exit code. Usage errors throw `UsageError`. */
export async function runCheck(argv: readonly string[], io: CliIo): Promise<number> {
  const options = parseCheckArgs(argv);
  if (options.help) {
    io.stdout.write(CHECK_HELP);
    return EXIT.clean;
  }

  const loaded = loadConfig(options.config, io.cwd);
  const { existing, missing } = splitMissing(options.paths);
  const configDir = loaded.file ? dirname(loaded.file) : io.cwd;
  const includes = loaded.config.includes;
  // One bar per phase (files, headers, functions, contexts); each draws only on a terminal outside CI.
  let progress: { phase: string; bar: Progress } | undefined;
  const onProgress = options.quiet
    ? undefined
    : (phase: string, done: number, total: number) => {
        if (progress?.phase !== phase) {
          progress?.bar.finish();
          progress = { phase, bar: createProgress(io.stderr, io.env, undefined, phase) };
        }
        progress.bar.update(done, total);
      };
  let result: CheckResult;
  const analysisOptions = {
    workers: options.workers,
    cacheDir: options.cache,
    ignore: loaded.config.ignore,
    ignoreRoot: configDir,
    includes: { follow: options.includes && includes.follow, arch: includes.arch, paths: includes.paths, pathsRoot: configDir, cwd: io.cwd },
    onProgress,
    saveLater: true,
  };
  try {
    result = await checkPaths(existing, loaded.config, analysisOptions);
  } catch (err) {
    // Only if a PATH disappeared between our look and the host's.
    if (!(err instanceof PathNotFoundError)) throw err;
    result = await checkPaths([], loaded.config, { includes: { follow: false } });
    missing.push(...err.paths.map((file) => ({ file, message: 'no such file or directory' })));
  } finally {
    progress?.bar.finish();
  }

  const errors = [...loaded.problems, ...missing, ...result.errors];
  const filesChecked = new Set([...result.files, ...result.errors.map((e) => e.file)]).size;
  const report = buildReport(
    result.findings,
    errors,
    { rules: options.rules, disabled: options.disabled, severity: loaded.config.severity },
    filesChecked,
  );
  const resumed = result.analysis?.resumed;
  if (!options.quiet && resumed) {
    io.stderr.write(`kpath: resumed from the program the last run saved (${resumed.files} of ${result.files.length} files and ${resumed.headers} headers unchanged)\n`);
  }
  // An included header that cannot be analysed (amdgpu's register headers pass the size limit) is
  // not one the user asked for: it is named on stderr, and does not make the run an error.
  if (!options.quiet && result.headers.length + result.headerErrors.length > 0) {
    const notes = [`${result.headers.length} included header${result.headers.length === 1 ? '' : 's'} analysed`, result.includeNote].filter((n) => n !== '');
    io.stderr.write(`kpath: ${notes.join('; ')}${result.reused ? ' (unchanged since the last run: its result is reused)' : ''}\n`);
    for (const e of result.headerErrors) io.stderr.write(`kpath: included header not analysed: ${e.file}: ${e.message}\n`);
  }
  io.stdout.write(renderReport(report, options, io));
  // The report first: a whole tree's program takes tens of seconds to save for the next run.
  result.saveProgram?.();
  return exitCodeOf(report);
}
