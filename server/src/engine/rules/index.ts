/** Every rule, in the order their ids are listed in `RULE_IDS`. */
import type { RuleId } from '../finding';
import { kmapLeak } from './kmap-leak';
import { kmapSerieOrder } from './kmap-serie-order';
import { kmapSerieReentry } from './kmap-serie-reentry';
import { kunmapMismatch } from './kunmap-mismatch';
import { kunmapOrder } from './kunmap-order';
import { lockImbalance } from './lock-imbalance';
import type { Rule } from './rule';
import { sleepInAtomic } from './sleep-in-atomic';

export const RULES: readonly Rule[] = [sleepInAtomic, kmapSerieReentry, kmapSerieOrder, kmapLeak, kunmapOrder, kunmapMismatch, lockImbalance];

export function ruleById(id: RuleId): Rule {
  const rule = RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}

export type { Rule, RuleDoc } from './rule';
