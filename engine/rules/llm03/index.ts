import { rule as dynamicCodeLoad } from './dynamic-code-load.js';
import type { Rule } from '../types.js';
import { rule as trustRemoteCode } from './trust-remote-code.js';
import { rule as unsafeModelLoad } from './unsafe-model-load.js';
import { rule as untrustedModelSource } from './untrusted-model-source.js';
import { rule as runtimePackageInstall } from './runtime-package-install.js';
import { rule as unpinnedAgentDependency } from './unpinned-agent-dependency.js';
import { rule as vulnerableAgentDependency } from './vulnerable-agent-dependency.js';
import { rule as unpinnedMcpServer } from './unpinned-mcp-server.js';
import { rule as downloadAndExecute } from './download-and-execute.js';
import { rule as insecureMcpTransport } from './insecure-mcp-transport.js';
import { rule as unverifiedSkillInstall } from './unverified-skill-install.js';

export const rules: Rule[] = [trustRemoteCode, unsafeModelLoad, untrustedModelSource, runtimePackageInstall, unpinnedAgentDependency, vulnerableAgentDependency, unpinnedMcpServer, downloadAndExecute, insecureMcpTransport, unverifiedSkillInstall, dynamicCodeLoad];
