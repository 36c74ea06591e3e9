import type { Rule } from '../types.js';
import { rule as userInputInPrompt } from './user-input-in-prompt.js';
import { rule as indirectInjection } from './indirect-injection.js';
import { rule as hiddenUnicode } from './hidden-unicode.js';
import { rule as instructionOverride } from './instruction-override.js';
import { rule as concealedDirective } from './concealed-directive.js';
import { rule as remoteInstructions } from './remote-instructions.js';
import { rule as encodedInstructions } from './encoded-instructions.js';
import { rule as moltbookFeedInPrompt } from './moltbook-feed-in-prompt.js';
import { rule as mcpToolPoisoning } from './mcp-tool-poisoning.js';

export const rules: Rule[] = [userInputInPrompt, indirectInjection, hiddenUnicode, instructionOverride, concealedDirective, remoteInstructions, encodedInstructions, moltbookFeedInPrompt, mcpToolPoisoning];
