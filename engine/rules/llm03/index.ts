import type { Rule } from '../types.js';
import { rule as trustRemoteCode } from './trust-remote-code.js';
import { rule as unsafeModelLoad } from './unsafe-model-load.js';
import { rule as untrustedModelSource } from './untrusted-model-source.js';
import { rule as runtimePackageInstall } from './runtime-package-install.js';
import { rule as unpinnedAgentDependency } from './unpinned-agent-dependency.js';

export const rules: Rule[] = [trustRemoteCode, unsafeModelLoad, untrustedModelSource, runtimePackageInstall, unpinnedAgentDependency];
