import type { Rule } from './types.js';
import { rules as llm01 } from './llm01/index.js';
import { rules as llm02 } from './llm02/index.js';
import { rules as llm03 } from './llm03/index.js';
import { rules as llm04 } from './llm04/index.js';
import { rules as llm05 } from './llm05/index.js';
import { rules as llm06 } from './llm06/index.js';
import { rules as llm07 } from './llm07/index.js';
import { rules as llm08 } from './llm08/index.js';
import { rules as llm09 } from './llm09/index.js';
import { rules as llm10 } from './llm10/index.js';

export type { Rule, RuleMeta, RuleContext, Finding } from './types.js';

// Static imports, not a directory scan: the Action is a bundle and must see every rule.
const ALL: Rule[] = [...llm01, ...llm02, ...llm03, ...llm04, ...llm05, ...llm06, ...llm07, ...llm08, ...llm09, ...llm10];

export function allRules(): Rule[] {
  return ALL;
}

export function ruleById(id: string): Rule | undefined {
  return ALL.find((r) => r.meta.id === id);
}
