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
        const collected = {
          key: message.key?.toString(),
          value: message.value?.toString(),
          headers: decodeHeaders(message.headers),
          partition,
          offset: Number(message.offset),
        };
        this.messages.push(collected);
        this.received(collected);
      },
    });
  }

  /** Hook for subclasses that index messages as they arrive. */
  protected received(_message: CollectedMessage): void {}

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** Result events, each checked against the strict producer-side contract as it arrives. */
export class ResultCollector extends TopicCollector {
  private readonly all: ProvisioningResultV1[] = [];
  private readonly byEvent = new Map<string, ProvisioningResultV1[]>();

  protected override received(message: CollectedMessage): void {
    const result = provisioningResultV1Schema.parse(JSON.parse(message.value ?? 'null'));
    this.all.push(result);
    this.byEvent.set(result.eventId, [...(this.byEvent.get(result.eventId) ?? []), result]);
  }

  results(): ProvisioningResultV1[] {
    return [...this.all];
  }

  forEvent(eventId: string): ProvisioningResultV1[] {
    return this.byEvent.get(eventId) ?? [];
  }

  /** Waits until every event id has at least one result; returns the first result of each, in the given order. */
  async waitFor(eventIds: readonly string[], timeout = 30_000): Promise<ProvisioningResultV1[]> {
    await expect.poll(() => eventIds.filter((id) => !this.byEvent.has(id)).slice(0, 5), { timeout, interval: 50 }).toEqual([]);
    return eventIds.map((id) => this.forEvent(id)[0] as ProvisioningResultV1);
  }
}
