import type { Kafka } from 'kafkajs';
import { buildStateEvents, type BuiltBatch, type TenantContext } from '../events/state-builder.ts';
import { findLandedEventIds } from '../kafka/landed-events.ts';
import type { EventPublisher } from '../kafka/publisher.ts';
import type { PollCursor } from '../store/tenant-store.ts';
import { CursorTracker, pollWindow } from './poll-window.ts';

/** Poll timing and paging. */
export interface PollSettings {
  intervalMs: number;
  overlapMs: number;
  lagMs: number;
  pageSize: number;
  initialLookbackMs: number;
}

/** A failpoint for crash tests: runs after a batch reached Kafka and before it is committed. */
export type AfterPublishHook = (tenantId: string) => void | Promise<void>;

export interface TenantPollerOptions {
  ctx: TenantContext;
  publisher: EventPublisher;
  kafka: Kafka;
  settings: PollSettings;
  /** Where to start when the tenant has no cursor; else `initialLookbackMs` before now. */
  startTime?: string;
  afterPublish?: AfterPublishHook;
  now?: () => number;
}

/** What one poll did. */
export interface PollOutcome {
  pages: number;
  read: number;
  published: number;
  /** Batches found pending from a crashed run and completed. */
  recovered: number;
  windowEnd?: string;
}

/** How far back a recovering replica reads Kafka before the pending batch was written (clock skew between hosts). */
const RECOVERY_SKEW_MS = 60_000;

/**
 * Polls one tenant's Directory Insights feed: ascending pages with search_after, from the durable cursor less the
 * overlap to now less the lag, deduplicated by event id. Each page is written down as pending, published, then
 * committed with the new cursor in one step, so a crash at any point is finished by whoever polls next.
 */
export class TenantPoller {
  private readonly options: TenantPollerOptions;
  private readonly now: () => number;

  constructor(options: TenantPollerOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
  }

  get tenantId(): string {
    return this.options.ctx.tenantId;
  }

  /** One poll, writing only while `fence` is the tenant's lease token. */
  async pollOnce(fence: string): Promise<PollOutcome> {
    const recovered = await this.recoverPending(fence);
    const { ctx, settings } = this.options;
    const stored = await ctx.store.readCursor();
    const cursor = stored ?? this.initialCursor();
    const window = pollWindow(cursor, this.now(), settings.overlapMs, settings.lagMs);
    const outcome: PollOutcome = { pages: 0, read: 0, published: 0, recovered };
    if (!window) return outcome;
    const tracker = new CursorTracker(cursor, settings.overlapMs);
    let searchAfter: unknown[] | undefined;
    for (;;) {
      const page = await ctx.client.queryEvents({ service: ['directory'], startTime: window.startTime, endTime: window.endTime, limit: settings.pageSize, ...(searchAfter ? { searchAfter } : {}) });
      outcome.pages++;
      outcome.read += page.events.length;
      this.countRead(page.events.length, page.invalidRows);
      const { fresh, repeats } = tracker.admit(page.events);
      if (repeats > 0) ctx.metrics.eventsDropped.inc({ tenant: ctx.tenantId, reason: 'duplicate' }, repeats);
      const built = await buildStateEvents(ctx, fresh, 'directory-insights');
      outcome.published += await this.publishAndCommit(fence, built, tracker.cursor());
      if (page.resultCount < page.limit || !page.searchAfter) break;
      searchAfter = page.searchAfter;
    }
    if (!stored && outcome.pages > 0) await ctx.store.commit({ fence, cursor: tracker.cursor(), update: { bound: [], users: [] } });
    ctx.metrics.pollLagSeconds.set({ tenant: ctx.tenantId }, Math.max(0, (this.now() - window.endMs) / 1000));
    return { ...outcome, windowEnd: window.endTime };
  }

  private initialCursor(): PollCursor {
    const start = this.options.startTime ?? new Date(this.now() - this.options.settings.initialLookbackMs).toISOString();
    return { timestamp: start, seen: [] };
  }

  private countRead(valid: number, invalid: number): void {
    const { metrics, tenantId } = this.options.ctx;
    metrics.eventsRead.inc({ tenant: tenantId, source: 'directory-insights' }, valid + invalid);
    if (invalid > 0) metrics.eventsDropped.inc({ tenant: tenantId, reason: 'invalid' }, invalid);
  }

  /** Pending → publish → commit; a batch with nothing to publish just moves the cursor. */
  private async publishAndCommit(fence: string, built: BuiltBatch, cursorAfter: PollCursor): Promise<number> {
    const { ctx, publisher } = this.options;
    if (built.events.length === 0) {
      await ctx.store.commit({ fence, cursor: cursorAfter, update: built.update });
      return 0;
    }
    const messages = publisher.toMessages(built.events, built.changes);
    await ctx.store.writePending(fence, { createdAtMs: this.now(), messages, cursorAfter, update: built.update });
    await publisher.send(messages, ctx.tenantId, 'directory-insights');
    await this.options.afterPublish?.(ctx.tenantId);
    await ctx.store.commit({ fence, cursor: cursorAfter, update: built.update, clearPending: true });
    return messages.length;
  }

  /**
   * Finishes a batch a crashed replica left pending: publishes the messages Kafka does not have yet (found by event
   * id), then commits the batch's cursor. Returns the number of batches recovered (0 or 1).
   */
  private async recoverPending(fence: string): Promise<number> {
    const { ctx, publisher, kafka } = this.options;
    const pending = await ctx.store.readPending();
    if (!pending) return 0;
    const landed = await findLandedEventIds({ kafka, topic: publisher.topic, eventIds: new Set(pending.messages.map((m) => m.eventId)), sinceMs: pending.createdAtMs - RECOVERY_SKEW_MS });
    const missing = pending.messages.filter((m) => !landed.has(m.eventId));
    ctx.logger.warn({ pending: pending.messages.length, landed: landed.size, republishing: missing.length }, 'completing a batch left pending');
    if (missing.length > 0) await publisher.send(missing, ctx.tenantId, 'directory-insights');
    await ctx.store.commit({ fence, cursor: pending.cursorAfter, update: pending.update, clearPending: true });
    ctx.metrics.pendingRecovered.inc({ tenant: ctx.tenantId });
    return 1;
  }
}
