import type { Admin, Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '@provisioning/observability';
import { createKafkaClient, ensureTopics } from '../src/index.ts';
import { testKafkaBrokers, uniqueName } from '../src/testing.ts';

interface Received {
  key: string;
  value: string;
  partition: number;
}

/** Consumes until `count` messages arrived (or the timeout passes), then disconnects, committing offsets. */
async function consumeN(kafka: Kafka, groupId: string, topic: string, count: number, timeoutMs = 20_000) {
  const consumer: Consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  const received: Received[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    void consumer.run({
      eachMessage: async ({ message, partition }: { message: KafkaMessage; partition: number }) => {
        received.push({ key: String(message.key), value: String(message.value), partition });
        if (received.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return received;
}

describe('kafka > real broker smoke', () => {
  let kafka: Kafka;
  let admin: Admin;
  let topic: string;
  let groupId: string;

  beforeEach(async () => {
    kafka = createKafkaClient({ brokers: testKafkaBrokers(), clientId: 'smoke', logger: silentLogger() });
    admin = kafka.admin();
    await admin.connect();
    topic = uniqueName('smoke');
    groupId = uniqueName('smoke-group');
    expect(await ensureTopics(admin, [{ topic, numPartitions: 3 }])).toEqual([topic]);
  });

  afterEach(async () => {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });

  it('produces keyed messages, consumes them in a group, and resumes from the committed offset', async () => {
    const cluster = await admin.describeCluster();
    console.info(`smoke: broker ${cluster.brokers.map((b) => `${b.host}:${b.port}`).join(',')} cluster ${cluster.clusterId}`);

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const send = (from: number, to: number) =>
      producer.send({
        topic,
        messages: Array.from({ length: to - from }, (_, i) => ({ key: `user-${(from + i) % 5}`, value: String(from + i) })),
      });
    await send(0, 30);

    const first = await consumeN(kafka, groupId, topic, 30);
    expect(first).toHaveLength(30);
    // One key always lands on one partition, in the order it was produced.
    for (const key of new Set(first.map((m) => m.key))) {
      const ofKey = first.filter((m) => m.key === key);
      expect(new Set(ofKey.map((m) => m.partition)).size).toBe(1);
      expect(ofKey.map((m) => Number(m.value))).toEqual([...ofKey.map((m) => Number(m.value))].sort((a, b) => a - b));
    }

    await send(30, 40);
    await producer.disconnect();
    // The restarted consumer starts at the committed offsets: only the 10 new messages, none of the first 30.
    const second = await consumeN(kafka, groupId, topic, 10);
    expect(second.map((m) => Number(m.value)).sort((a, b) => a - b)).toEqual([30, 31, 32, 33, 34, 35, 36, 37, 38, 39]);
  });

  it('leaves an existing topic alone', async () => {
    expect(await ensureTopics(admin, [{ topic, numPartitions: 6 }])).toEqual([]);
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    expect(metadata?.partitions).toHaveLength(3);
  });
});
