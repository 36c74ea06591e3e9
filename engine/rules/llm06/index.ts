import type { Rule } from '../types.js';
import { rule as dangerousToolWithoutApproval } from './dangerous-tool-without-approval.js';
import { rule as dangerousCapabilityEnabled } from './dangerous-capability-enabled.js';
import { rule as overbroadToolAccess } from './overbroad-tool-access.js';

export const rules: Rule[] = [dangerousToolWithoutApproval, dangerousCapabilityEnabled, overbroadToolAccess];
