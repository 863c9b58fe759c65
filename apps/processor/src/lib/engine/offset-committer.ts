import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';
import type { PartitionTracker } from './partition-tracker.ts';

/** A rebalance (or a membership kafkajs lost): the group is being reassigned. */
export function isRebalanceError(error: unknown): boolean {
  const type = (error as { type?: string } | undefined)?.type;
  return type === 'REBALANCE_IN_PROGRESS' || type === 'ILLEGAL_GENERATION' || type === 'UNKNOWN_MEMBER_ID';
}

/**
 * Commits, per partition, the offset before which everything is done (never past an event not done).
 * Commits run one at a time; a call while one runs is folded into the next one.
 */
export class OffsetCommitter {
  private readonly consumer: Consumer;
  private readonly trackers: () => Iterable<PartitionTracker>;
  private readonly logger: Logger;
  private readonly onRebalance: () => void;
  private running: Promise<void> = Promise.resolve();
  private queued = false;
  /** Successful commit requests so far. */
  commits = 0;

  constructor(consumer: Consumer, trackers: () => Iterable<PartitionTracker>, logger: Logger, onRebalance: () => void) {
    this.consumer = consumer;
    this.trackers = trackers;
    this.logger = logger;
    this.onRebalance = onRebalance;
  }

  commit(): Promise<void> {
    if (this.queued) return this.running;
    this.queued = true;
    this.running = this.running.then(async () => {
      this.queued = false;
      await this.commitNow();
    });
    return this.running;
  }

  private async commitNow(): Promise<void> {
    const due = [...this.trackers()].flatMap((tracker) => {
      const position = tracker.uncommittedPosition();
      return position === undefined ? [] : [{ tracker, position }];
    });
    if (due.length === 0) return;
    try {
      await this.consumer.commitOffsets(
        due.map(({ tracker, position }) => ({ topic: tracker.topic, partition: tracker.partition, offset: String(position) })),
      );
      for (const { tracker, position } of due) tracker.markCommitted(position);
      this.commits += 1;
    } catch (err) {
      // A rebalance or coordinator move: the next tick (or the new assignment) commits again.
      this.logger.info({ err }, 'offset commit failed, will retry');
      if (isRebalanceError(err)) this.onRebalance();
    }
  }
}
