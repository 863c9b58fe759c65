import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '@provisioning/observability';
import { createRedisClient, waitForRedis } from '@provisioning/redis';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from '@provisioning/redis/testing';
import { EventLedger, type EventRef } from '../src/lib/state/event-ledger.ts';
import { RedisKeys, sortableInstant } from '../src/lib/state/redis-keys.ts';
import { RedisScripts, type ScriptName } from '../src/lib/state/redis-scripts.ts';
import { TenantTokenBucket } from '../src/lib/state/token-bucket.ts';

const event = (eventId: string, observedAt: string): EventRef => ({ tenantId: 'acme', userId: 'u1', eventId, observedAt });
const state = { scimId: 'scim-1', userName: 'ann', attributesHash: 'h1', appliedJson: '{"userName":"ann"}' };

describe('redis state', () => {
  let redis: Redis;
  let prefix: string;
  let keys: RedisKeys;
  let calls: ScriptName[];
  let scripts: RedisScripts;

  beforeEach(async () => {
    redis = createRedisClient({ url: testRedisUrl(), logger: silentLogger() });
    await waitForRedis(redis);
    prefix = uniqueKeyPrefix('processor');
    keys = new RedisKeys(prefix);
    calls = [];
    scripts = new RedisScripts(redis, (name) => calls.push(name));
  });

  afterEach(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  describe('event ledger', () => {
    const ledger = () => new EventLedger(scripts, keys, { leaseMs: 60_000, doneTtlMs: 60_000, stateTtlMs: 60_000 });

    it('claims an event, then calls it a duplicate once done, with the user state read in the same round trip', async () => {
      const first = event('e1', '2024-05-01T10:00:00Z');
      expect(await ledger().claim(first, 'w1')).toEqual({ status: 'claimed', state: undefined });
      await ledger().finish(first, state);
      expect(await ledger().claim(first, 'w2')).toEqual({ status: 'duplicate' });
      const next = await ledger().claim(event('e2', '2024-05-01T10:00:01.5Z'), 'w1');
      expect(next).toEqual({
        status: 'claimed',
        state: { observedAt: sortableInstant('2024-05-01T10:00:00Z'), scimId: 'scim-1', userName: 'ann', attributesHash: 'h1', appliedJson: state.appliedJson },
      });
      expect(calls).toEqual(['claimEvent', 'finishEvent', 'claimEvent', 'claimEvent']);
    });

    it('skips a state older than the one applied, comparing sub-second precision correctly', async () => {
      await ledger().finish(event('e1', '2024-05-01T10:00:00.123Z'), state);
      const older = await ledger().claim(event('e0', '2024-05-01T10:00:00.1229Z'), 'w1');
      expect(older.status).toBe('stale');
      const sameInstant = await ledger().claim(event('e2', '2024-05-01T10:00:00.123000Z'), 'w1');
      expect(sameInstant.status).toBe('claimed');
    });

    it('never moves the recorded state back to an older observedAt', async () => {
      await ledger().finish(event('e2', '2024-05-01T11:00:00Z'), { ...state, userName: 'newer' });
      await ledger().finish(event('e1', '2024-05-01T10:00:00Z'), { ...state, userName: 'older' });
      expect(await redis.hget(keys.userState('acme', 'u1'), 'userName')).toBe('newer');
    });

    it('keeps another worker out while the lease holds, lets the owner renew it, and lets it expire', async () => {
      const shortLease = new EventLedger(scripts, keys, { leaseMs: 300, doneTtlMs: 60_000, stateTtlMs: 60_000 });
      const ref = event('e1', '2024-05-01T10:00:00Z');
      expect((await shortLease.claim(ref, 'w1')).status).toBe('claimed');
      const busy = await shortLease.claim(ref, 'w2');
      expect(busy.status).toBe('busy');
      expect(busy.status === 'busy' && busy.leaseLeftMs).toBeGreaterThan(0);
      expect((await shortLease.claim(ref, 'w1')).status).toBe('claimed');
      expect(await shortLease.renew(ref, 'w2')).toBe(false);
      await expect.poll(async () => (await shortLease.claim(ref, 'w2')).status, { timeout: 5_000, interval: 100 }).toBe('claimed');
    });

    it('gives a claim back so a parked event can be taken again', async () => {
      const ref = event('e1', '2024-05-01T10:00:00Z');
      await ledger().claim(ref, 'w1');
      await ledger().release(ref, 'w2');
      expect((await ledger().claim(ref, 'w3')).status).toBe('busy');
      await ledger().release(ref, 'w1');
      expect((await ledger().claim(ref, 'w3')).status).toBe('claimed');
    });

    it('puts every key of one user in one Redis Cluster slot', () => {
      const slotTag = (key: string) => /\{([^}]*)\}/.exec(key)?.[1];
      expect(slotTag(keys.event('acme', 'u1', 'e1'))).toBe(slotTag(keys.userState('acme', 'u1')));
      expect(slotTag(keys.rateBucket('acme'))).toBe('acme');
    });
  });

  describe('token bucket', () => {
    const withTimeout = <T>(promise: Promise<T>, ms: number) => Promise.race([promise, sleep(ms).then(() => 'timeout' as const)]);

    it('is shared by replicas: two processes together never get more than the burst', async () => {
      const other = createRedisClient({ url: testRedisUrl(), logger: silentLogger() });
      await waitForRedis(other);
      const limit = { ratePerSecond: 0.001, burst: 10 };
      const a = new TenantTokenBucket(scripts, keys, 'acme', limit, silentLogger());
      const b = new TenantTokenBucket(new RedisScripts(other), keys, 'acme', limit, silentLogger());
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) => withTimeout((i % 2 ? a : b).take(), 500)));
      await other.quit();
      expect(results.filter((r) => r !== 'timeout')).toHaveLength(10);
    });

    it('batches concurrent takes into few script calls', async () => {
      const bucket = new TenantTokenBucket(scripts, keys, 'acme', { ratePerSecond: 1_000, burst: 100 }, silentLogger());
      await Promise.all(Array.from({ length: 50 }, () => bucket.take()));
      expect(calls.filter((c) => c === 'takeTokens').length).toBeLessThan(5);
    });

    it('after a 429 every replica waits out Retry-After and the rate is cut at most once per cooldown', async () => {
      const bucket = new TenantTokenBucket(scripts, keys, 'acme', { ratePerSecond: 100, burst: 10 }, silentLogger());
      await bucket.slowDown(5_000);
      await bucket.slowDown(5_000);
      const factor = Number(await redis.hget(keys.rateBucket('acme'), 'factor'));
      expect(factor).toBe(0.5);
      const [granted, waitMs] = (await scripts.run('takeTokens', [keys.rateBucket('acme')], [100, 10, 1, 60_000])) as number[];
      expect(granted).toBe(0);
      expect(waitMs).toBeGreaterThan(4_000);
    });
  });
});
