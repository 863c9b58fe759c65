import { instantToEpochNanos, type DirectoryInsightsEvent } from '@provisioning/schemas';
import type { PollCursor } from '../store/tenant-store.ts';

const NS_PER_MS = 1_000_000n;

/** The time window one poll reads: from the cursor less the overlap, to now less the lag. */
export interface PollWindow {
  startTime: string;
  endTime: string;
  endMs: number;
}

/** Milliseconds floor of an instant in ns, as RFC 3339 (the API's start_time is inclusive, so flooring loses nothing). */
function isoFromNs(ns: bigint): string {
  const ms = ns / NS_PER_MS - (ns < 0n && ns % NS_PER_MS !== 0n ? 1n : 0n);
  return new Date(Number(ms)).toISOString();
}

/** The window to read now, or undefined when the lag leaves nothing to read yet. */
export function pollWindow(cursor: PollCursor, nowMs: number, overlapMs: number, lagMs: number): PollWindow | undefined {
  const startNs = instantToEpochNanos(cursor.timestamp) - BigInt(overlapMs) * NS_PER_MS;
  const endMs = nowMs - lagMs;
  if (BigInt(endMs) * NS_PER_MS <= startNs) return undefined;
  return { startTime: isoFromNs(startNs), endTime: new Date(endMs).toISOString(), endMs };
}

/**
 * Tracks one poll's progress: which ids were seen (the cursor's overlap window plus everything read in this poll,
 * so a duplicate on a later page is caught even when it is older than the overlap) and the newest timestamp.
 */
export class CursorTracker {
  private newestNs: bigint;
  private newest: string;
  private readonly seenInWindow: Map<string, bigint>;
  private readonly seenThisPoll = new Set<string>();
  private readonly overlapNs: bigint;

  constructor(cursor: PollCursor, overlapMs: number) {
    this.newest = cursor.timestamp;
    this.newestNs = instantToEpochNanos(cursor.timestamp);
    this.seenInWindow = new Map(cursor.seen.map(([id, ns]) => [id, BigInt(ns)]));
    this.overlapNs = BigInt(overlapMs) * NS_PER_MS;
  }

  /** Splits a page into events not seen before (in order) and the number of repeats; records the new ones. */
  admit(events: readonly DirectoryInsightsEvent[]): { fresh: DirectoryInsightsEvent[]; repeats: number } {
    const fresh: DirectoryInsightsEvent[] = [];
    for (const event of events) {
      if (this.seenInWindow.has(event.id) || this.seenThisPoll.has(event.id)) continue;
      const ns = instantToEpochNanos(event.timestamp);
      this.seenThisPoll.add(event.id);
      this.seenInWindow.set(event.id, ns);
      if (ns > this.newestNs) {
        this.newestNs = ns;
        this.newest = event.timestamp;
      }
      fresh.push(event);
    }
    return { fresh, repeats: events.length - fresh.length };
  }

  /** The cursor to persist: the newest timestamp and the ids seen within the overlap before it. */
  cursor(): PollCursor {
    const floor = this.newestNs - this.overlapNs;
    const seen = [...this.seenInWindow].filter(([, ns]) => ns >= floor).map(([id, ns]): [string, string] => [id, ns.toString()]);
    return { timestamp: this.newest, seen };
  }
}
