import { randomUUID } from 'node:crypto';
import type { Redis } from '@provisioning/redis';
import { defineScript, runScript } from './tenant-keys.ts';

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * The right to poll one tenant, held by one replica at a time. Each acquisition gets a fresh token, which fences
 * the writes of a replica that lost the lease (its commits check the token) from the one that took over.
 */
export class TenantLease {
  private readonly redis: Redis;
  private readonly key: string;
  private readonly owner: string;
  private current: string | undefined;

  constructor(redis: Redis, key: string, owner: string) {
    this.redis = redis;
    this.key = key;
    this.owner = owner;
    defineScript(redis, 'ingestLeaseRenew', 1, RENEW);
    defineScript(redis, 'ingestLeaseRelease', 1, RELEASE);
  }

  /** The fencing token while held. */
  get token(): string | undefined {
    return this.current;
  }

  /** Takes the lease if nobody holds it. */
  async tryAcquire(ttlMs: number): Promise<boolean> {
    const token = `${this.owner}:${randomUUID()}`;
    const answer = await this.redis.set(this.key, token, 'PX', ttlMs, 'NX');
    this.current = answer === 'OK' ? token : undefined;
    return this.current !== undefined;
  }

  /** Extends the lease; false (and no longer held) when it expired or another replica has it. */
  async renew(ttlMs: number): Promise<boolean> {
    if (!this.current) return false;
    const renewed = (await runScript(this.redis, 'ingestLeaseRenew', [this.key], [this.current, ttlMs])) === 1;
    if (!renewed) this.current = undefined;
    return renewed;
  }

  async release(): Promise<void> {
    if (!this.current) return;
    const token = this.current;
    this.current = undefined;
    await runScript(this.redis, 'ingestLeaseRelease', [this.key], [token]);
  }

  /** Who holds the lease now (the owner part of the token), for status pages. */
  async holder(): Promise<string | undefined> {
    const token = await this.redis.get(this.key);
    return token === null ? undefined : token.slice(0, token.lastIndexOf(':'));
  }
}
