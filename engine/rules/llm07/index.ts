import type { Rule } from '../types.js';
import { rule as secretInSystemPrompt } from './secret-in-system-prompt.js';
import { rule as systemPromptExposed } from './system-prompt-exposed.js';

export const rules: Rule[] = [secretInSystemPrompt, systemPromptExposed];
