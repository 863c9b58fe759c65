import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { parseMessageKey, type ProvisioningResultV1 } from '@provisioning/schemas';
import { countResult, emptyCounters, type TenantCounters } from './tenant-counters.ts';

/** The topics a pipeline reads and writes (the contract's names, or a demo run's own). */
export interface MonitoredTopics {
  userChanges: string;
  results: string;
}

/**
 * Watches the pipeline from the outside, as another team would: it reads the state events and the result
 * events from Kafka in its own consumer group, and the processor's committed offsets for lag.
 */
export class PipelineMonitor {
  readonly counters = new Map<string, TenantCounters>();
  private readonly consumer: Consumer;
  private readonly admin: Admin;
  private readonly groupId = `demo-monitor-${randomUUID()}`;
  private readonly processorGroupId: string;
  private readonly topics: MonitoredTopics;

  constructor(kafka: Kafka, processorGroupId: string, topics: MonitoredTopics) {
    this.consumer = kafka.consumer({ groupId: this.groupId, maxWaitTimeInMs: 250 });
    this.admin = kafka.admin();
    this.processorGroupId = processorGroupId;
    this.topics = topics;
  }

  async start(): Promise<void> {
    await this.admin.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.topics.userChanges, this.topics.results], fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, message }) => {
        const key = message.key ? parseMessageKey(message.key.toString()) : undefined;
        if (!key) return;
        const counters = this.tenant(key.tenantId);
        if (topic === this.topics.userChanges) counters.ingested += 1;
        else countResult(counters, JSON.parse(String(message.value)) as ProvisioningResultV1);
      },
    });
  }

  tenant(tenantId: string): TenantCounters {
    let counters = this.counters.get(tenantId);
    if (!counters) this.counters.set(tenantId, (counters = emptyCounters()));
    return counters;
  }

  /** State events the processor has not committed yet, summed over the partitions. */
  async processorLag(): Promise<number> {
    const [ends, committed] = await Promise.all([
      this.admin.fetchTopicOffsets(this.topics.userChanges),
      this.admin.fetchOffsets({ groupId: this.processorGroupId, topics: [this.topics.userChanges] }),
    ]);
    const committedByPartition = new Map(
      (committed[0]?.partitions ?? []).map((p) => [p.partition, Math.max(0, Number(p.offset))]),
    );
    return ends.reduce((lag, end) => lag + Number(end.high) - (committedByPartition.get(end.partition) ?? 0), 0);
  }

  /** Leaves and deletes its consumer group: watching leaves nothing behind on the broker. */
  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.admin.deleteGroups([this.groupId]).catch(() => undefined);
    await this.admin.disconnect();
  }
}
