import type { GroupGate } from './work-item.ts';

/**
 * What to do with a new message of a tenant:
 * - `admit`: keep it in memory and queue it;
 * - `hold`: stop reading its partition for now (the tenant is over its memory budget but draining);
 * - `defer`: keep only its offset and read it again later (the tenant is parked or stuck), so its
 *   partition keeps flowing for the other tenants.
 */
export type Admission = 'admit' | 'hold' | 'defer';

export interface TenantBudgetOptions {
  maxPendingPerTenant: number;
  /** How long a tenant over budget may hold its partitions back before it counts as stuck. */
  stuckAfterMs: number;
  gate: GroupGate;
  pendingOf(group: string): number;
  /** A tenant that held partitions back drained or turned stuck: its partitions may be read again. */
  onRelease(group: string): void;
}

/**
 * Per-tenant memory budgets. A tenant over its budget first just slows reading down (like any backpressure),
 * which costs nothing when it drains quickly. A tenant that does not drain — parked, or stuck behind a low
 * rate limit for longer than `stuckAfterMs` — has its newer events deferred instead, so the other tenants
 * of the same partitions are never held behind it for longer than that.
 */
export class TenantBudgets {
  private readonly options: TenantBudgetOptions;
  /** Tenants over budget, with when they went over and the timer that declares them stuck. */
  private readonly over = new Map<string, { since: number; timer: NodeJS.Timeout }>();

  constructor(options: TenantBudgetOptions) {
    this.options = options;
  }

  decide(group: string, hasDeferredHere: boolean): Admission {
    // Deferred offsets of this tenant come first: a newer one taken in now would overtake them.
    if (hasDeferredHere) return 'defer';
    if (this.options.pendingOf(group) < this.options.maxPendingPerTenant) return 'admit';
    if (!this.options.gate.isOpen(group)) return 'defer';
    const over = this.over.get(group);
    if (!over) {
      const timer = setTimeout(() => this.options.onRelease(group), this.options.stuckAfterMs);
      this.over.set(group, { since: Date.now(), timer });
      return 'hold';
    }
    return Date.now() - over.since >= this.options.stuckAfterMs ? 'defer' : 'hold';
  }

  /** Whether a tenant has drained back to half its budget (then it is no longer over). */
  settled(group: string, pending: number): boolean {
    if (pending > this.options.maxPendingPerTenant / 2) return false;
    const over = this.over.get(group);
    if (!over) return false;
    clearTimeout(over.timer);
    this.over.delete(group);
    return true;
  }

  close(): void {
    for (const { timer } of this.over.values()) clearTimeout(timer);
    this.over.clear();
  }
}
