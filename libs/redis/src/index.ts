export { createRedisClient, waitForRedis } from './lib/redis-client.ts';
export type { RedisClientOptions } from './lib/redis-client.ts';
export { deleteKeysWithPrefix } from './lib/delete-by-prefix.ts';
export type { Redis } from 'ioredis';
