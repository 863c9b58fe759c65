import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * Where a secret comes from. Config files name the source, never the value, so a file can be committed
 * or shared without leaking anything.
 */
export const secretRefSchema = z.union(
  [
    z.strictObject({ env: z.string().min(1).describe('name of an environment variable holding the secret') }),
    z.strictObject({ file: z.string().min(1).describe('path of a file holding the secret (trailing newline trimmed)') }),
  ],
  { error: 'expected a secret reference, { "env": "NAME" } or { "file": "/path" }, never the secret itself' },
);
export type SecretRef = z.infer<typeof secretRefSchema>;

/** The process environment, passed in by the app so libs never read `process.env` themselves. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Resolves a secret; returns a problem description instead of throwing, so callers can list every problem. */
export async function resolveSecret(
  ref: SecretRef,
  env: Environment,
): Promise<{ ok: true; value: string } | { ok: false; problem: string }> {
  if ('env' in ref) {
    const value = env[ref.env];
    return value ? { ok: true, value } : { ok: false, problem: `environment variable ${ref.env} is not set` };
  }
  try {
    const value = (await readFile(ref.file, 'utf8')).trim();
    return value ? { ok: true, value } : { ok: false, problem: `secret file ${ref.file} is empty` };
  } catch (error) {
    return { ok: false, problem: `cannot read secret file ${ref.file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}` };
  }
}
