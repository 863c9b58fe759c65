import { randomUUID } from 'node:crypto';

/**
 * The Redis tests talk to: `REDIS_URL` when set, otherwise a container started with testcontainers.
 * @returns a stop function for the container, or undefined when nothing was started
 */
export async function provideTestRedis(env: NodeJS.ProcessEnv): Promise<(() => Promise<void>) | undefined> {
  if (env['REDIS_URL']) return undefined;
  const { RedisContainer } = await import('@testcontainers/redis');
  const container = await new RedisContainer('redis:7-alpine').start();
  env['REDIS_URL'] = container.getConnectionUrl();
  return async () => {
    await container.stop();
  };
}

/** The Redis URL for this test process. */
export function testRedisUrl(): string {
  const url = process.env['REDIS_URL'];
  if (!url) throw new Error('REDIS_URL is not set: run tests with `npm test`, which provides Redis');
  return url;
}

/** A key prefix no other test uses; every key a test writes starts with it. */
export function uniqueKeyPrefix(label = 'test'): string {
  return `t:${label}:${randomUUID().slice(0, 12)}`;
}
