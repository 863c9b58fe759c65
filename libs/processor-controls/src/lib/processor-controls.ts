import type { Redis } from 'ioredis';
import { replayMarkerSchema, type ReplayMarker } from './replay-marker.ts';

/** How long a replay marker is kept: far longer than any replay takes, short enough to clean up by itself. */
const REPLAY_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The operator controls the processor obeys, in Redis next to its other state. Operator commands write them;
 * the processor reads them at startup and periodically. Keys carry the tenant as a hash tag (`{tenant}`).
 */
export class ProcessorControls {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, keyPrefix: string) {
    this.#redis = redis;
    this.#prefix = keyPrefix;
  }

  replayKey(tenantId: string): string {
    return `${this.#prefix}:control:{${tenantId}}:replay`;
  }

  async setReplay(marker: ReplayMarker): Promise<void> {
    const valid = replayMarkerSchema.parse(marker);
    await this.#redis.set(this.replayKey(valid.tenantId), JSON.stringify(valid), 'EX', REPLAY_TTL_SECONDS);
  }

  async clearReplay(tenantId: string): Promise<void> {
    await this.#redis.del(this.replayKey(tenantId));
  }

  /** The forced replays in force for these tenants; an unreadable marker is ignored, not fatal. */
  async replays(tenantIds: readonly string[]): Promise<Map<string, ReplayMarker>> {
    if (tenantIds.length === 0) return new Map();
    const values = await Promise.all(tenantIds.map((tenantId) => this.#redis.get(this.replayKey(tenantId))));
    const markers = new Map<string, ReplayMarker>();
    values.forEach((value, index) => {
      const parsed = value ? replayMarkerSchema.safeParse(safeJson(value)) : undefined;
      if (parsed?.success) markers.set(tenantIds[index]!, parsed.data);
    });
    return markers;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
