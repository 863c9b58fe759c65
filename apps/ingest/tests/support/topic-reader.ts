import type { Kafka } from 'kafkajs';
import { parseUserChangeEvent, readChangeHeaders, type ChangeFacts, type UserChangeEventV1 } from '@provisioning/schemas';
import { EVENT_ID_HEADER } from '../../src/lib/kafka/publisher.ts';
import { readRanges } from '@provisioning/kafka';

export interface ReadMessage {
  key: string;
  eventIdHeader: string | undefined;
  partition: number;
  offset: string;
  event: UserChangeEventV1;
  /** The many-user change the event belongs to, from its headers. */
  change: ChangeFacts | undefined;
}

/** Every message of a topic up to its end at the time of the call, in partition and offset order; values must parse. */
export async function readTopic(kafka: Kafka, topic: string, timeoutMs = 30_000): Promise<ReadMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const messages: ReadMessage[] = [];
  await readRanges({
    kafka,
    topic,
    timeoutMs,
    groupPrefix: 'test-reader',
    ranges: offsets.map((p) => ({ partition: p.partition, start: p.low, end: p.high })),
    onMessage: (partition, message) => {
      const parsed = parseUserChangeEvent(JSON.parse(String(message.value)));
      if (!parsed.success) throw new Error(`partition ${partition} offset ${message.offset}: ${parsed.issues.join('; ')}`);
      const change = readChangeHeaders(message.headers);
      messages.push({ key: String(message.key), eventIdHeader: message.headers?.[EVENT_ID_HEADER]?.toString(), partition, offset: message.offset, event: parsed.event, change });
    },
  });
  return messages.sort((a, b) => a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
}

/** The last event of each user (all events of a user share one partition, so offset order is publish order). */
export function lastEventPerUser(messages: readonly ReadMessage[]): Map<string, UserChangeEventV1> {
  const last = new Map<string, UserChangeEventV1>();
  for (const message of messages) last.set(message.event.userId, message.event);
  return last;
}
