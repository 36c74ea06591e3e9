import type { Rule } from '../types.js';
import { rule as userControlledFilter } from './user-controlled-filter.js';
import { rule as missingTenantFilter } from './missing-tenant-filter.js';

export const rules: Rule[] = [userControlledFilter, missingTenantFilter];
