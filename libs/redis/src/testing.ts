export { provideTestRedis, testRedisUrl, uniqueKeyPrefix } from './testing/test-redis.ts';
export { deleteKeysWithPrefix } from './lib/delete-by-prefix.ts';
