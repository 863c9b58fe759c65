import type { Consumer, IHeaders, Kafka } from 'kafkajs';
import { expect } from 'vitest';
import { uniqueName } from '@provisioning/kafka/testing';
import { provisioningResultV1Schema, type ProvisioningResultV1 } from '@provisioning/schemas';

export interface CollectedMessage {
  key: string | undefined;
  value: string | undefined;
  headers: Record<string, string>;
  partition: number;
  offset: number;
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));
}

/** Reads a topic from the beginning into memory, for assertions. */
export class TopicCollector {
  readonly messages: CollectedMessage[] = [];
  private readonly consumer: Consumer;
  private readonly topic: string;

  constructor(kafka: Kafka, topic: string) {
    this.topic = topic;
    this.consumer = kafka.consumer({ groupId: uniqueName('collector'), maxWaitTimeInMs: 100 });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ message, partition }) => {
        this.messages.push({
          key: message.key?.toString(),
          value: message.value?.toString(),
          headers: decodeHeaders(message.headers),
          partition,
          offset: Number(message.offset),
        });
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** Result events, each checked against the strict producer-side contract as it arrives. */
export class ResultCollector extends TopicCollector {
  results(): ProvisioningResultV1[] {
    return this.messages.map((m) => provisioningResultV1Schema.parse(JSON.parse(m.value ?? 'null')));
  }

  forEvent(eventId: string): ProvisioningResultV1[] {
    return this.results().filter((r) => r.eventId === eventId);
  }

  /** Waits until every event id has at least one result; returns the first result of each, in the given order. */
  async waitFor(eventIds: readonly string[], timeout = 30_000): Promise<ProvisioningResultV1[]> {
    await expect.poll(() => eventIds.filter((id) => this.forEvent(id).length === 0), { timeout, interval: 50 }).toEqual([]);
    return eventIds.map((id) => this.forEvent(id)[0] as ProvisioningResultV1);
  }
}
