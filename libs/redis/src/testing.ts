export { provideTestRedis, testRedisUrl, uniqueKeyPrefix, deleteKeysWithPrefix } from './testing/test-redis.ts';
