import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '@provisioning/observability';
import { createRedisClient, deleteKeysWithPrefix, waitForRedis } from '@provisioning/redis';
import { testRedisUrl, uniqueKeyPrefix } from '@provisioning/redis/testing';
import { ProcessorControls, userStateKey, type HeldDeprovision } from '../src/index.ts';

const held = (eventId: string, changeId: string, heldAt: string): HeldDeprovision => ({
  tenantId: 'acme',
  userId: eventId.split(':').at(-1)!,
  eventId,
  changeId,
  action: 'deactivate',
  userName: `${eventId}@acme.test`,
  heldAt,
  change: { deprovisions: 17, boundUsers: 126 },
  message: { key: `acme:${eventId}`, value: '{"schemaVersion":1}', headers: { 'change-id': changeId } },
});

describe('processor-controls > tenants, held deprovisions and decisions', () => {
  let redis: Redis;
  let prefix: string;
  let controls: ProcessorControls;

  beforeEach(async () => {
    redis = createRedisClient({ url: testRedisUrl(), logger: silentLogger() });
    await waitForRedis(redis);
    prefix = uniqueKeyPrefix('controls');
    controls = new ProcessorControls(redis, prefix);
  });
  afterEach(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    await redis.quit();
  });

  it('disables a tenant with a reason until it is enabled again', async () => {
    const control = await controls.disable('acme', 'Terranova maintenance');
    expect(control).toMatchObject({ tenantId: 'acme', reason: 'Terranova maintenance' });
    expect([...(await controls.disabledTenants(['acme', 'globex'])).keys()]).toEqual(['acme']);
    expect(await controls.enable('acme')).toBe(true);
    expect(await controls.enable('acme')).toBe(false);
    expect((await controls.disabledTenants(['acme'])).size).toBe(0);
  });

  it('treats an unreadable disable control as disabled: the safe side', async () => {
    await redis.set(controls.disabledKey('acme'), 'garbage');
    expect((await controls.disabledTenants(['acme'])).get('acme')).toMatchObject({ reason: 'unreadable control' });
  });

  it('keeps one entry per held event, lists them oldest first (per change on request), and releases them', async () => {
    await controls.hold(held('d1:u2', 'd1', '2026-12-01T10:00:02.000Z'));
    await controls.hold(held('d1:u1', 'd1', '2026-12-01T10:00:01.000Z'));
    await controls.hold(held('d1:u1', 'd1', '2026-12-01T10:00:01.000Z'));
    await controls.hold(held('d2:u3', 'd2', '2026-12-01T10:00:03.000Z'));
    await redis.hset(controls.heldKey('acme'), 'broken', '{');
    expect((await controls.held('acme')).map((h) => h.eventId)).toEqual(['d1:u1', 'd1:u2', 'd2:u3']);
    expect((await controls.held('acme', 'd2')).map((h) => h.eventId)).toEqual(['d2:u3']);
    expect(await controls.heldCounts(['acme', 'globex'])).toEqual(new Map([['acme', 4], ['globex', 0]]));
    expect(await controls.release('acme', ['d1:u1', 'd1:u2', 'gone'])).toBe(2);
    expect((await controls.held('acme')).map((h) => h.eventId)).toEqual(['d2:u3']);
  });

  it('refuses to store a held entry that is not valid', async () => {
    await expect(controls.hold({ ...held('d1:u1', 'd1', 'yesterday') })).rejects.toThrow();
  });

  it('records an operator decision per change, with an expiry', async () => {
    expect(await controls.decision('acme', 'd1')).toBeUndefined();
    await controls.decide('acme', 'd1', 'approved');
    await controls.decide('acme', 'd2', 'rejected');
    expect(await controls.decision('acme', 'd1')).toMatchObject({ decision: 'approved' });
    expect(await controls.decision('acme', 'd2')).toMatchObject({ decision: 'rejected' });
    expect(await redis.ttl(controls.decisionsKey('acme'))).toBeGreaterThan(0);
  });

  it('reads what the processor applied per user of a tenant, and nothing of another tenant', async () => {
    await redis.hset(userStateKey(prefix, 'acme', 'u1'), 'userName', 'ann@acme.test', 'scimId', 's1', 'observedAt', 'x');
    await redis.hset(userStateKey(prefix, 'acme', 'u2'), 'userName', 'bob@acme.test');
    await redis.hset(userStateKey(prefix, 'acme-two', 'u3'), 'userName', 'cy@acme.test');
    const applied = (await controls.appliedUsers('acme')).sort((a, b) => a.userId.localeCompare(b.userId));
    expect(applied).toEqual([
      { userId: 'u1', userName: 'ann@acme.test', scimId: 's1' },
      { userId: 'u2', userName: 'bob@acme.test', scimId: undefined },
    ]);
  });
});
