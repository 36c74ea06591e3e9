import type { Rule } from '../types.js';
import { rule as unverifiedOutputDecision } from './unverified-output-decision.js';
import { rule as unvalidatedOutputAsFact } from './unvalidated-output-as-fact.js';
import { rule as overconfidentInstructions } from './overconfident-instructions.js';
import { rule as modelOutputDrivesAction } from './model-output-drives-action.js';

export const rules: Rule[] = [unverifiedOutputDecision, unvalidatedOutputAsFact, overconfidentInstructions, modelOutputDrivesAction];
