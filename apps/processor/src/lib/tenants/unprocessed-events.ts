import type { Kafka, KafkaMessage } from 'kafkajs';
import { readRanges, type PartitionRange } from '@provisioning/kafka';
import type { ProcessorControls } from '@provisioning/processor-controls';
import type { Redis } from '@provisioning/redis';
import { parseMessageKey, type MessageHeaders } from '@provisioning/schemas';
import type { RedisKeys } from '../state/redis-keys.ts';

export interface UnprocessedEventsOptions {
  kafka: Kafka;
  groupId: string;
  topic: string;
  redis: Redis;
  keys: RedisKeys;
  controls: ProcessorControls;
  /** @defaultValue 30_000 */
  timeoutMs?: number;
}

interface Candidate {
  tenantId: string;
  userId: string;
  eventId: string | undefined;
}

/** Where the processor's group stands on each partition (its committed offset, or the start) and the end now. */
async function uncommittedRanges(kafka: Kafka, groupId: string, topic: string): Promise<PartitionRange[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [committed, bounds] = await Promise.all([admin.fetchOffsets({ groupId, topics: [topic] }), admin.fetchTopicOffsets(topic)]);
    const positions = new Map((committed[0]?.partitions ?? []).map((p) => [p.partition, p.offset]));
    return bounds.map(({ partition, low, high }) => {
      const position = positions.get(partition);
      return { partition, start: position === undefined || BigInt(position) < BigInt(low) ? low : position, end: high };
    });
  } finally {
    await admin.disconnect();
  }
}

function eventIdOf(message: KafkaMessage): string | undefined {
  const header = (message.headers as MessageHeaders | undefined)?.['event-id'];
  if (header !== undefined && !Array.isArray(header)) return header.toString();
  try {
    const value = JSON.parse(message.value?.toString() ?? '') as { eventId?: unknown };
    return typeof value.eventId === 'string' ? value.eventId : undefined;
  } catch {
    return undefined;
  }
}

/** The messages of these tenants past the group's commit position. */
async function uncommittedEvents(options: UnprocessedEventsOptions, tenantIds: ReadonlySet<string>): Promise<Candidate[]> {
  const ranges = await uncommittedRanges(options.kafka, options.groupId, options.topic);
  const found: Candidate[] = [];
  await readRanges({
    kafka: options.kafka,
    topic: options.topic,
    ranges,
    groupPrefix: `${options.groupId}-removal-check`,
    timeoutMs: options.timeoutMs ?? 30_000,
    onMessage: (_partition, message) => {
      const key = message.key ? parseMessageKey(message.key.toString()) : undefined;
      if (key && tenantIds.has(key.tenantId)) found.push({ tenantId: key.tenantId, userId: key.userId, eventId: eventIdOf(message) });
    },
  });
  return found;
}

/**
 * How many events each tenant still has that the processor has not finished: its messages on the state topic
 * past the consumer group's committed offsets whose idempotency marker is not `done` (waiting because the tenant
 * is disabled or parked, or not read yet), plus its deprovisions held by the guard. Used before a tenant is
 * removed from the tenants file, so that no event is silently turned into an unknown-tenant dead letter.
 */
export async function countUnprocessedEvents(options: UnprocessedEventsOptions, tenantIds: readonly string[]): Promise<Map<string, number>> {
  const counts = await options.controls.heldCounts(tenantIds);
  const candidates = await uncommittedEvents(options, new Set(tenantIds));
  // One GET per marker (auto-pipelined): the markers live in many hash slots, so MGET would fail on a Cluster.
  const markers = await Promise.all(candidates.map((c) => options.redis.get(options.keys.event(c.tenantId, c.userId, c.eventId ?? '?'))));
  candidates.forEach((candidate, index) => {
    if (markers[index] !== 'done') counts.set(candidate.tenantId, (counts.get(candidate.tenantId) ?? 0) + 1);
  });
  return counts;
}
