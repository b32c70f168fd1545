/**
 * Renders a rule's documentation (docs/rules/<id>.md) from its source: the `doc` of each rule in
 * server/src/engine/rules/. `npm run docs` writes them; test/rule-docs.test.ts fails when they are stale.
 */
import type { Rule } from '../server/src/engine/rules/index';

export function renderRuleDoc(rule: Rule): string {
  const { doc } = rule;
  return [
    `# ${rule.id}`,
    '',
    `${doc.summary}`,
    '',
    `Default severity: ${rule.defaultSeverity}. Generated from \`server/src/engine/rules/${rule.id}.ts\`; do not edit by hand.`,
    '',
    '## What it does',
    '',
    doc.what,
    '',
    '## Why is this bad?',
    '',
    doc.why,
    '',
    '## Example',
    '',
    '```c',
    doc.example,
    '```',
    '',
    '## Fix',
    '',
    doc.fix,
    '',
    '## Suppressing it',
    '',
    `Write the reason: \`/* kpath: ignore ${rule.id}: <why this cannot happen here> */\` on the flagged line or the line above. A suppression without a reason is not honoured. Turn the rule off for a workspace with \`"rules": { "${rule.id}": "off" }\` in \`.kpath.json\`.`,
    '',
  ].join('\n');
}

export function renderRuleIndex(rules: readonly Rule[]): string {
  return [
    '# kpath rules',
    '',
    '| rule | default | what it finds |',
    '|---|---|---|',
    ...rules.map((r) => `| [${r.id}](${r.id}.md) | ${r.defaultSeverity} | ${r.doc.summary} |`),
    '',
  ].join('\n');
}
