import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RedisClientOptions {
  /** `redis://host:port/db`; a password in the URL is never logged. */
  url: string;
  logger: Logger;
  /**
   * Reject commands at once while disconnected. By default they wait for the connection (the first one too, so a
   * caller need not wait for `ready`), and each fails after `maxRetriesPerRequest` reconnection attempts, so a
   * Redis outage still surfaces as errors rather than an ever-growing queue.
   * @defaultValue false
   */
  failFastWhenDown?: boolean;
}

/** An ioredis client that reports connection trouble through our logger. */
export function createRedisClient(options: RedisClientOptions): Redis {
  const log = options.logger.child({ component: 'redis' });
  const client = new Redis(options.url, {
    lazyConnect: false,
    maxRetriesPerRequest: 3,
    enableOfflineQueue: !(options.failFastWhenDown ?? false),
    connectionName: 'provisioning',
  });
  client.on('error', (err: Error) => log.warn({ err }, 'redis connection error'));
  return client;
}

/** Waits until the client is connected, so startup fails early and clearly when Redis is down. */
export async function waitForRedis(client: Redis, timeoutMs = 10_000): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis not reachable within ${timeoutMs} ms`)), timeoutMs);
    client.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
