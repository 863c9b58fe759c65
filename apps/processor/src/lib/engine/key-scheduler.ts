import type { Logger } from 'pino';
import { Deque } from './deque.ts';
import type { GroupGate, WorkHandler, WorkItem, WorkVerdict } from './work-item.ts';

export interface KeySchedulerOptions {
  handler: WorkHandler;
  gate: GroupGate;
  /** Items running at once, over all groups. */
  maxInFlight: number;
  /** Items of one group running at once, so one slow or rate-limited tenant cannot take every slot. */
  maxInFlightPerGroup: number;
  /** Backoff after a handler error: first delay, doubled per attempt up to `retryMaxMs`, with jitter. */
  retryInitialMs: number;
  retryMaxMs: number;
  logger: Logger;
  /** Called once per item when its handler said `done`. */
  onDone(item: WorkItem): void;
  /** Called after any item of a group settled, with what that group still holds in memory. */
  onGroupSettled(group: string, pending: number): void;
}

interface KeyChain {
  readonly key: string;
  readonly group: GroupState;
  /** Items of this key not yet done, oldest first; the head is the one that runs. */
  readonly items: WorkItem[];
  running: boolean;
  /** In its group's ready queue. */
  queued: boolean;
  /** Waiting out a backoff timer. */
  timer: NodeJS.Timeout | undefined;
  attempts: number;
  /** The running head belongs to a partition that was revoked: drop it unless it finishes. */
  headRevoked: boolean;
}

interface GroupState {
  readonly id: string;
  inFlight: number;
  /** Items of this group in memory: queued, running or blocked. */
  pending: number;
  /** Chains whose head may start, in the order they became ready. */
  readonly ready: Deque<KeyChain>;
  inRing: boolean;
}

/**
 * Runs items with one async chain per key: a key's items strictly one after another in offset order,
 * different keys concurrently, within a global in-flight window and a per-group window. Groups take turns
 * (round robin), so a tenant with a deep backlog does not starve another with a few events. A closed group
 * (parked tenant) keeps its items in memory without holding any slot.
 */
export class KeyScheduler {
  private readonly options: KeySchedulerOptions;
  private readonly chains = new Map<string, KeyChain>();
  private readonly groups = new Map<string, GroupState>();
  /** Groups that can start an item now, served in turn. */
  private readonly ring = new Deque<GroupState>();
  private readonly controller = new AbortController();
  private readonly unsubscribe: () => void;
  private inFlightCount = 0;
  private pendingCount = 0;
  private held = false;
  private halted = false;
  private idleWaiters: (() => void)[] = [];

  constructor(options: KeySchedulerOptions) {
    this.options = options;
    this.unsubscribe = options.gate.onChange((group, open) => {
      const state = this.groups.get(group);
      if (open && state) this.offer(state);
      if (open) this.pump();
    });
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  /** Items in memory (queued, running or blocked) over all groups. */
  get pending(): number {
    return this.pendingCount;
  }

  pendingOf(group: string): number {
    return this.groups.get(group)?.pending ?? 0;
  }

  /** Adds an item behind the other items of its key. */
  enqueue(item: WorkItem): void {
    const group = this.groupState(item.group);
    let chain = this.chains.get(item.key);
    if (!chain) {
      chain = { key: item.key, group, items: [], running: false, queued: false, timer: undefined, attempts: 0, headRevoked: false };
      this.chains.set(item.key, chain);
    }
    chain.items.push(item);
    group.pending += 1;
    this.pendingCount += 1;
    if (chain.items.length === 1 && !chain.running) this.makeReady(chain);
    this.pump();
  }

  /** Stops starting items (a rebalance is under way) or starts again; running items go on either way. */
  hold(held: boolean): void {
    this.held = held;
    if (!held) this.pump();
  }

  /**
   * Forgets the items of a partition that is no longer ours. Items already running finish (their `onDone`
   * still fires); everything queued behind them is dropped. Returns how many items were dropped.
   */
  dropPartition(topic: string, partition: number): number {
    let dropped = 0;
    for (const chain of this.chains.values()) {
      const keep = chain.items.filter(
        (item, index) => (chain.running && index === 0) || item.topic !== topic || item.partition !== partition,
      );
      const head = chain.items[0];
      if (chain.running && head?.topic === topic && head.partition === partition) chain.headRevoked = true;
      const removed = chain.items.length - keep.length;
      if (removed === 0) continue;
      chain.items.splice(0, chain.items.length, ...keep);
      this.release(chain.group, removed);
      dropped += removed;
      if (chain.items.length === 0 && !chain.running) this.forget(chain);
    }
    return dropped;
  }

  /**
   * Stops for good: nothing new starts, pending retries are cancelled, and once `abortAfterMs` has passed
   * the handlers still running see their signal aborted. Resolves when nothing runs any more or at that time.
   */
  async halt(abortAfterMs: number): Promise<void> {
    this.halted = true;
    for (const chain of this.chains.values()) clearTimeout(chain.timer);
    this.unsubscribe();
    const timedOut = await this.whenIdle(abortAfterMs);
    if (timedOut) this.controller.abort();
  }

  /** Resolves when no item runs, or after `timeoutMs` (resolving to true then). */
  whenIdle(timeoutMs: number): Promise<boolean> {
    if (this.inFlightCount === 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(true), timeoutMs);
      this.idleWaiters.push(() => {
        clearTimeout(timer);
        resolve(false);
      });
    });
  }

  private groupState(id: string): GroupState {
    let state = this.groups.get(id);
    if (!state) {
      state = { id, inFlight: 0, pending: 0, ready: new Deque<KeyChain>(), inRing: false };
      this.groups.set(id, state);
    }
    return state;
  }

  private canStart(group: GroupState): boolean {
    return (
      group.ready.length > 0 &&
      group.inFlight < this.options.maxInFlightPerGroup &&
      this.options.gate.isOpen(group.id)
    );
  }

  /** Puts a group in the turn order if it can start something. */
  private offer(group: GroupState): void {
    if (!group.inRing && this.canStart(group)) {
      group.inRing = true;
      this.ring.push(group);
    }
  }

  private makeReady(chain: KeyChain): void {
    if (chain.queued) return;
    chain.queued = true;
    chain.group.ready.push(chain);
    this.offer(chain.group);
  }

  private pump(): void {
    while (!this.held && !this.halted && this.inFlightCount < this.options.maxInFlight) {
      const group = this.ring.shift();
      if (!group) return;
      group.inRing = false;
      if (!this.canStart(group)) continue;
      const chain = group.ready.shift();
      if (chain) {
        chain.queued = false;
        // A chain emptied by a revoked partition may still sit in the queue: skip it.
        if (chain.items.length > 0 && !chain.running) this.start(chain);
      }
      this.offer(group);
    }
  }

  private start(chain: KeyChain): void {
    const item = chain.items[0] as WorkItem;
    chain.running = true;
    chain.group.inFlight += 1;
    this.inFlightCount += 1;
    const context = { signal: this.controller.signal, attempt: chain.attempts };
    let run: Promise<WorkVerdict>;
    try {
      run = this.options.handler(item, context);
    } catch (error) {
      run = Promise.reject(error);
    }
    run.then(
      (verdict) => this.settle(chain, item, verdict),
      (error: unknown) => this.settle(chain, item, error),
    );
  }

  private settle(chain: KeyChain, item: WorkItem, outcome: WorkVerdict | unknown): void {
    chain.running = false;
    chain.group.inFlight -= 1;
    this.inFlightCount -= 1;
    if (outcome === 'done') this.finish(chain, item);
    else if (chain.headRevoked) this.dropHead(chain);
    else if (outcome === 'blocked' && !this.options.gate.isOpen(chain.group.id)) this.makeReady(chain);
    else this.retryLater(chain, item, outcome);
    this.options.onGroupSettled(chain.group.id, chain.group.pending);
    this.offer(chain.group);
    if (this.inFlightCount === 0) this.notifyIdle();
    this.pump();
  }

  private finish(chain: KeyChain, item: WorkItem): void {
    chain.attempts = 0;
    chain.headRevoked = false;
    if (chain.items[0] === item) chain.items.shift();
    this.release(chain.group, 1);
    this.options.onDone(item);
    if (chain.items.length > 0) this.makeReady(chain);
    else this.forget(chain);
  }

  /** A revoked partition's item that did not finish: its new owner will read it again. */
  private dropHead(chain: KeyChain): void {
    chain.headRevoked = false;
    chain.attempts = 0;
    chain.items.shift();
    this.release(chain.group, 1);
    if (chain.items.length > 0) this.makeReady(chain);
    else this.forget(chain);
  }

  private retryLater(chain: KeyChain, item: WorkItem, outcome: unknown): void {
    chain.attempts += 1;
    if (outcome !== 'blocked') {
      this.options.logger.warn(
        { err: outcome, topic: item.topic, partition: item.partition, offset: item.offset, attempt: chain.attempts },
        'event handling failed, retrying',
      );
    }
    if (this.halted) return;
    const base = Math.min(this.options.retryMaxMs, this.options.retryInitialMs * 2 ** (chain.attempts - 1));
    const delay = base / 2 + Math.random() * (base / 2);
    chain.timer = setTimeout(() => {
      chain.timer = undefined;
      if (chain.items.length > 0) this.makeReady(chain);
      this.pump();
    }, delay);
  }

  private release(group: GroupState, count: number): void {
    group.pending -= count;
    this.pendingCount -= count;
  }

  private forget(chain: KeyChain): void {
    clearTimeout(chain.timer);
    if (this.chains.get(chain.key) === chain) this.chains.delete(chain.key);
  }

  private notifyIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const waiter of waiters) waiter();
  }
}
