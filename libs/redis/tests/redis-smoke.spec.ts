import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '@provisioning/observability';
import { createRedisClient, waitForRedis } from '../src/index.ts';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from '../src/testing.ts';

describe('redis > real server smoke', () => {
  let redis: Redis;
  let prefix: string;

  beforeEach(async () => {
    redis = createRedisClient({ url: testRedisUrl(), logger: silentLogger() });
    await waitForRedis(redis);
    prefix = uniqueKeyPrefix('smoke');
  });

  afterEach(async () => {
    await deleteKeysWithPrefix(redis, prefix);
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
    await redis.quit();
  });

  it('round-trips a value and runs a Lua script atomically', async () => {
    await redis.set(`${prefix}:a`, 'hello', 'PX', 60_000);
    expect(await redis.get(`${prefix}:a`)).toBe('hello');
    const script = "return redis.call('INCRBY', KEYS[1], ARGV[1])";
    expect(await redis.eval(script, 1, `${prefix}:n`, 5)).toBe(5);
    expect(await redis.eval(script, 1, `${prefix}:n`, 2)).toBe(7);
  });
});

describe('redis > client', () => {
  it('takes commands before the connection is ready, so no caller has to wait for it first', async () => {
    const client = createRedisClient({ url: testRedisUrl(), logger: silentLogger() });
    const prefix = uniqueKeyPrefix('early');
    try {
      await client.set(`${prefix}:k`, 'v');
      expect(await client.get(`${prefix}:k`)).toBe('v');
    } finally {
      await deleteKeysWithPrefix(client, prefix);
      await client.quit();
    }
  });
});
