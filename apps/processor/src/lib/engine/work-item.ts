import type { KafkaMessage } from 'kafkajs';

/** One consumed message on its way through the engine. */
export interface WorkItem {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Ordering key: items with the same key run one at a time, in offset order. */
  readonly key: string;
  /** Fairness and gating unit (the tenant): limits and parking apply per group. */
  readonly group: string;
  readonly message: KafkaMessage;
  /** When the engine received the message (epoch ms). */
  readonly receivedAt: number;
}

/**
 * What the handler made of an item:
 * - `done`: finished for good (applied, skipped, failed and dead-lettered): its offset may be committed;
 * - `blocked`: its group is closed (the tenant is parked): keep it, and run it again once the group opens.
 */
export type WorkVerdict = 'done' | 'blocked';

export interface WorkContext {
  /** Aborted when the engine stops and stops waiting for in-flight work: stop before any further effect. */
  readonly signal: AbortSignal;
  /** How many times this item failed with an error before (0 on the first run). */
  readonly attempt: number;
}

/**
 * Runs one item. Throwing means "try again later" (with backoff, the key stays blocked meanwhile):
 * the engine never drops an item because its handler failed.
 */
export type WorkHandler = (item: WorkItem, context: WorkContext) => Promise<WorkVerdict>;

/** Whether a group (tenant) may run now; parking closes it, a working token opens it again. */
export interface GroupGate {
  isOpen(group: string): boolean;
  /** Calls the listener whenever a group opens or closes; returns an unsubscribe function. */
  onChange(listener: (group: string, open: boolean) => void): () => void;
}

/** A gate that is always open, for consumers without tenants to park. */
export const ALWAYS_OPEN: GroupGate = {
  isOpen: () => true,
  onChange: () => () => undefined,
};

/** The tenant part of a `tenantId:userId` key; the whole key when it has no colon. */
export function groupOfKey(key: string): string {
  const colon = key.indexOf(':');
  return colon < 0 ? key : key.slice(0, colon);
}

/**
 * A copy of a message that does not pin its fetch response. kafkajs hands out key, value and header buffers
 * that are slices of the whole response (up to `maxBytes`), so one pending message would keep megabytes alive.
 */
export function detach(message: KafkaMessage): KafkaMessage {
  const copy = (buffer: Buffer | null) => (buffer === null ? null : Buffer.from(buffer));
  const headers = message.headers
    ? Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, Buffer.isBuffer(value) ? Buffer.from(value) : value]))
    : undefined;
  return { ...message, key: copy(message.key), value: copy(message.value), ...(headers ? { headers } : {}) } as KafkaMessage;
}
