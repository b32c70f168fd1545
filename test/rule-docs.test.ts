/** docs/rules/ is generated from the rules' source: this fails when someone edits one without the other. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_IDS } from '../server/src/engine/finding';
import { RULES } from '../server/src/engine/rules/index';
import { renderRuleDoc, renderRuleIndex } from '../scripts/rule-docs';

const DOCS = join(__dirname, '..', 'docs', 'rules');

describe('rule docs', () => {
  it('every rule id has a rule, in order', () => {
    expect(RULES.map((r) => r.id)).toEqual([...RULE_IDS]);
  });
  for (const rule of RULES) {
    it(`${rule.id}.md is up to date (npm run docs)`, () => {
      expect(readFileSync(join(DOCS, `${rule.id}.md`), 'utf8')).toBe(renderRuleDoc(rule));
    });
  }
  it('README.md lists every rule (npm run docs)', () => {
    expect(readFileSync(join(DOCS, 'README.md'), 'utf8')).toBe(renderRuleIndex(RULES));
  });
});
