// Starts code-server (VS Code in the browser) for one end-to-end run and stops it again. Everything it
// writes (settings, extensions, logs, config) lives in the run's temporary folder; the process group it
// spawns (server, extension host, kpath's language server) is ended by its id, never by name.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, openSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/** A free loopback port (the kernel picks it; a race with another process is possible but rare). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The flags every code-server invocation of a run shares, so none of them touches the home folder. */
function commonArgs(run) {
  return ['--config', join(run, 'config.yaml'), '--user-data-dir', join(run, 'user-data'), '--extensions-dir', join(run, 'extensions')];
}

/**
 * Environment for everything a run starts: the XDG folders point into the run folder, so code-server's
 * heartbeat and logs and Chromium's profile data never land in the home folder.
 */
export function isolatedEnv(run) {
  return {
    ...process.env,
    XDG_CONFIG_HOME: join(run, 'xdg', 'config'),
    XDG_CACHE_HOME: join(run, 'xdg', 'cache'),
    XDG_DATA_HOME: join(run, 'xdg', 'data'),
    XDG_STATE_HOME: join(run, 'xdg', 'state'),
  };
}

/** Prepares the run folder: user settings (no start-up editor, no trust prompt) and an empty config. */
export function prepareRun(run, settings) {
  mkdirSync(join(run, 'user-data', 'User'), { recursive: true });
  mkdirSync(join(run, 'extensions'), { recursive: true });
  writeFileSync(join(run, 'config.yaml'), 'auth: none\n');
  writeFileSync(join(run, 'user-data', 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

export function installExtension(codeServerEntry, run, vsix) {
  // Its stderr is mostly "Could not locate the bindings file" noise for optional native modules.
  try {
    execFileSync(process.execPath, [codeServerEntry, ...commonArgs(run), '--install-extension', vsix], {
      env: isolatedEnv(run),
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
  } catch (error) {
    throw new Error(`installing ${vsix} failed:\n${error.stdout}\n${error.stderr}`);
  }
}

/** Spawns code-server in its own process group and waits until /healthz answers. */
export async function startCodeServer({ codeServerEntry, run, port, workspace, logFile }) {
  const log = openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      codeServerEntry,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      ...commonArgs(run),
      workspace,
    ],
    { detached: true, stdio: ['ignore', log, log], env: isolatedEnv(run) },
  );
  closeSync(log);
  let exited = null;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited at start-up (${JSON.stringify(exited)}); see ${logFile}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stopProcessGroup(child);
      throw new Error(`code-server did not answer /healthz within 60 s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return child;
}

/** SIGTERM to the group we spawned, then SIGKILL if anything is left after 5 s. */
export async function stopProcessGroup(child) {
  if (!child?.pid) return;
  const alive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const deadline = Date.now() + 5_000;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive()) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone in between
    }
  }
}
