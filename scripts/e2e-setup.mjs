// Installs the tools of the end-to-end test: code-server (VS Code in a browser) from the npm registry,
// made runnable without its postinstall script, which would download ripgrep from GitHub. The result is
// cached in .cache/e2e/code-server-<version>/ and reused while its `.ready` marker exists.
// Needs Debian's python3, make, g++ (argon2 builds from source) and ripgrep. Steps and reasons: see
// ARCHITECTURE.md (the client section), "End-to-end test".
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3'; // the last release whose engines accept Node 20
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const toolsDir = join(repoRoot, '.cache', 'e2e', `code-server-${CODE_SERVER_VERSION}`);
const codeServerDir = join(toolsDir, 'node_modules', 'code-server');
export const codeServerBin = join(codeServerDir, 'out', 'node', 'entry.js');
const readyMarker = join(toolsDir, '.ready');

function log(message) {
  process.stderr.write(`[e2e-setup] ${message}\n`);
}

// nodedir: node-gyp uses the installed Node headers (/usr/include/node) instead of downloading them.
// The tools' chatter is shown only when a step fails.
function run(cmd, args, cwd) {
  const env = { ...process.env, npm_config_unsafe_perm: 'true', npm_config_nodedir: nodeDir() };
  try {
    execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env, maxBuffer: 64 << 20 });
  } catch (error) {
    process.stderr.write(`${error.stdout ?? ''}${error.stderr ?? ''}`.slice(-20_000));
    throw new Error(`${cmd} ${args.join(' ')} failed in ${cwd}`);
  }
}

/** The prefix whose include/node holds the headers of the running Node (Debian and NodeSource: /usr). */
function nodeDir() {
  const prefix = resolve(dirname(process.execPath), '..');
  if (!existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
    throw new Error(`no Node headers under ${prefix}/include/node: argon2 cannot be built offline`);
  }
  return prefix;
}

/** npm against the registry fails now and then (ECONNRESET, ETIMEDOUT); a retry usually passes. */
function npmInstall(args, cwd) {
  const full = ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', ...args];
  for (let attempt = 1; ; attempt++) {
    try {
      run('npm', full, cwd);
      return;
    } catch (error) {
      if (attempt === 4) throw error;
      log(`npm ${full.join(' ')} failed in ${cwd} (attempt ${attempt}); retrying`);
      execFileSync('sleep', [String(5 * attempt)]);
    }
  }
}

function which(name) {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${name} not found: install Debian's ${name === 'rg' ? 'ripgrep' : name} (.ci/run does)`);
  }
}

function symlink(target, path) {
  rmSync(path, { force: true });
  symlinkSync(target, path);
}

export function setupCodeServer() {
  if (existsSync(readyMarker)) return;
  const started = Date.now();
  for (const tool of ['python3', 'make', 'g++']) which(tool);
  const rg = which('rg');
  rmSync(toolsDir, { recursive: true, force: true });
  mkdirSync(toolsDir, { recursive: true });
  writeFileSync(join(toolsDir, 'package.json'), JSON.stringify({ private: true, name: 'kpath-e2e-tools' }) + '\n');

  log(`installing code-server ${CODE_SERVER_VERSION}`);
  npmInstall([`code-server@${CODE_SERVER_VERSION}`], toolsDir);

  // argon2 is imported at start-up (password auth); build it from source, never download a binary.
  log('building argon2');
  run(join(toolsDir, 'node_modules', '.bin', 'node-pre-gyp'), ['rebuild'], join(toolsDir, 'node_modules', 'argon2'));

  // The VS Code server and its built-in extensions carry their own dependencies.
  const vscodeDir = join(codeServerDir, 'lib', 'vscode');
  log('installing VS Code server dependencies');
  npmInstall(['--omit=dev'], vscodeDir);
  npmInstall(['--omit=dev'], join(vscodeDir, 'extensions'));

  // Search (Quick Open) uses ripgrep; postinstall would download it, Debian ships it.
  const rgTarget = join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  mkdirSync(dirname(rgTarget), { recursive: true });
  copyFileSync(rg, rgTarget);
  chmodSync(rgTarget, 0o755);

  // The links code-server's postinstall.sh makes.
  symlink('node_modules', join(vscodeDir, 'node_modules.asar'));
  symlink('code-linux.sh', join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
  symlink('browser-linux.sh', join(vscodeDir, 'bin', 'helpers', 'browser.sh'));

  writeFileSync(readyMarker, `${new Date().toISOString()}\n`);
  log(`code-server ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) setupCodeServer();
