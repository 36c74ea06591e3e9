import { rule as agentStepLimit } from './agent-step-limits.js';
import type { Rule } from '../types.js';
import { rule as unboundedModelLoop } from './unbounded-model-loop.js';
import { rule as limitsDisabled } from './limits-disabled.js';
import { rule as userControlledBudget } from './user-controlled-budget.js';

export const rules: Rule[] = [unboundedModelLoop, limitsDisabled, userControlledBudget, agentStepLimit];
