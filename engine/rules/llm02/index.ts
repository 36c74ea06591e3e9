import type { Rule } from '../types.js';
import { rule as hardcodedSecret } from './hardcoded-secret.js';
import { rule as secretInPrompt } from './secret-in-prompt.js';
import { rule as secretInOutput } from './secret-in-output.js';
import { rule as sharedConversationMemory } from './shared-conversation-memory.js';
import { rule as secretInAgentConfig } from './secret-in-agent-config.js';
import { rule as modelBaseUrlOverride } from './model-base-url-override.js';
import { rule as exfiltrationInstruction } from './exfiltration-instruction.js';
import { rule as mcpToolSecretRequest } from './mcp-tool-secret-request.js';
import { rule as keyExposedToBrowser } from './key-exposed-to-browser.js';

export const rules: Rule[] = [hardcodedSecret, secretInPrompt, secretInOutput, sharedConversationMemory, secretInAgentConfig, modelBaseUrlOverride, exfiltrationInstruction, mcpToolSecretRequest, keyExposedToBrowser];
