/**
 * The process as the CLI commands see it, passed in rather than read from globals so that a
 * command can run inside a test with captured output. Commands return their exit code; only
 * main.ts touches `process`.
 */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** Relative PATHs, the `.kpath.json` search and SARIF URIs start here (it must be the process's cwd). */
  cwd: string;
  env: Record<string, string | undefined>;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env };
}

/** Colour when writing to a terminal, unless NO_COLOR is set to anything non-empty (no-color.org). */
export function wantsColor(stream: OutputStream, env: CliIo['env']): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}

export const EXIT = {
  /** No findings. */
  clean: 0,
  findings: 1,
  /** Usage error or input error. */
  error: 2,
  /** A bug in kpath. */
  internal: 3,
} as const;
