import { Partitioners, type Admin, type Kafka, type Message } from 'kafkajs';
import { silentLogger, type Logger } from '@provisioning/observability';
import { createKafkaClient, ensureTopics } from '@provisioning/kafka';
import { testKafkaBrokers, uniqueName } from '@provisioning/kafka/testing';

/** A Kafka client, an admin and throwaway topics and groups for one test file; `close` deletes them. */
export class KafkaFixture {
  readonly brokers = testKafkaBrokers();
  readonly kafka: Kafka;
  readonly admin: Admin;
  private readonly topics: string[] = [];
  private readonly groups: string[] = [];

  constructor(logger: Logger = silentLogger()) {
    this.kafka = createKafkaClient({ brokers: this.brokers, clientId: uniqueName('processor-test'), logger });
    this.admin = this.kafka.admin();
  }

  async connect(): Promise<void> {
    await this.admin.connect();
  }

  async topic(label: string, numPartitions: number): Promise<string> {
    const topic = uniqueName(label);
    await ensureTopics(this.admin, [{ topic, numPartitions }]);
    this.topics.push(topic);
    return topic;
  }

  group(label: string): string {
    const group = uniqueName(label);
    this.groups.push(group);
    return group;
  }

  /** Produces messages in batches through one idempotent producer. */
  async produce(topic: string, messages: Message[]): Promise<void> {
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    for (let i = 0; i < messages.length; i += 1_000) {
      await producer.send({ topic, messages: messages.slice(i, i + 1_000) });
    }
    await producer.disconnect();
  }

  /** Committed offset per partition of a group on a topic (-1 when nothing committed). */
  async committed(groupId: string, topic: string): Promise<Map<number, number>> {
    const [answer] = await this.admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((answer?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
  }

  /** High watermark (next offset to be written) per partition. */
  async ends(topic: string): Promise<Map<number, number>> {
    const offsets = await this.admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((p) => [p.partition, Number(p.high)]));
  }

  async close(): Promise<void> {
    if (this.groups.length > 0) await this.admin.deleteGroups(this.groups).catch(() => undefined);
    if (this.topics.length > 0) await this.admin.deleteTopics({ topics: this.topics }).catch(() => undefined);
    await this.admin.disconnect();
  }
}
