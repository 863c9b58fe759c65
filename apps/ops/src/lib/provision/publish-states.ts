import { Partitioners, type Kafka } from 'kafkajs';
import type { UserChangeEventV1 } from '@provisioning/schemas';

/** A state event to publish, with any headers besides the event id. */
export interface OutgoingState {
  key: string;
  event: UserChangeEventV1 | Record<string, unknown>;
  headers?: Record<string, string>;
}

/** Publishes state events on the state topic with an idempotent producer, in batches, as the ingest does. */
export async function publishStates(kafka: Kafka, topic: string, states: readonly OutgoingState[], onProgress?: (done: number) => void): Promise<void> {
  if (states.length === 0) return;
  // The partitioner the ingest and the processor use (kafkajs' default, named so it does not warn): a user's events
  // must land on the partition its earlier events are on, or their order is lost.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    for (let i = 0; i < states.length; i += 500) {
      const messages = states.slice(i, i + 500).map((s) => ({ key: s.key, value: JSON.stringify(s.event), headers: { ...s.headers, 'event-id': String(s.event['eventId']) } }));
      await producer.send({ topic, acks: -1, messages });
      onProgress?.(Math.min(i + 500, states.length));
    }
  } finally {
    await producer.disconnect();
  }
}
