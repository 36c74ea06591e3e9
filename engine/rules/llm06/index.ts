import type { Rule } from '../types.js';
import { rule as dangerousToolWithoutApproval } from './dangerous-tool-without-approval.js';
import { rule as dangerousCapabilityEnabled } from './dangerous-capability-enabled.js';
import { rule as overbroadToolAccess } from './overbroad-tool-access.js';
import { rule as mcpAutoApprove } from './mcp-auto-approve.js';
import { rule as mcpPrivilegedContainer } from './mcp-privileged-container.js';
import { rule as mcpBroadFilesystemScope } from './mcp-broad-filesystem-scope.js';
import { rule as agentPermissionBypass } from './agent-permission-bypass.js';
import { rule as instructionGrantsAutonomy } from './instruction-grants-autonomy.js';

export const rules: Rule[] = [dangerousToolWithoutApproval, dangerousCapabilityEnabled, overbroadToolAccess, mcpAutoApprove, mcpPrivilegedContainer, mcpBroadFilesystemScope, agentPermissionBypass, instructionGrantsAutonomy];
