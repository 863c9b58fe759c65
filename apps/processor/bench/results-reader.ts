import type { Consumer, Kafka } from 'kafkajs';
import type { ProvisioningResultV1 } from '@provisioning/schemas';

/** Reads a results topic and keeps what the benchmark reports: distinct events, outcomes, latencies, timing. */
export class ResultsReader {
  readonly seen = new Set<string>();
  readonly outcomes: Record<string, number> = {};
  /** Per distinct event: finishedAt − startedAt (ms), the time the processor spent on it. */
  readonly processingMs: number[] = [];
  firstFinishedAt = Number.POSITIVE_INFINITY;
  lastFinishedAt = 0;
  total = 0;
  private readonly consumer: Consumer;
  private readonly topic: string;
  private waiter: { count: number; resolve: () => void } | undefined;

  constructor(kafka: Kafka, topic: string, groupId: string) {
    this.topic = topic;
    this.consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, maxBytes: 52_428_800, maxBytesPerPartition: 5_242_880 });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      partitionsConsumedConcurrently: 4,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) this.take(JSON.parse(String(message.value)) as ProvisioningResultV1);
        if (this.waiter && this.seen.size >= this.waiter.count) this.waiter.resolve();
      },
    });
  }

  /** Resolves once `count` distinct events have a result. */
  until(count: number): Promise<void> {
    if (this.seen.size >= count) return Promise.resolve();
    return new Promise((resolve) => (this.waiter = { count, resolve }));
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  private take(result: ProvisioningResultV1): void {
    this.total += 1;
    const label = `${result.outcome}:${result.reason ?? result.action}`;
    this.outcomes[label] = (this.outcomes[label] ?? 0) + 1;
    if (this.seen.has(result.eventId)) return;
    this.seen.add(result.eventId);
    const finished = Date.parse(result.finishedAt);
    this.processingMs.push(finished - Date.parse(result.startedAt));
    this.firstFinishedAt = Math.min(this.firstFinishedAt, finished);
    this.lastFinishedAt = Math.max(this.lastFinishedAt, finished);
  }
}
