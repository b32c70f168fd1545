/** kpath's version and home, read from package.json at build time (esbuild inlines the JSON). */
import pkg from '../../../package.json';

export const KPATH_VERSION: string = pkg.version;

/** The repository's web address (`https://host/owner/kpath`), from package.json `repository.url`. */
export const KPATH_HOME: string = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');

/** Where a rule's documentation is published: `docs/rules/<id>.md` in the repository. */
export function ruleDocUri(rule: string): string {
  return `${KPATH_HOME}/blob/main/docs/rules/${rule}.md`;
}
