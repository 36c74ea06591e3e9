import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';

const severity = z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO']);
const upper = (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v);

export const FailOn = z.enum(['critical', 'high', 'medium', 'low', 'none']);
export type FailOn = z.infer<typeof FailOn>;

/** `.agentcop.yml`. Unknown keys are an error: a typo must not silently turn a gate off. */
export const ConfigSchema = z
  .object({
    min_score: z.number().int().min(0).max(100).optional(),
    fail_on: z.preprocess((v) => (typeof v === 'string' ? v.toLowerCase() : v), FailOn).optional(),
    paths: z.array(z.string()).optional(),
    ignore: z.array(z.string()).optional(),
    rules: z.record(z.string(), z.union([z.literal('off'), z.preprocess(upper, severity)])).optional(),
    frameworks: z.array(z.string()).optional(),
    max_file_size: z.number().int().positive().optional(),
    baseline: z.string().optional(),
  })
  .strict();

export type AgentcopConfig = z.infer<typeof ConfigSchema>;

export const CONFIG_FILES = ['.agentcop.yml', '.agentcop.yaml'];

export class ConfigError extends Error {}

export function parseConfig(text: string, origin = '.agentcop.yml'): AgentcopConfig {
  let raw: unknown;
  try {
    raw = YAML.parse(text) ?? {};
  } catch (err) {
    throw new ConfigError(`${origin}: not valid YAML: ${(err as Error).message}`);
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new ConfigError(`${origin}: ${problems}`);
  }
  return parsed.data;
}

/** An explicit file must exist; otherwise the first config file in `root` is used, if any. */
export async function loadConfig(root: string, explicit?: string): Promise<AgentcopConfig> {
  if (explicit) {
    if (!existsSync(explicit)) throw new ConfigError(`config file not found: ${explicit}`);
    return parseConfig(await readFile(explicit, 'utf8'), explicit);
  }
  for (const name of CONFIG_FILES) {
    const candidate = path.join(root, name);
    if (existsSync(candidate)) return parseConfig(await readFile(candidate, 'utf8'), candidate);
  }
  return {};
}
