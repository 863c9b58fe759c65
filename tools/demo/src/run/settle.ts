import type { TenantCounters } from '../progress/tenant-counters.ts';

/** One look at the pipeline: what the emulator has played, and what Kafka shows. */
export interface PipelineSnapshot {
  timelinesDone: boolean;
  lag: number;
  counters: ReadonlyMap<string, TenantCounters>;
}

/**
 * Decides when a run is over: every timeline played, every state event answered by a result, nothing left
 * uncommitted, and no new state event for `quietMs` (the poller has caught up with the feed).
 */
export class SettleDetector {
  private lastIngested = -1;
  private quietSince = Date.now();
  private readonly quietMs: number;

  constructor(quietMs: number) {
    this.quietMs = quietMs;
  }

  isSettled(snapshot: PipelineSnapshot, now = Date.now()): boolean {
    const counters = [...snapshot.counters.values()];
    const ingested = counters.reduce((sum, tenant) => sum + tenant.ingested, 0);
    if (ingested !== this.lastIngested) {
      this.lastIngested = ingested;
      this.quietSince = now;
    }
    const answered = counters.every((tenant) => tenant.results >= tenant.ingested);
    return snapshot.timelinesDone && snapshot.lag === 0 && answered && ingested > 0 && now - this.quietSince >= this.quietMs;
  }
}
