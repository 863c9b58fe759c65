import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { ProvisioningResultV1 } from '@provisioning/schemas';

/** The end of each partition of the results topic now: a result published later is at or after it. */
export async function topicEnds(admin: Admin, topic: string): Promise<Map<number, string>> {
  return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, p.high]));
}

function resultOf(value: Buffer | null, eventId: string): ProvisioningResultV1 | undefined {
  try {
    const result = JSON.parse(value?.toString() ?? '') as ProvisioningResultV1;
    return result.eventId === eventId ? result : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Waits for the result of one event on the results topic, reading from `from` (the ends before the event was
 * published) with a throwaway consumer group that is deleted afterwards. Undefined when none came in time.
 */
export async function awaitResult(kafka: Kafka, admin: Admin, topic: string, from: ReadonlyMap<number, string>, eventId: string, timeoutMs: number): Promise<ProvisioningResultV1 | undefined> {
  const groupId = `ops-result-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  let found: (result: ProvisioningResultV1) => void = () => undefined;
  const answered = new Promise<ProvisioningResultV1>((resolve) => (found = resolve));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        const result = resultOf(message.value, eventId);
        if (result) found(result);
      },
    });
    for (const [partition, offset] of from) consumer.seek({ topic, partition, offset });
    return await Promise.race([answered, timeout]);
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
}
