import type { Redis } from 'ioredis';
import { replayMarkerSchema, type ReplayMarker } from './replay-marker.ts';
import { userIdOfStateKey, userStatePattern } from './user-records.ts';
import {
  changeDecisionSchema,
  heldDeprovisionSchema,
  readStored,
  tenantDisabledSchema,
  type ChangeDecision,
  type ChangeDecisionValue,
  type HeldDeprovision,
  type TenantDisabled,
} from './tenant-controls.ts';

/** How long a replay marker is kept: far longer than any replay takes, short enough to clean up by itself. */
const REPLAY_TTL_SECONDS = 7 * 24 * 3600;
/** How long an operator's decision about a held change is kept, for events of the change that come late. */
const DECISION_TTL_SECONDS = 30 * 24 * 3600;

/**
 * The operator controls the processor obeys, in Redis next to its other state. Operator commands write them;
 * the processor reads them at startup and periodically (held deprovisions and decisions: when it needs them).
 * Keys carry the tenant as a hash tag (`{tenant}`), so one tenant's controls share a Cluster slot.
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

  disabledKey(tenantId: string): string {
    return `${this.#prefix}:control:{${tenantId}}:disabled`;
  }

  /** Hash: event id → held deprovision. */
  heldKey(tenantId: string): string {
    return `${this.#prefix}:control:{${tenantId}}:held`;
  }

  /** Hash: change id → the operator's decision. */
  decisionsKey(tenantId: string): string {
    return `${this.#prefix}:control:{${tenantId}}:changes`;
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
    return this.readEach(tenantIds, (id) => this.replayKey(id), (text) => readStored(replayMarkerSchema, text));
  }

  /** Disables a tenant until `enable`: no SCIM call is made for it and its events wait. Returns the control. */
  async disable(tenantId: string, reason?: string): Promise<TenantDisabled> {
    const control = tenantDisabledSchema.parse({ tenantId, disabledAt: new Date().toISOString(), ...(reason ? { reason } : {}) });
    await this.#redis.set(this.disabledKey(tenantId), JSON.stringify(control));
    return control;
  }

  /** Enables a tenant again; resolves to whether it was disabled. */
  async enable(tenantId: string): Promise<boolean> {
    return (await this.#redis.del(this.disabledKey(tenantId))) > 0;
  }

  /** The tenants of these an operator disabled; an unreadable control still counts as disabled (the safe side). */
  async disabledTenants(tenantIds: readonly string[]): Promise<Map<string, TenantDisabled>> {
    return this.readEach(tenantIds, (id) => this.disabledKey(id), (text, tenantId) => readStored(tenantDisabledSchema, text) ?? { tenantId, disabledAt: new Date(0).toISOString(), reason: 'unreadable control' });
  }

  /** Records a held deprovision (idempotent: one entry per event id). */
  async hold(held: HeldDeprovision): Promise<void> {
    const valid = heldDeprovisionSchema.parse(held);
    await this.#redis.hset(this.heldKey(valid.tenantId), valid.eventId, JSON.stringify(valid));
  }

  /** The deprovisions held for a tenant (of one change, when named), oldest first; unreadable entries are skipped. */
  async held(tenantId: string, changeId?: string): Promise<HeldDeprovision[]> {
    const values = Object.values(await this.#redis.hgetall(this.heldKey(tenantId)));
    return values
      .flatMap((text) => readStored(heldDeprovisionSchema, text) ?? [])
      .filter((entry) => changeId === undefined || entry.changeId === changeId)
      .sort((a, b) => a.heldAt.localeCompare(b.heldAt) || a.eventId.localeCompare(b.eventId));
  }

  /** How many deprovisions are held per tenant. */
  async heldCounts(tenantIds: readonly string[]): Promise<Map<string, number>> {
    const counts = await Promise.all(tenantIds.map((tenantId) => this.#redis.hlen(this.heldKey(tenantId))));
    return new Map(tenantIds.map((tenantId, index) => [tenantId, counts[index] ?? 0]));
  }

  /** Forgets held entries (released or dropped); returns how many were still there. */
  async release(tenantId: string, eventIds: readonly string[]): Promise<number> {
    return eventIds.length === 0 ? 0 : this.#redis.hdel(this.heldKey(tenantId), ...eventIds);
  }

  /** Records an operator's decision about a held change; later events of the change follow it. */
  async decide(tenantId: string, changeId: string, decision: ChangeDecisionValue): Promise<ChangeDecision> {
    const value = changeDecisionSchema.parse({ changeId, decision, decidedAt: new Date().toISOString() });
    await this.#redis.multi().hset(this.decisionsKey(tenantId), changeId, JSON.stringify(value)).expire(this.decisionsKey(tenantId), DECISION_TTL_SECONDS).exec();
    return value;
  }

  /** The decision about a change, if an operator made one. */
  async decision(tenantId: string, changeId: string): Promise<ChangeDecision | undefined> {
    return readStored(changeDecisionSchema, await this.#redis.hget(this.decisionsKey(tenantId), changeId));
  }

  /**
   * What the processor applied for each user of a tenant it has a record of (its userName and SCIM id), read with
   * SCAN: for operator commands (`ops reconcile`), never for the event path. On a Redis Cluster, run it per node.
   */
  async appliedUsers(tenantId: string): Promise<{ userId: string; userName: string; scimId: string | undefined }[]> {
    const keys: string[] = [];
    for await (const batch of this.#redis.scanStream({ match: userStatePattern(this.#prefix, tenantId), count: 500 })) keys.push(...(batch as string[]));
    const values = await Promise.all(keys.map((key) => this.#redis.hmget(key, 'userName', 'scimId')));
    return keys.flatMap((key, index) => {
      const userId = userIdOfStateKey(this.#prefix, tenantId, key);
      const [userName, scimId] = values[index] ?? [];
      return userId && userName ? [{ userId, userName, scimId: scimId ?? undefined }] : [];
    });
  }

  private async readEach<T>(tenantIds: readonly string[], key: (tenantId: string) => string, read: (text: string, tenantId: string) => T | undefined): Promise<Map<string, T>> {
    if (tenantIds.length === 0) return new Map();
    const values = await Promise.all(tenantIds.map((tenantId) => this.#redis.get(key(tenantId))));
    const found = new Map<string, T>();
    values.forEach((value, index) => {
      const tenantId = tenantIds[index]!;
      const parsed = value === null ? undefined : read(value, tenantId);
      if (parsed !== undefined) found.set(tenantId, parsed);
    });
    return found;
  }
}
