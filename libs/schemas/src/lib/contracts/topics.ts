/** The Kafka topics of the pipeline; the `.v1` suffix lets a v2 contract run beside v1 on its own topics. */
export const TOPICS = {
  /** Whole-state user events from ingest, key `<tenantId>:<userId>`, value `UserChangeEventV1`. */
  userChanges: 'jumpcloud.user-changes.v1',
  /** One `ProvisioningResultV1` per consumed event, same key. */
  results: 'terranova.provisioning-results.v1',
  /** Events that can never be applied: original key, value and headers plus the `DLQ_HEADERS`. */
  dlq: 'jumpcloud.user-changes.v1.dlq',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/** The separator of a message key; tenant ids may not contain it, so the first one splits the key. */
const KEY_SEPARATOR = ':';

/** The Kafka message key of every event about one user: all states of a user land on one partition, in order. */
export function messageKey(tenantId: string, userId: string): string {
  return `${tenantId}${KEY_SEPARATOR}${userId}`;
}

/** Splits a message key back into tenant and user; undefined when it is not a `<tenantId>:<userId>` key. */
export function parseMessageKey(key: string): { tenantId: string; userId: string } | undefined {
  const at = key.indexOf(KEY_SEPARATOR);
  if (at <= 0 || at === key.length - 1) return undefined;
  return { tenantId: key.slice(0, at), userId: key.slice(at + 1) };
}
