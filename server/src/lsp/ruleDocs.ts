/**
 * Where a diagnostic's rule id links to (`codeDescription.href`): `<rulesDocsUrl>/<rule>.md` when
 * the setting is given (a repository URL, say), else the rule's page shipped in the installed
 * extension's `docs/rules/` folder, as a file URL.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

let shippedDocs: string | undefined;

/** `docs/rules` of the installation: next to `dist/` in a bundle, or the repository's from source. */
function shippedRulesDir(): string {
  if (shippedDocs) return shippedDocs;
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) break;
    dir = dirname(dir);
  }
  shippedDocs = join(dir, 'docs', 'rules');
  return shippedDocs;
}

export function ruleDocsHref(rule: string, rulesDocsUrl: string): string {
  if (rulesDocsUrl) return `${rulesDocsUrl.replace(/\/+$/, '')}/${rule}.md`;
  return pathToFileURL(join(shippedRulesDir(), `${rule}.md`)).href;
}
