/**
 * Names of files on both sides of the boundary: the editor speaks document URIs, the engine speaks
 * the file names it was given (and prints them in messages: "taken by caller dup_mmap at
 * kernel/fork.c:192"). Inside the (single) workspace folder a file is named by its path relative to
 * the folder; anything else by its absolute path, or by its URI when it is not a file (`untitled:`).
 */
import { isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export class FileNames {
  /** URIs exactly as the editor sent them, so that a name maps back to the same string. */
  private readonly uris = new Map<string, string>();

  constructor(private readonly root: string | undefined) {}

  /** The workspace folder, as a file system path. */
  get rootPath(): string | undefined {
    return this.root;
  }

  fileOf(uri: string): string {
    if (!uri.startsWith('file:')) {
      this.uris.set(uri, uri);
      return uri;
    }
    const path = fileURLToPath(uri);
    const file = this.fileOfPath(path);
    this.uris.set(file, uri);
    return file;
  }

  fileOfPath(path: string): string {
    if (this.root) {
      const rel = relative(this.root, path);
      if (rel && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
    }
    return path;
  }

  pathOf(file: string): string | undefined {
    if (/^[a-z][a-z0-9+.-]*:/i.test(file) && !isAbsolute(file)) return undefined;
    return isAbsolute(file) || !this.root ? file : join(this.root, file);
  }

  uriOf(file: string): string {
    const known = this.uris.get(file);
    if (known) return known;
    const path = this.pathOf(file);
    return path ? pathToFileURL(path).href : file;
  }
}
