import type { Rule } from '../types.js';
import { rule as userInputInPrompt } from './user-input-in-prompt.js';
import { rule as indirectInjection } from './indirect-injection.js';

export const rules: Rule[] = [userInputInPrompt, indirectInjection];
