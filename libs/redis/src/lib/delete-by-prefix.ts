import type { Redis } from 'ioredis';

/** Deletes every key under a prefix (SCAN, never KEYS, so it is safe on a shared server). Returns how many. */
export async function deleteKeysWithPrefix(client: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await client.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
