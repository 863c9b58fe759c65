import { userStateKey } from '@provisioning/processor-controls';

/**
 * Redis key names. Each key carries a hash tag (`{…}`) so Redis Cluster puts everything one Lua script
 * touches in one slot: a user's state and its event markers share `{tenant:user}`, a tenant's rate-limit
 * bucket has `{tenant}`. The prefix lets tests and several deployments share one Redis.
 */
export class RedisKeys {
  readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix;
  }

  /** Hash of what was last applied to Terranova for one user (the name is shared with ops, which reads it). */
  userState(tenantId: string, userId: string): string {
    return userStateKey(this.prefix, tenantId, userId);
  }

  /** An event's idempotency marker: a lease while it runs, `done` afterwards. */
  event(tenantId: string, userId: string, eventId: string): string {
    return `${this.prefix}:event:{${tenantId}:${userId}}:${eventId}`;
  }

  /** The token bucket shared by every replica for one Terranova tenant. */
  rateBucket(tenantId: string): string {
    return `${this.prefix}:rate:{${tenantId}}`;
  }
}

/**
 * An instant as a string that sorts like the instant it names, so a Lua script can compare `observedAt`
 * values with `<`: the fraction is padded to nanoseconds (`…05.1Z` and `…05.123Z` would sort wrongly as they are).
 */
export function sortableInstant(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(iso);
  if (!match) return new Date(iso).toISOString().replace('Z', '000000Z');
  return `${match[1]}.${(match[2] ?? '').padEnd(9, '0')}Z`;
}
