import type { Batch, Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { DEFAULT_CONSUMER_SETTINGS, DEFAULT_ENGINE_LIMITS, type EngineConsumerSettings, type EngineLimits } from './engine-options.ts';
import { KeyScheduler } from './key-scheduler.ts';
import { isRebalanceError, OffsetCommitter } from './offset-committer.ts';
import { PartitionTracker } from './partition-tracker.ts';
import { PauseControl } from './pause-control.ts';
import { TenantBudgets } from './tenant-budgets.ts';
import { ALWAYS_OPEN, detach, groupOfKey, type GroupGate, type WorkHandler, type WorkItem } from './work-item.ts';

export interface OrderedConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topic: string;
  handler: WorkHandler;
  /** Which tenants may run now (parking). @defaultValue always open */
  gate?: GroupGate;
  logger: Logger;
  limits?: Partial<EngineLimits>;
  consumer?: Partial<EngineConsumerSettings>;
  /** Told how many messages each batch handed to the scheduler (for the consumed metric). */
  onReceived?: (count: number) => void;
}

/** A snapshot of the engine for health, metrics and tests. */
export interface EngineStats {
  joined: boolean;
  inFlight: number;
  pending: number;
  deferred: number;
  pausedPartitions: number;
  /** Messages taken in (first delivery or re-read of a deferred one). */
  received: number;
  commits: number;
  rebalances: number;
  /** Per partition: the commit position (first offset not done), lag behind the high watermark, memory. */
  partitions: { topic: string; partition: number; position?: number; lag?: number; pending: number; deferred: number }[];
}

const trackerId = (topic: string, partition: number) => `${topic}:${partition}`;
const NO_KEY_GROUP = '';

/**
 * Key-ordered parallel consumption on kafkajs `eachBatch`.
 *
 * `eachBatch` only takes messages in: it records their offsets, queues them per key and returns at once, so
 * kafkajs keeps fetching while the work runs (a blocking `eachBatch` would make every fetch wait for the
 * slowest key of all partitions). Memory is bounded by pausing partitions; a tenant past its own budget has
 * its newer events deferred (offset kept, message read again later) instead of pausing anyone.
 *
 * Offsets are committed by this class only (autoCommit off), every `commitIntervalMs`, up to the first offset
 * of each partition that is not done. Redelivery after a crash or rebalance starts there; the handler's
 * idempotency covers what had finished beyond it.
 */
export class OrderedConsumer {
  private readonly options: OrderedConsumerOptions;
  private readonly limits: EngineLimits;
  private readonly settings: EngineConsumerSettings;
  private readonly logger: Logger;
  private readonly consumer: Consumer;
  private readonly scheduler: KeyScheduler;
  private readonly pauses: PauseControl;
  private readonly gate: GroupGate;
  private readonly trackers = new Map<string, PartitionTracker>();
  /** Tenants with deferred offsets in some partition. */
  private readonly deferredGroups = new Set<string>();
  private readonly budgets: TenantBudgets;
  /** Partitions not read for now because a tenant over its budget is draining: partition id → tenant. */
  private readonly heldBack = new Map<string, string>();
  private syncQueued = false;
  private heartbeat: (() => Promise<void>) | undefined;
  private timers: NodeJS.Timeout[] = [];
  private readonly committer: OffsetCommitter;
  private stopping: Promise<void> | undefined;
  private joinedOnce = false;
  private crashError: Error | undefined;
  private holdTimer: NodeJS.Timeout | undefined;
  private counters = { received: 0, rebalances: 0 };
  private readonly unsubscribeGate: () => void;

  constructor(options: OrderedConsumerOptions) {
    this.options = options;
    this.limits = { ...DEFAULT_ENGINE_LIMITS, ...options.limits };
    this.settings = { ...DEFAULT_CONSUMER_SETTINGS, ...options.consumer };
    this.logger = options.logger.child({ component: 'engine' });
    this.gate = options.gate ?? ALWAYS_OPEN;
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: this.settings.sessionTimeoutMs,
      rebalanceTimeout: this.settings.rebalanceTimeoutMs,
      heartbeatInterval: this.settings.heartbeatIntervalMs,
      maxWaitTimeInMs: this.settings.maxWaitTimeMs,
      maxBytesPerPartition: this.settings.maxBytesPerPartition,
      maxBytes: this.settings.maxBytes,
    });
    this.pauses = new PauseControl(this.consumer, this.limits, this.logger);
    this.committer = new OffsetCommitter(this.consumer, () => this.trackers.values(), this.logger, () => this.onRebalanceSignal());
    this.scheduler = new KeyScheduler({
      handler: options.handler,
      gate: this.gate,
      maxInFlight: this.limits.maxInFlight,
      maxInFlightPerGroup: this.limits.maxInFlightPerTenant,
      retryInitialMs: this.limits.retryInitialMs,
      retryMaxMs: this.limits.retryMaxMs,
      logger: this.logger,
      onDone: (item) => this.trackers.get(trackerId(item.topic, item.partition))?.complete(item.offset),
      onGroupSettled: (group, pending) => this.afterSettle(group, pending),
    });
    this.budgets = new TenantBudgets({
      maxPendingPerTenant: this.limits.maxPendingPerTenant,
      stuckAfterMs: this.limits.stuckAfterMs,
      gate: this.gate,
      pendingOf: (group) => this.scheduler.pendingOf(group),
      onRelease: (group) => this.releaseHeld(group),
    });
    // A tenant that opens again may have nothing in memory to settle, so its deferred events are asked for here.
    this.unsubscribeGate = this.gate.onChange((group, open) => {
      if (open && this.deferredGroups.has(group)) this.requestRefill(group);
    });
  }

  /** Joins the group and starts consuming; resolves once the consumer runs (not waiting for the first join). */
  async start(): Promise<void> {
    this.watchGroupEvents();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: this.settings.fromBeginning });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.intake(payload),
    });
    this.timers.push(setInterval(() => void this.commit(), this.limits.commitIntervalMs));
    this.timers.push(setInterval(() => void this.keepAlive(), Math.max(500, this.settings.heartbeatIntervalMs)));
  }

  /** Whether the consumer has joined its group and not crashed for good. */
  get ready(): boolean {
    return this.joinedOnce && !this.crashError && !this.stopping;
  }

  get crashed(): Error | undefined {
    return this.crashError;
  }

  stats(): EngineStats {
    const partitions = [...this.trackers.values()].map((t) => {
      const position = t.commitPosition();
      const lag = t.highWatermark !== undefined && position !== undefined ? Math.max(0, t.highWatermark - position) : undefined;
      return { topic: t.topic, partition: t.partition, position, lag, pending: t.pendingCount, deferred: t.deferredCount };
    });
    return {
      joined: this.joinedOnce,
      inFlight: this.scheduler.inFlight,
      pending: this.scheduler.pending,
      deferred: partitions.reduce((sum, p) => sum + p.deferred, 0),
      pausedPartitions: this.pauses.pausedCount,
      ...this.counters,
      commits: this.committer.commits,
      partitions,
    };
  }

  /**
   * Stops fetching, lets running events finish (at most `timeoutMs`, then their signal aborts), commits
   * what is contiguous, and leaves the group.
   */
  stop(timeoutMs: number): Promise<void> {
    this.stopping ??= this.shutdown(timeoutMs);
    return this.stopping;
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    if (this.joinedOnce) this.syncPauses(true);
    await this.scheduler.halt(timeoutMs);
    await this.commit().catch((err: unknown) => this.logger.warn({ err }, 'final commit failed'));
    for (const timer of this.timers) clearInterval(timer);
    clearTimeout(this.holdTimer);
    this.budgets.close();
    this.unsubscribeGate();
    await this.consumer.disconnect();
  }

  /** Takes a fetched batch in without waiting for its processing. */
  private async intake({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    this.heartbeat = heartbeat;
    // A stale batch was fetched before a seek (a re-read of deferred offsets) and must not be taken in.
    if (!isRunning() || isStale() || this.stopping) return;
    const tracker = this.tracker(batch.topic, batch.partition);
    if (this.pauses.isPaused(batch.topic, batch.partition)) return;
    tracker.highWatermark = Number(batch.highWatermark);
    const before = this.counters.received;
    const taken = this.admitBatch(tracker, batch);
    if (this.counters.received > before) this.options.onReceived?.(this.counters.received - before);
    // Only what was taken is resolved: the rest of the batch is fetched again once there is room.
    if (taken !== undefined) resolveOffset(taken);
    this.syncPauses(false);
  }

  /**
   * Takes messages in until memory is full or a tenant over its budget holds the partition back; returns the
   * offset of the last message taken (or skipped as already known).
   */
  private admitBatch(tracker: PartitionTracker, batch: Batch): string | undefined {
    const now = Date.now();
    let taken: string | undefined;
    for (const message of batch.messages) {
      if (this.full(tracker)) break;
      const offset = Number(message.offset);
      const key = message.key ? message.key.toString() : `${batch.partition}/${offset}`;
      const group = message.key ? groupOfKey(key) : NO_KEY_GROUP;
      const arrival = tracker.classify(offset, group);
      if (arrival === 'known') {
        tracker.noteRedelivered(offset);
      } else if (arrival === 'refill') {
        this.refill(tracker, this.item(batch, message, offset, key, group, now));
      } else {
        const admission = this.budgets.decide(group, tracker.hasDeferred(group));
        if (admission === 'hold') {
          this.heldBack.set(trackerId(tracker.topic, tracker.partition), group);
          break;
        }
        if (admission === 'defer') this.defer(tracker, offset, group);
        else this.admit(tracker, this.item(batch, message, offset, key, group, now));
      }
      taken = message.offset;
    }
    return taken;
  }

  private item(batch: Batch, message: KafkaMessage, offset: number, key: string, group: string, receivedAt: number): WorkItem {
    return { topic: batch.topic, partition: batch.partition, offset, key, group, message: detach(message), receivedAt };
  }

  private full(tracker: PartitionTracker): boolean {
    return (
      this.scheduler.pending >= this.limits.maxPending ||
      tracker.pendingCount >= this.limits.maxPendingPerPartition ||
      tracker.deferredCount >= this.limits.maxDeferredPerPartition
    );
  }

  private admit(tracker: PartitionTracker, item: WorkItem): void {
    tracker.addPending(item.offset, item.group);
    this.counters.received += 1;
    this.scheduler.enqueue(item);
  }

  private defer(tracker: PartitionTracker, offset: number, group: string): void {
    tracker.addDeferred(offset, group);
    this.deferredGroups.add(group);
  }

  /** A tenant that held partitions back drained or turned stuck: read those partitions again. */
  private releaseHeld(group: string): void {
    for (const [id, holder] of this.heldBack) if (holder === group) this.heldBack.delete(id);
    this.syncPauses(false);
  }

  /** A deferred offset read again: take it in if its tenant has room, else leave it (and the rest) deferred. */
  private refill(tracker: PartitionTracker, item: WorkItem): void {
    tracker.noteRedelivered(item.offset);
    if (this.scheduler.pendingOf(item.group) >= this.limits.maxPendingPerTenant) return;
    tracker.admitDeferred(item.offset, item.group);
    this.counters.received += 1;
    this.scheduler.enqueue(item);
  }

  private tracker(topic: string, partition: number): PartitionTracker {
    const id = trackerId(topic, partition);
    let tracker = this.trackers.get(id);
    if (!tracker) {
      tracker = new PartitionTracker(topic, partition);
      this.trackers.set(id, tracker);
    }
    return tracker;
  }

  private afterSettle(group: string, pending: number): void {
    if (this.budgets.settled(group, pending)) this.releaseHeld(group);
    if (this.deferredGroups.has(group) && pending <= this.limits.maxPendingPerTenant / 2) this.requestRefill(group);
    // Settling only frees memory, so only a paused partition can change state here; one check per turn of
    // the event loop is enough, however many events settled in it.
    if (this.pauses.pausedCount > 0 && !this.syncQueued) {
      this.syncQueued = true;
      setImmediate(() => {
        this.syncQueued = false;
        this.syncPauses(false);
      });
    }
  }

  /** Seeks partitions holding deferred offsets of a tenant with room again back to the oldest of them. */
  private requestRefill(group: string): void {
    if (!this.gate.isOpen(group) || this.stopping) return;
    let anyLeft = false;
    for (const tracker of this.trackers.values()) {
      const oldest = tracker.oldestDeferred([group]);
      if (oldest === undefined) continue;
      anyLeft = true;
      if (tracker.refillFrom !== undefined && tracker.refillFrom <= oldest) continue;
      tracker.refillFrom = oldest;
      this.logger.info({ partition: tracker.partition, offset: oldest, tenant: group }, 'reading deferred events again');
      this.consumer.seek({ topic: tracker.topic, partition: tracker.partition, offset: String(oldest) });
    }
    if (!anyLeft) this.deferredGroups.delete(group);
  }

  private syncPauses(stopping: boolean): void {
    if (!this.joinedOnce) return;
    this.pauses.sync(this.trackers.values(), this.scheduler.pending, stopping || this.stopping !== undefined, this.heldBack);
  }

  /** Commits, per partition, the offset before which everything is done. */
  commit(): Promise<void> {
    return this.joinedOnce ? this.committer.commit() : Promise.resolve();
  }

  /** Heartbeats while events run, since kafkajs heartbeats only between batches. */
  private async keepAlive(): Promise<void> {
    if (!this.heartbeat || this.scheduler.inFlight === 0 || !this.joinedOnce) return;
    try {
      await this.heartbeat();
    } catch (err) {
      if (isRebalanceError(err)) this.onRebalanceSignal();
    }
  }

  /**
   * A rebalance is coming: start nothing new until the new assignment is known (or a few seconds passed, in
   * case the signal was late and no join follows), and commit what is done so the next owner redoes little.
   */
  private onRebalanceSignal(): void {
    this.scheduler.hold(true);
    clearTimeout(this.holdTimer);
    this.holdTimer = setTimeout(() => this.scheduler.hold(false), Math.min(5_000, this.settings.sessionTimeoutMs));
    void this.commit();
  }

  private watchGroupEvents(): void {
    const { GROUP_JOIN, REBALANCING, CRASH } = this.consumer.events;
    this.consumer.on(REBALANCING, () => this.onRebalanceSignal());
    this.consumer.on(GROUP_JOIN, (event) => this.onJoin(event.payload.memberAssignment));
    this.consumer.on(CRASH, (event) => {
      this.logger.error({ err: event.payload.error, restart: event.payload.restart }, 'consumer crashed');
      if (!event.payload.restart) this.crashError = event.payload.error;
    });
  }

  /** A new assignment: forget partitions we lost (their queued events go to the new owner), carry on. */
  private onJoin(assignment: Record<string, number[]>): void {
    this.counters.rebalances += this.joinedOnce ? 1 : 0;
    this.joinedOnce = true;
    for (const [id, tracker] of this.trackers) {
      if (assignment[tracker.topic]?.includes(tracker.partition)) continue;
      const dropped = this.scheduler.dropPartition(tracker.topic, tracker.partition);
      this.trackers.delete(id);
      this.heldBack.delete(id);
      this.pauses.forget(tracker.topic, tracker.partition);
      this.logger.info({ partition: tracker.partition, dropped }, 'partition revoked');
    }
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) this.tracker(topic, partition);
    }
    clearTimeout(this.holdTimer);
    this.scheduler.hold(false);
    this.syncPauses(false);
  }
}
