import type { RedisKeys } from './redis-keys.ts';
import { sortableInstant } from './redis-keys.ts';
import type { RedisScripts } from './redis-scripts.ts';

/** What the processor last applied to Terranova for one user. */
export interface UserState {
  /** `observedAt` of the last applied state, in sortable form (see `sortableInstant`). */
  observedAt: string;
  scimId: string | undefined;
  userName: string | undefined;
  /** Hash of the applied attributes: an equal hash means nothing to send. */
  attributesHash: string | undefined;
  /** The applied attributes as JSON, the base of the next diff. */
  appliedJson: string | undefined;
}

/** Identifies one event of one user. */
export interface EventRef {
  tenantId: string;
  userId: string;
  eventId: string;
  observedAt: string;
}

export type ClaimResult =
  | { status: 'claimed'; state: UserState | undefined }
  | { status: 'duplicate' }
  | { status: 'stale'; appliedObservedAt: string }
  | { status: 'busy'; leaseLeftMs: number };

/** The user's state to record when an event finishes; undefined leaves the state as it was. */
export interface StateUpdate {
  scimId: string | undefined;
  userName: string;
  attributesHash: string | undefined;
  appliedJson: string | undefined;
}

export interface EventLedgerOptions {
  /** How long a claim holds before another worker may take the event over. */
  leaseMs: number;
  /** How long a `done` marker is kept (redelivery later than that is caught by the stale guard). */
  doneTtlMs: number;
  /** How long an untouched user state is kept. */
  stateTtlMs: number;
}

const empty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

/**
 * Event idempotency and per-user state in Redis. An event is claimed with a lease (owner + expiry), and
 * marked done once its result is published; a done event is a duplicate, and a lease left by a crashed
 * worker simply expires. Claiming also reads the user's state and applies the stale guard, in one round trip.
 */
export class EventLedger {
  private readonly scripts: RedisScripts;
  private readonly keys: RedisKeys;
  private readonly options: EventLedgerOptions;

  constructor(scripts: RedisScripts, keys: RedisKeys, options: EventLedgerOptions) {
    this.scripts = scripts;
    this.keys = keys;
    this.options = options;
  }

  /** Claims an event; `forced` (a forced replay) claims it even when it is done. */
  async claim(ref: EventRef, owner: string, forced = false): Promise<ClaimResult> {
    const args = [owner, this.options.leaseMs, sortableInstant(ref.observedAt), forced ? '1' : '0'];
    const reply = (await this.scripts.run('claimEvent', this.keysOf(ref), args)) as string[];
    const [status, a = '', b = '', c = '', d = '', e = ''] = reply;
    if (status === 'duplicate') return { status };
    if (status === 'stale') return { status, appliedObservedAt: a };
    if (status === 'busy') return { status, leaseLeftMs: Math.max(0, Number(a)) };
    const state = a === '' ? undefined : { observedAt: a, scimId: empty(b), userName: empty(c), attributesHash: empty(d), appliedJson: empty(e) };
    return { status: 'claimed', state };
  }

  /** Marks the event done, recording the user's new state when given. */
  async finish(ref: EventRef, update: StateUpdate | undefined): Promise<void> {
    const args: (string | number)[] = [this.options.doneTtlMs, update ? '1' : '0', sortableInstant(ref.observedAt)];
    if (update) {
      args.push(update.scimId ?? '', update.userName, update.attributesHash ?? '', update.appliedJson ?? '', this.options.stateTtlMs);
    }
    await this.scripts.run('finishEvent', this.keysOf(ref), args);
  }

  /** Gives the claim back so the event can run again later (its tenant was parked). */
  async release(ref: EventRef, owner: string): Promise<void> {
    await this.scripts.run('leaseEvent', [this.keys.event(ref.tenantId, ref.userId, ref.eventId)], [owner, 0]);
  }

  /** Extends a claim that is taking long (a rate-limit storm), so no one else takes the event over. */
  async renew(ref: EventRef, owner: string): Promise<boolean> {
    const reply = await this.scripts.run('leaseEvent', [this.keys.event(ref.tenantId, ref.userId, ref.eventId)], [owner, this.options.leaseMs]);
    return reply === 1;
  }

  get leaseMs(): number {
    return this.options.leaseMs;
  }

  private keysOf(ref: EventRef): string[] {
    return [this.keys.event(ref.tenantId, ref.userId, ref.eventId), this.keys.userState(ref.tenantId, ref.userId)];
  }
}
