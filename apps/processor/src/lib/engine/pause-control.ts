import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';
import type { EngineLimits } from './engine-options.ts';
import type { PartitionTracker } from './partition-tracker.ts';

const partitionId = (topic: string, partition: number) => `${topic}:${partition}`;

/**
 * Decides which partitions stop fetching and tells kafkajs. Limits have hysteresis (pause at the limit,
 * resume at half of it) so a partition does not flap between paused and fetching on every event.
 */
export class PauseControl {
  private readonly consumer: Consumer;
  private readonly limits: EngineLimits;
  private readonly logger: Logger;
  private readonly paused = new Set<string>();
  private globalFull = false;
  private readonly fullPartitions = new Set<string>();

  constructor(consumer: Consumer, limits: EngineLimits, logger: Logger) {
    this.consumer = consumer;
    this.limits = limits;
    this.logger = logger;
  }

  get pausedCount(): number {
    return this.paused.size;
  }

  isPaused(topic: string, partition: number): boolean {
    return this.paused.has(partitionId(topic, partition));
  }

  /** Forgets pauses of partitions that are no longer assigned (kafkajs keeps them across rebalances). */
  forget(topic: string, partition: number): void {
    const id = partitionId(topic, partition);
    if (this.paused.delete(id)) this.consumer.resume([{ topic, partitions: [partition] }]);
    this.fullPartitions.delete(id);
  }

  /**
   * Brings kafkajs in line with what memory allows: everything paused while stopping or over the global
   * limit; a partition paused over its own limit, with too many deferred offsets, or held back by a tenant
   * over its budget (`heldBack`: partition id → tenant, ids as `topic:partition`).
   */
  sync(trackers: Iterable<PartitionTracker>, pendingTotal: number, stopping: boolean, heldBack: ReadonlyMap<string, string>): void {
    if (pendingTotal >= this.limits.maxPending) this.globalFull = true;
    else if (pendingTotal <= this.limits.maxPending / 2) this.globalFull = false;
    for (const tracker of trackers) {
      const id = partitionId(tracker.topic, tracker.partition);
      const shouldPause = stopping || this.globalFull || heldBack.has(id) || this.partitionFull(id, tracker);
      if (shouldPause && !this.paused.has(id)) {
        this.paused.add(id);
        this.consumer.pause([{ topic: tracker.topic, partitions: [tracker.partition] }]);
      } else if (!shouldPause && this.paused.has(id)) {
        this.paused.delete(id);
        this.consumer.resume([{ topic: tracker.topic, partitions: [tracker.partition] }]);
      }
    }
  }

  private partitionFull(id: string, tracker: PartitionTracker): boolean {
    if (tracker.pendingCount >= this.limits.maxPendingPerPartition) this.fullPartitions.add(id);
    else if (tracker.pendingCount <= this.limits.maxPendingPerPartition / 2) this.fullPartitions.delete(id);
    const tooManyDeferred = tracker.deferredCount >= this.limits.maxDeferredPerPartition;
    if (tooManyDeferred && !this.paused.has(id)) {
      this.logger.warn({ partition: tracker.partition }, 'too many deferred events, pausing partition');
    }
    return tooManyDeferred || this.fullPartitions.has(id);
  }
}
