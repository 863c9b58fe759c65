import type { Redis } from '@provisioning/redis';
import type { DeletedJumpCloudUserState } from '@provisioning/schemas';
import { LeaseLostError, defineScript, runScript, tenantKeys, type TenantKeys } from './tenant-keys.ts';

/**
 * Where the poller stands: the newest event time it has read, and the ids it has seen from `overlapMs` before
 * that time on, so the next poll can re-read that window and skip what it already published.
 */
export interface PollCursor {
  /** The newest event timestamp read, as JumpCloud wrote it. */
  timestamp: string;
  /** `[eventId, epochNanos]` of the events seen in the overlap window. */
  seen: [string, string][];
}

/** What the ingest last published about a user: enough to describe a deleted user and to notice a rename. */
export type KnownUser = DeletedJumpCloudUserState;

/** Changes to a tenant's memory that go with a batch of published events. */
export interface StoreUpdate {
  /** The bound flag last published per user (the "previously known as bound" set). */
  bound: [string, boolean][];
  users: [string, KnownUser][];
}

/** A Kafka message as the publisher sends it. */
export interface OutgoingMessage {
  key: string;
  value: string;
  eventId: string;
  /** Headers besides the event id (the change headers of a many-user change). */
  headers?: Record<string, string>;
}

/**
 * A batch written down before it is published, so the replica that finds it after a crash can publish exactly
 * what is missing from Kafka and then commit it.
 */
export interface PendingBatch {
  createdAtMs: number;
  messages: OutgoingMessage[];
  cursorAfter: PollCursor;
  update: StoreUpdate;
}

const WRITE_PENDING = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('LEASE_LOST') end
redis.call('SET', KEYS[2], ARGV[2])
return 1`;

// KEYS: lease, cursor, pending, bound, users. ARGV: fence ('' = none), cursor JSON ('' = keep), clear pending, update JSON.
const COMMIT = `
if ARGV[1] ~= '' and redis.call('GET', KEYS[1]) ~= ARGV[1] then return redis.error_reply('LEASE_LOST') end
local update = cjson.decode(ARGV[4])
for _, id in ipairs(update.add) do redis.call('SADD', KEYS[4], id) end
for _, id in ipairs(update.remove) do redis.call('SREM', KEYS[4], id) end
for _, pair in ipairs(update.users) do redis.call('HSET', KEYS[5], pair[1], pair[2]) end
if ARGV[2] ~= '' then redis.call('SET', KEYS[2], ARGV[2]) end
if ARGV[3] == '1' then redis.call('DEL', KEYS[3]) end
return 1`;

function isLeaseLost(error: unknown): boolean {
  return error instanceof Error && error.message.includes('LEASE_LOST');
}

/** A tenant's durable ingest state in Redis: cursor, pending batch, bound users, last known users. */
export class TenantStore {
  readonly keys: TenantKeys;
  private readonly redis: Redis;
  private readonly tenantId: string;

  constructor(redis: Redis, prefix: string, tenantId: string) {
    this.redis = redis;
    this.tenantId = tenantId;
    this.keys = tenantKeys(prefix, tenantId);
    defineScript(redis, 'ingestWritePending', 2, WRITE_PENDING);
    defineScript(redis, 'ingestCommit', 5, COMMIT);
  }

  async readCursor(): Promise<PollCursor | undefined> {
    const text = await this.redis.get(this.keys.cursor);
    return text === null ? undefined : (JSON.parse(text) as PollCursor);
  }

  async readPending(): Promise<PendingBatch | undefined> {
    const text = await this.redis.get(this.keys.pending);
    return text === null ? undefined : (JSON.parse(text) as PendingBatch);
  }

  async knownBound(): Promise<Set<string>> {
    return new Set(await this.redis.smembers(this.keys.bound));
  }

  async knownUsers(userIds: readonly string[]): Promise<Map<string, KnownUser>> {
    if (userIds.length === 0) return new Map();
    const values = await this.redis.hmget(this.keys.users, ...userIds);
    return new Map(userIds.flatMap((id, i) => (values[i] ? [[id, JSON.parse(values[i] as string) as KnownUser] as const] : [])));
  }

  /**
   * Claims event ids for one source (e.g. webhook deliveries), for `ttlSeconds`: returns the ids nobody claimed
   * before, so a redelivered event is published once. Each id is its own key under the tenant's hash tag.
   */
  async claimEventIds(source: string, ids: readonly string[], ttlSeconds: number): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.set(this.seenKey(source, id), '1', 'EX', ttlSeconds, 'NX');
    const answers = (await pipeline.exec()) ?? [];
    return new Set(ids.filter((_, i) => answers[i]?.[1] === 'OK'));
  }

  /** Gives claimed ids back (their publication failed), so a redelivery can publish them. */
  async releaseEventIds(source: string, ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await this.redis.del(...ids.map((id) => this.seenKey(source, id)));
  }

  private seenKey(source: string, id: string): string {
    return `${this.keys.seenPrefix}${source}:${id}`;
  }

  /** Records a batch about to be published; only the lease holder (`fence`) may. */
  async writePending(fence: string, pending: PendingBatch): Promise<void> {
    await this.fenced(() => runScript(this.redis, 'ingestWritePending', [this.keys.lease, this.keys.pending], [fence, JSON.stringify(pending)]));
  }

  /**
   * Applies a published batch in one step: memory updates, the new cursor, and the pending batch cleared.
   * With a fence, nothing is written unless this replica still holds the lease.
   */
  async commit(options: { fence?: string; cursor?: PollCursor; update: StoreUpdate; clearPending?: boolean }): Promise<void> {
    const { update } = options;
    const encoded = JSON.stringify({
      add: update.bound.filter(([, bound]) => bound).map(([id]) => id),
      remove: update.bound.filter(([, bound]) => !bound).map(([id]) => id),
      users: update.users.map(([id, user]) => [id, JSON.stringify(user)]),
    });
    const keys = [this.keys.lease, this.keys.cursor, this.keys.pending, this.keys.bound, this.keys.users];
    const args = [options.fence ?? '', options.cursor ? JSON.stringify(options.cursor) : '', options.clearPending ? '1' : '0', encoded];
    await this.fenced(() => runScript(this.redis, 'ingestCommit', keys, args));
  }

  private async fenced(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (isLeaseLost(error)) throw new LeaseLostError(this.tenantId);
      throw error;
    }
  }
}
