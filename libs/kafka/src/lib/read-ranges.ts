import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { ProvisioningError } from '@provisioning/errors';

/** Offsets `[start, end)` of one partition. */
export interface PartitionRange {
  partition: number;
  start: string;
  end: string;
}

export interface ReadRangesOptions {
  kafka: Kafka;
  topic: string;
  ranges: readonly PartitionRange[];
  onMessage: (partition: number, message: KafkaMessage) => void;
  /** @defaultValue 30_000 */
  timeoutMs?: number;
  /** Prefix of the throwaway consumer group. @defaultValue 'kafka-reader' */
  groupPrefix?: string;
}

/**
 * Reads bounded offset ranges of a topic with a throwaway consumer group (deleted afterwards), calling `onMessage`
 * for each message inside a range, and returns when every range has been read to its end.
 */
export async function readRanges(options: ReadRangesOptions): Promise<void> {
  const remaining = new Map(options.ranges.filter((r) => BigInt(r.start) < BigInt(r.end)).map((r) => [r.partition, r]));
  if (remaining.size === 0) return;
  const groupId = `${options.groupPrefix ?? 'kafka-reader'}-${randomUUID()}`;
  const consumer = options.kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000, allowAutoTopicCreation: false });
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const range = remaining.get(batch.partition);
        if (!range) return;
        for (const message of batch.messages) {
          const offset = BigInt(message.offset);
          if (offset >= BigInt(range.end)) break;
          if (offset >= BigInt(range.start)) options.onMessage(batch.partition, message);
        }
        if (BigInt(batch.lastOffset()) + 1n >= BigInt(range.end)) remaining.delete(batch.partition);
        if (remaining.size === 0) finish();
      },
    });
    for (const range of remaining.values()) consumer.seek({ topic: options.topic, partition: range.partition, offset: range.start });
    await withTimeout(finished, options.timeoutMs ?? 30_000, `reading ${options.topic} did not reach the end of partitions ${[...remaining.keys()].join(',')}`);
  } finally {
    await consumer.disconnect();
    const admin = options.kafka.admin();
    await admin.connect().then(() => admin.deleteGroups([groupId])).catch(() => undefined);
    await admin.disconnect();
  }
}

async function withTimeout(promise: Promise<void>, timeoutMs: number, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProvisioningError(message, { code: 'KAFKA_READ_TIMEOUT' })), timeoutMs);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
