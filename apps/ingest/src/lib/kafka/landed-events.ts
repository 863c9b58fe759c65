import type { Admin, Kafka } from 'kafkajs';
import { EVENT_ID_HEADER } from './publisher.ts';
import { readRanges, type PartitionRange } from '@provisioning/kafka';

export interface LandedEventsQuery {
  kafka: Kafka;
  topic: string;
  /** Ids to look for. */
  eventIds: ReadonlySet<string>;
  /** Messages older than this (ms since the epoch, producer time) are not read. */
  sinceMs: number;
  /** @defaultValue 30_000 */
  timeoutMs?: number;
}

/** Per partition, the offsets from `sinceMs` to the current end. */
async function rangesSince(admin: Admin, topic: string, sinceMs: number): Promise<PartitionRange[]> {
  const [starts, ends] = await Promise.all([admin.fetchTopicOffsetsByTimestamp(topic, sinceMs), admin.fetchTopicOffsets(topic)]);
  const endOf = new Map(ends.map((e) => [e.partition, e.high]));
  return starts.map((s) => {
    const end = endOf.get(s.partition) ?? '0';
    return { partition: s.partition, start: s.offset === '-1' ? end : s.offset, end };
  });
}

/**
 * Which of `eventIds` are already in the topic, reading every partition from `sinceMs` up to the end it has now.
 * A replica that finds a batch pending after a crash uses this to publish only what is missing, so a takeover
 * neither loses nor repeats an event.
 */
export async function findLandedEventIds(query: LandedEventsQuery): Promise<Set<string>> {
  const admin = query.kafka.admin();
  await admin.connect();
  let ranges: PartitionRange[];
  try {
    ranges = await rangesSince(admin, query.topic, query.sinceMs);
  } finally {
    await admin.disconnect();
  }
  const landed = new Set<string>();
  await readRanges({
    kafka: query.kafka,
    topic: query.topic,
    ranges,
    groupPrefix: 'ingest-recovery',
    ...(query.timeoutMs ? { timeoutMs: query.timeoutMs } : {}),
    onMessage: (_partition, message) => {
      const id = message.headers?.[EVENT_ID_HEADER]?.toString();
      if (id !== undefined && query.eventIds.has(id)) landed.add(id);
    },
  });
  return landed;
}
