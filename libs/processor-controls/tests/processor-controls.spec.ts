import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '@provisioning/observability';
import { createRedisClient, deleteKeysWithPrefix, waitForRedis } from '@provisioning/redis';
import { testRedisUrl, uniqueKeyPrefix } from '@provisioning/redis/testing';
import { isForcedReplay, ProcessorControls, type ReplayMarker } from '../src/index.ts';

const marker = (tenantId: string): ReplayMarker => ({
  replayId: 'r1',
  tenantId,
  topic: 'changes',
  requestedAt: '2026-12-03T10:00:00.000Z',
  until: { '0': '10', '1': '0' },
});

describe('processor-controls > replay markers', () => {
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

  it('stores a marker per tenant, with an expiry, and clears it', async () => {
    await controls.setReplay(marker('acme'));
    expect(await redis.ttl(controls.replayKey('acme'))).toBeGreaterThan(0);
    const found = await controls.replays(['acme', 'globex']);
    expect([...found.keys()]).toEqual(['acme']);
    await controls.clearReplay('acme');
    expect((await controls.replays(['acme'])).size).toBe(0);
  });

  it('ignores a marker it cannot read instead of failing the processor', async () => {
    await redis.set(controls.replayKey('acme'), '{not json');
    expect((await controls.replays(['acme'])).size).toBe(0);
  });

  it('forces exactly the events below the end offsets of the replayed topic', () => {
    const m = marker('acme');
    expect(isForcedReplay(m, 'changes', 0, '9')).toBe(true);
    expect(isForcedReplay(m, 'changes', 0, '10')).toBe(false);
    expect(isForcedReplay(m, 'changes', 1, '0')).toBe(false);
    expect(isForcedReplay(m, 'changes', 2, '0')).toBe(false);
    expect(isForcedReplay(m, 'other', 0, '1')).toBe(false);
    expect(isForcedReplay(undefined, 'changes', 0, '1')).toBe(false);
  });
});
