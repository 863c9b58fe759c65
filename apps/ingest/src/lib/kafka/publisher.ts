import type { Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { ensureTopics } from '@provisioning/kafka';
import { messageKey, toChangeHeaders, userChangeEventV1Schema, type ChangeFacts, type UserChangeEventV1, type UserChangeSource } from '@provisioning/schemas';
import type { IngestMetrics } from '../metrics.ts';
import type { OutgoingMessage } from '../store/tenant-store.ts';

/** Header carrying the event id, so a recovering replica can find what landed without parsing values. */
export const EVENT_ID_HEADER = 'event-id';
/** Messages per produce call: large fan-outs are split so no request nears the broker's size limit. */
const CHUNK = 500;

export interface PublisherOptions {
  kafka: Kafka;
  topic: string;
  partitions: number;
  replicationFactor: number;
  logger: Logger;
  metrics: IngestMetrics;
}

/**
 * The Kafka side of the ingest: an idempotent producer (acks from all in-sync replicas, one request in flight, so
 * a retry never duplicates or reorders), keyed `<tenantId>:<userId>` so every state of a user lands on one partition
 * in order. Events are validated against the strict v1 contract before they leave.
 */
export class EventPublisher {
  private readonly options: PublisherOptions;
  private readonly producer: Producer;
  private connectedNow = false;

  constructor(options: PublisherOptions) {
    this.options = options;
    this.producer = options.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    this.producer.on(this.producer.events.CONNECT, () => (this.connectedNow = true));
    this.producer.on(this.producer.events.DISCONNECT, () => (this.connectedNow = false));
  }

  /** Whether the producer is connected (for /healthz). */
  get connected(): boolean {
    return this.connectedNow;
  }

  get topic(): string {
    return this.options.topic;
  }

  /** Creates the topic when missing (with the configured partitions) and connects the producer. */
  async start(): Promise<void> {
    const admin = this.options.kafka.admin();
    await admin.connect();
    try {
      const created = await ensureTopics(admin, [{ topic: this.options.topic, numPartitions: this.options.partitions, replicationFactor: this.options.replicationFactor }]);
      if (created.length > 0) this.options.logger.info({ topic: this.options.topic, partitions: this.options.partitions }, 'created topic');
    } finally {
      await admin.disconnect();
    }
    await this.producer.connect();
  }

  async stop(): Promise<void> {
    await this.producer.disconnect();
  }

  /**
   * Validates events against the v1 contract and serializes them; a contract violation is a bug and throws.
   * An event of a many-user change (`changes`, by event id) carries the change headers.
   */
  toMessages(events: readonly UserChangeEventV1[], changes: ReadonlyMap<string, ChangeFacts> = new Map()): OutgoingMessage[] {
    return events.map((event) => {
      const valid = userChangeEventV1Schema.parse(event);
      const change = changes.get(valid.eventId);
      return { key: messageKey(valid.tenantId, valid.userId), value: JSON.stringify(valid), eventId: valid.eventId, ...(change ? { headers: toChangeHeaders(change) } : {}) };
    });
  }

  /** Sends messages in order, waiting for every in-sync replica. */
  async send(messages: readonly OutgoingMessage[], tenantId: string, source: UserChangeSource): Promise<void> {
    const timer = this.options.metrics.publishSeconds.startTimer({ source });
    for (let start = 0; start < messages.length; start += CHUNK) {
      const chunk = messages.slice(start, start + CHUNK);
      await this.producer.send({
        topic: this.options.topic,
        acks: -1,
        messages: chunk.map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers, [EVENT_ID_HEADER]: m.eventId } })),
      });
    }
    timer();
    this.options.metrics.eventsPublished.inc({ tenant: tenantId, source }, messages.length);
  }
}
