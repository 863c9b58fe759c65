import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { ConfigError } from './config-error.ts';
import { deepFreeze, type DeepReadonly } from './deep-freeze.ts';

/** Formats zod issues as `path: message` lines, one per problem. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.');
    return `${path}: ${issue.message}`;
  });
}

/** Validates a config value against its schema; throws one ConfigError listing every problem. */
export function parseConfig<S extends z.ZodType>(schema: S, input: unknown, source: string): DeepReadonly<z.output<S>> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ConfigError(source, describeIssues(result.error.issues), result.error);
  return deepFreeze(result.data);
}

/** Reads a JSON config file; a missing or malformed file is a ConfigError naming the file. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(path, [`cannot read the file: ${(error as Error).message}`], error);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError(path, [`not valid JSON: ${(error as Error).message}`], error);
  }
}
