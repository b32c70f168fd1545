/**
 * The glob patterns of `.kpath.json`'s `ignore`: `*` (any run of characters but `/`), `?` (one
 * character but `/`), `**` (any run including `/`). A pattern without `/` matches a file or directory
 * name at any depth (`*.mod.c`, `staging`); a pattern with `/` is matched against the whole path
 * relative to the root (`drivers/staging/**`). A pattern that matches a directory ignores
 * everything below it.
 */

export type GlobMatcher = (relativePath: string) => boolean;

/** Compiles patterns into one predicate over `/`-separated relative paths. */
export function compileGlobs(patterns: readonly string[]): GlobMatcher {
  const regexes = patterns.map(globToRegExp);
  return (relativePath) => {
    if (regexes.length === 0) return false;
    const parts = relativePath.split('/').filter((p) => p !== '' && p !== '.');
    // The path itself and each of its ancestor directories.
    for (let n = parts.length; n >= 1; n--) {
      const prefix = parts.slice(0, n).join('/');
      if (regexes.some((re) => re.test(prefix))) return true;
    }
    return false;
  };
}

export function globToRegExp(pattern: string): RegExp {
  let p = pattern.trim().replace(/\\/g, '/');
  if (p.startsWith('./')) p = p.slice(2);
  if (p.endsWith('/')) p = p.slice(0, -1);
  // Without a slash: a name at any depth.
  if (!p.replace(/^\/+/, '').includes('/')) p = '**/' + p.replace(/^\/+/, '');
  if (p.startsWith('/')) p = p.slice(1);
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '*' && p[i + 1] === '*') {
      const slashAfter = p[i + 2] === '/';
      // `**/` also matches no directory at all.
      re += slashAfter ? '(?:.*/)?' : '.*';
      i += slashAfter ? 2 : 1;
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === '?') {
      re += '[^/]';
    } else {
      re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`);
}
