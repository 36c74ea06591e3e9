import type { Rule } from '../types.js';
import { rule as codeExecution } from './code-execution.js';
import { rule as shellInjection } from './shell-injection.js';
import { rule as sqlInjection } from './sql-injection.js';
import { rule as xss } from './xss.js';
import { rule as pathTraversal } from './path-traversal.js';
import { rule as ssrf } from './ssrf.js';
import { rule as unsafeDeserialization } from './unsafe-deserialization.js';
import { rule as openRedirect } from './open-redirect.js';

export const rules: Rule[] = [codeExecution, shellInjection, sqlInjection, xss, pathTraversal, ssrf, unsafeDeserialization, openRedirect];
