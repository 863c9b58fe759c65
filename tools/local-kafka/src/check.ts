// Smoke check of the running local broker with kafkajs, the client the apps use:
// topic with 3 partitions, idempotent keyed produce (acks -1), group consume + commit,
// and a second consumer in the same group that must get nothing re-delivered.
// Run: npm run check -w @provisioning/local-kafka  (the broker must be started first)
import './node-warnings.ts';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { Admin, Consumer, EachMessagePayload } from 'kafkajs';
import { parseOptions } from './options.ts';
import { sleep } from './process.ts';

const PARTITIONS = 3;
const KEYS = 10;
const MESSAGES_PER_KEY = 5;
const TOTAL = KEYS * MESSAGES_PER_KEY;
const TIMEOUT_MS = 30_000;

type Received = { key: string; value: string; partition: number; offset: string };

const options = parseOptions(process.argv.slice(2), process.env);
// kafkajs logs errors it then retries at ERROR (e.g. "coordinator is loading" right after the
// first use creates __consumer_offsets); a real failure still surfaces as a thrown error.
const kafka = new Kafka({ clientId: 'local-kafka-check', brokers: [`127.0.0.1:${options.port}`], logLevel: logLevel.NOTHING });
const runId = `${Date.now()}`;
const topic = `local-kafka-check-${runId}`;
const groupId = `local-kafka-check-${runId}`;

const checkStarted = performance.now();

function step(text: string): void {
  console.log(`- [${((performance.now() - checkStarted) / 1000).toFixed(1)} s] ${text}`);
}

function assert(condition: boolean, message: string): void {
  if (!condition) throw new Error(`check failed: ${message}`);
}

/** Resolves when `done` holds, polling; rejects after TIMEOUT_MS so a hang fails loudly. */
async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`check failed: timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function createTopic(admin: Admin): Promise<void> {
  const created = await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
  assert(created, `topic ${topic} was not created`);
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  assert(metadata.topics[0]?.partitions.length === PARTITIONS, `expected ${PARTITIONS} partitions`);
  step(`created topic ${topic} with ${PARTITIONS} partitions`);
}

async function produceKeyed(): Promise<void> {
  // maxInFlightRequests 1 keeps per-partition order even across retries.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  // One message per key per batch, so each key's messages go out in order across sends.
  for (let round = 0; round < MESSAGES_PER_KEY; round += 1) {
    const messages = Array.from({ length: KEYS }, (_, k) => ({ key: `user-${k}`, value: `${round}` }));
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
  step(`idempotent producer sent ${TOTAL} keyed messages (acks -1)`);
}

/** Starts a group consumer from the beginning; resolves once it has joined the group. */
async function startConsumer(into: Received[]): Promise<Consumer> {
  // A short fetch long-poll: disconnect() waits for the fetch in flight (default up to 5 s).
  const consumer = kafka.consumer({ groupId, heartbeatInterval: 1000, maxWaitTimeInMs: 250 });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => { joined = true; });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false, // commit explicitly below, so the check proves a commit, not a timer
    eachMessage: async ({ partition, message }: EachMessagePayload) => {
      into.push({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '', partition, offset: message.offset });
      await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
    },
  });
  await until(() => joined, 'the consumer to join its group');
  return consumer;
}

function assertKeyOrder(received: readonly Received[]): void {
  const byKey = new Map<string, Received[]>();
  for (const message of received) byKey.set(message.key, [...(byKey.get(message.key) ?? []), message]);
  assert(byKey.size === KEYS, `expected ${KEYS} keys, got ${byKey.size}`);
  for (const [key, messages] of byKey) {
    assert(new Set(messages.map((m) => m.partition)).size === 1, `key ${key} spread over several partitions`);
    assert(messages.map((m) => m.value).join() === Array.from({ length: MESSAGES_PER_KEY }, (_, i) => i).join(), `key ${key} out of order`);
  }
  const partitions = new Set(received.map((m) => m.partition)).size;
  step(`each key stayed on one partition and in order (${partitions} of ${PARTITIONS} partitions used)`);
}

async function assertCommitted(admin: Admin): Promise<void> {
  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  const ends = await admin.fetchTopicOffsets(topic);
  for (const end of ends) {
    const offset = committed[0]?.partitions.find((p) => p.partition === end.partition)?.offset;
    assert(offset === end.high, `partition ${end.partition}: committed ${offset}, end ${end.high}`);
  }
  step('committed offsets equal the end of every partition');
}

async function consumeAll(): Promise<Received[]> {
  const received: Received[] = [];
  const consumer = await startConsumer(received);
  await until(() => received.length >= TOTAL, `${TOTAL} messages`);
  await sleep(500); // let a duplicate, if any, arrive before counting
  await consumer.disconnect();
  assert(received.length === TOTAL, `expected ${TOTAL} messages, got ${received.length}`);
  step(`consumer in group ${groupId} read ${TOTAL} messages, committed, disconnected`);
  return received;
}

async function assertNoRedelivery(): Promise<void> {
  const received: Received[] = [];
  const consumer = await startConsumer(received);
  // A fresh message proves this consumer really fetches, so "nothing old" is meaningful.
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages: [{ key: 'user-0', value: 'after-restart' }] });
  await producer.disconnect();
  await until(() => received.length >= 1, 'the message sent after the restart');
  await sleep(1000);
  await consumer.disconnect();
  assert(received.length === 1 && received[0]?.value === 'after-restart', `re-delivered: ${JSON.stringify(received)}`);
  step('second consumer in the same group got only the new message: nothing re-delivered');
}

async function main(): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await createTopic(admin);
    await produceKeyed();
    assertKeyOrder(await consumeAll());
    await assertCommitted(admin);
    await assertNoRedelivery();
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
  step('local-kafka check passed');
}

try {
  await main();
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
