import { EventStore } from './event-store.ts';
import { EventSynthesizer, LOCKOUT_PERIOD_NS, type SynthesisQuirks } from './event-synthesizer.ts';
import type { AdminAction, DirectoryInsightsRow } from './fixture-schemas.ts';
import type { TenantFixture } from './fixtures.ts';
import { parseInstantNs } from './instant.ts';
import { OrgState } from './org-state.ts';

/**
 * Where the Directory Insights rows of the fixture timeline come from: `recorded` replays the fixture's export
 * (so the feed equals `directory-insights-events.json`), `synthesized` writes them from each action.
 */
export type EventSource = 'recorded' | 'synthesized';

export interface SimTenantOptions {
  tenantId: string;
  apiKey: string;
  fixture: TenantFixture;
  /** @defaultValue `recorded` when the fixture has an export, else `synthesized` */
  events?: EventSource;
  synthesisQuirks?: Partial<SynthesisQuirks>;
}

export interface TimelineStatus {
  applied: number;
  total: number;
  /** The time of the next action, or undefined when the timeline is done. */
  nextAt?: string;
  events: EventSource;
  visibleEvents: number;
  playing: boolean;
}

interface TimedAction {
  action: AdminAction;
  atNs: bigint;
}

const FOREVER = BigInt(Number.MAX_SAFE_INTEGER) * 1_000_000n;

function timed(action: AdminAction): TimedAction {
  const atNs = parseInstantNs(action.at);
  if (atNs === undefined) throw new Error(`action ${action.action} has an unreadable time ${action.at}`);
  return { action, atNs };
}

/**
 * One emulated organization: its state, its Directory Insights index and its admin timeline. The timeline's clock
 * stands just before the next action, so after each step the feed shows exactly what had happened by then.
 */
export class SimTenant {
  readonly tenantId: string;
  readonly apiKey: string;
  readonly org: OrgState;
  readonly feed = new EventStore();
  readonly eventSource: EventSource;
  private readonly timeline: TimedAction[];
  private readonly synthesizer: EventSynthesizer;
  private nextIndex = 0;
  private pendingUnlocks: { atNs: bigint; userId: string }[] = [];
  private player: NodeJS.Timeout | undefined;

  constructor(options: SimTenantOptions) {
    const { fixture } = options;
    this.tenantId = options.tenantId;
    this.apiKey = options.apiKey;
    this.org = new OrgState(fixture.initial);
    this.timeline = fixture.timeline.map(timed);
    this.eventSource = options.events ?? (fixture.recordedEvents ? 'recorded' : 'synthesized');
    if (this.eventSource === 'recorded' && !fixture.recordedEvents) throw new Error(`tenant ${options.tenantId} has no recorded events`);
    this.synthesizer = new EventSynthesizer({ organization: fixture.initial.organization, application: fixture.initial.application, quirks: options.synthesisQuirks ?? {} });
    if (this.eventSource === 'recorded') this.feed.add(fixture.recordedEvents ?? [], false);
    this.feed.revealBefore(this.timeline[0]?.atNs ?? FOREVER);
  }

  get organization(): string {
    return this.org.organization;
  }

  status(): TimelineStatus {
    const next = this.timeline[this.nextIndex];
    return {
      applied: this.nextIndex,
      total: this.timeline.length,
      ...(next ? { nextAt: next.action.at } : {}),
      events: this.eventSource,
      visibleEvents: this.feed.visibleCount,
      playing: this.player !== undefined,
    };
  }

  /** Applies the next `count` timeline actions (fewer at the end). */
  applyNext(count: number): TimelineStatus {
    const end = Math.min(this.timeline.length, this.nextIndex + Math.max(0, count));
    while (this.nextIndex < end) this.applyTimelineAction(this.timeline[this.nextIndex++] as TimedAction);
    this.advanceClock(this.timeline[this.nextIndex]?.atNs ?? FOREVER);
    return this.status();
  }

  /** Applies every timeline action stamped before `ns`. */
  applyUntil(ns: bigint): TimelineStatus {
    let count = 0;
    while ((this.timeline[this.nextIndex + count]?.atNs ?? FOREVER) <= ns) count++;
    return this.applyNext(count);
  }

  applyAll(): TimelineStatus {
    return this.applyNext(this.timeline.length);
  }

  /**
   * Plays the timeline in real time, `speed` times faster than it happened (604800 plays the week in a second).
   * Stops by itself at the end.
   */
  play(speed: number, tickMs = 20): TimelineStatus {
    this.pause();
    const first = this.timeline[this.nextIndex];
    if (!first || !(speed > 0)) return this.status();
    const startedAt = performance.now();
    this.player = setInterval(() => {
      const elapsedNs = BigInt(Math.round((performance.now() - startedAt) * speed * 1e6));
      const status = this.applyUntil(first.atNs + elapsedNs);
      if (status.nextAt === undefined) this.pause();
    }, tickMs);
    this.player.unref();
    return this.status();
  }

  pause(): void {
    clearInterval(this.player);
    this.player = undefined;
  }

  /**
   * Applies actions outside the timeline (the admin API's way to drive a scenario). An action without `at` happens
   * now; its rows are visible at once.
   */
  applyActions(actions: readonly AdminAction[]): DirectoryInsightsRow[] {
    const rows: DirectoryInsightsRow[] = [];
    for (const action of actions) {
      const withTime = timed({ ...action, at: action.at || new Date().toISOString() });
      rows.push(...this.applyAndSynthesize(withTime));
    }
    this.feed.add(rows, true);
    return rows;
  }

  private applyTimelineAction(item: TimedAction): void {
    this.unlockDue(item.atNs);
    const rows = this.applyAndSynthesize(item);
    if (this.eventSource === 'synthesized') this.feed.add(rows, false);
  }

  private applyAndSynthesize(item: TimedAction): DirectoryInsightsRow[] {
    const applied = this.org.apply(item.action);
    if (item.action.action === 'lockout_user') this.pendingUnlocks.push({ atNs: item.atNs + LOCKOUT_PERIOD_NS, userId: item.action.userId });
    return this.synthesizer.rowsFor(applied);
  }

  /** Moves the clock to just before `ns`: lockouts that ended are lifted and the rows stamped before it appear. */
  private advanceClock(ns: bigint): void {
    this.unlockDue(ns);
    this.feed.revealBefore(ns);
  }

  private unlockDue(ns: bigint): void {
    const due = this.pendingUnlocks.filter((u) => u.atNs < ns);
    this.pendingUnlocks = this.pendingUnlocks.filter((u) => u.atNs >= ns);
    for (const { userId } of due) this.org.unlock(userId);
  }
}
