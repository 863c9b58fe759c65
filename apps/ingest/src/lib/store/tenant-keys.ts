import type { Redis } from '@provisioning/redis';
import { NonRetriableError } from '@provisioning/errors';

/**
 * The Redis keys of one tenant. They share the hash tag `{tenantId}`, so on Redis Cluster they live in one slot
 * and one Lua script can update them together: e.g. `ingest:{acme}:cursor`.
 */
export interface TenantKeys {
  lease: string;
  cursor: string;
  pending: string;
  bound: string;
  users: string;
  /** Prefix of the per-event "already published" keys of a source. */
  seenPrefix: string;
}

export function tenantKeys(prefix: string, tenantId: string): TenantKeys {
  const base = `${prefix}:{${tenantId}}`;
  return { lease: `${base}:lease`, cursor: `${base}:cursor`, pending: `${base}:pending`, bound: `${base}:bound`, users: `${base}:users`, seenPrefix: `${base}:seen:` };
}

/** This replica no longer holds the tenant's lease: another one took over, so it must stop writing. */
export class LeaseLostError extends NonRetriableError {
  constructor(tenantId: string) {
    super(`the lease of tenant ${tenantId} is held by another replica`, { code: 'LEASE_LOST' });
    this.name = 'LeaseLostError';
  }
}

/** Registers a Lua script on a client once (ioredis caches it by SHA and falls back to EVAL). */
export function defineScript(redis: Redis, name: string, numberOfKeys: number, lua: string): void {
  if (!(name in redis)) redis.defineCommand(name, { numberOfKeys, lua });
}

/** Runs a script registered with `defineScript`. */
export async function runScript(redis: Redis, name: string, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
  const command = (redis as unknown as Record<string, (...a: (string | number)[]) => Promise<unknown>>)[name];
  if (!command) throw new Error(`script ${name} is not defined`);
  return command.call(redis, ...keys, ...args);
}
