/**
 * The include/exclude globs of the settings (`**\/*.c`, `drivers/**`, `*.{c,h}`), matched against
 * paths relative to a workspace folder with `/` separators. Small on purpose: `**`, `*`, `?`,
 * `{a,b}` and `[...]`, which is what VS Code's own `files.exclude` users write.
 */

/** Compiles one glob. A glob without `/` matches at any depth (`*.c` == `**\/*.c`), as in VS Code. */
export function globToRegExp(glob: string): RegExp {
  const pattern = glob.includes('/') ? glob.replace(/^\.?\//, '') : `**/${glob}`;
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` matches zero or more directories; a trailing `**` matches everything below.
      if (pattern[i + 2] === '/') {
        re += '(?:[^/]*/)*';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const close = pattern.indexOf('}', i);
      if (close < 0) re += '\\{';
      else {
        re += `(?:${pattern
          .slice(i + 1, close)
          .split(',')
          .map((alt) => globToRegExp(`/${alt}`).source.slice(1, -1))
          .join('|')})`;
        i = close;
      }
    } else if (c === '[') {
      const close = pattern.indexOf(']', i);
      if (close < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Decides which workspace-relative paths the background analysis reads. */
export class FileFilter {
  private readonly include: RegExp[];
  private readonly exclude: RegExp[];

  constructor(include: string[], exclude: string[]) {
    this.include = include.map(globToRegExp);
    this.exclude = exclude.map(globToRegExp);
  }

  matches(relativePath: string): boolean {
    return this.include.some((r) => r.test(relativePath)) && !this.excludes(relativePath);
  }

  /** True when the path (a file, or a directory not to descend into) is excluded. */
  excludes(relativePath: string): boolean {
    return this.exclude.some((r) => r.test(relativePath) || r.test(`${relativePath}/`));
  }
}
