import type { IHeaders, Producer, TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';

/** One message to publish: a result or a dead letter. */
export interface OutputRecord {
  topic: string;
  key: Buffer | string | null;
  value: string | Buffer | null;
  headers?: IHeaders;
}

interface Waiting {
  records: readonly OutputRecord[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Publishes results and dead letters through one idempotent producer, batched: while a produce request is
 * on its way, new records queue up and leave together in the next one. One request at a time keeps the
 * idempotent producer's sequence numbers in order (kafkajs #598). A caller's promise resolves only once
 * the broker acknowledged its records, so offsets are committed after the results exist.
 */
export class OutputPublisher {
  private readonly producer: Producer;
  private readonly logger: Logger;
  private readonly maxBatch: number;
  private queue: Waiting[] = [];
  private sending = false;

  constructor(producer: Producer, logger: Logger, maxBatch: number) {
    this.producer = producer;
    this.logger = logger;
    this.maxBatch = maxBatch;
  }

  publish(records: readonly OutputRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      if (!this.sending) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.sending = true;
    while (this.queue.length > 0) {
      const batch = this.take();
      try {
        await this.producer.sendBatch({ topicMessages: byTopic(batch.flatMap((w) => w.records)), acks: -1 });
        for (const waiting of batch) waiting.resolve();
      } catch (error) {
        this.logger.warn({ err: error, records: batch.length }, 'publishing results failed; their events will run again');
        for (const waiting of batch) waiting.reject(error);
      }
    }
    this.sending = false;
  }

  /** The oldest waiting publishes, up to `maxBatch` records (a caller's records are never split). */
  private take(): Waiting[] {
    let count = 0;
    let taken = 0;
    while (taken < this.queue.length && (taken === 0 || count + (this.queue[taken]?.records.length ?? 0) <= this.maxBatch)) {
      count += this.queue[taken]?.records.length ?? 0;
      taken += 1;
    }
    return this.queue.splice(0, taken);
  }
}

function byTopic(records: readonly OutputRecord[]): TopicMessages[] {
  const topics = new Map<string, TopicMessages>();
  for (const record of records) {
    let entry = topics.get(record.topic);
    if (!entry) {
      entry = { topic: record.topic, messages: [] };
      topics.set(record.topic, entry);
    }
    entry.messages.push({ key: record.key, value: record.value, ...(record.headers ? { headers: record.headers } : {}) });
  }
  return [...topics.values()];
}
