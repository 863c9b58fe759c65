import type { Redis } from 'ioredis';
import { afterEach, beforeEach } from 'vitest';
import { silentLogger } from '@provisioning/observability';
import { createRedisClient, deleteKeysWithPrefix, waitForRedis } from '@provisioning/redis';
import { testRedisUrl, uniqueKeyPrefix } from '@provisioning/redis/testing';
import { ProcessorControls } from '../../src/index.ts';

/** A real Redis connection and controls under a key prefix of the test's own, removed after each test. */
export interface ControlsBed {
  redis: Redis;
  prefix: string;
  controls: ProcessorControls;
}

export function useControlsBed(): ControlsBed {
  const bed = {} as ControlsBed;
  beforeEach(async () => {
    bed.redis = createRedisClient({ url: testRedisUrl(), logger: silentLogger() });
    await waitForRedis(bed.redis);
    bed.prefix = uniqueKeyPrefix('controls');
    bed.controls = new ProcessorControls(bed.redis, bed.prefix);
  });
  afterEach(async () => {
    await deleteKeysWithPrefix(bed.redis, bed.prefix);
    await bed.redis.quit();
  });
  return bed;
}
