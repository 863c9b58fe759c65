import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { errorCode } from '@provisioning/errors';
import type { IngestMetrics } from '../metrics.ts';
import type { TenantLease } from '../store/lease.ts';
import { LeaseLostError } from '../store/tenant-keys.ts';
import type { TenantPoller } from './tenant-poller.ts';

export interface LeaseSettings {
  ttlMs: number;
  renewIntervalMs: number;
}

/** What `/healthz` shows about a tenant on this replica. */
export interface TenantPollStatus {
  leaseHeld: boolean;
  lastSuccessAt?: string;
  lastError?: { code: string; at: string };
  consecutiveFailures: number;
}

interface Slot {
  poller: TenantPoller;
  lease: TenantLease;
  status: TenantPollStatus;
  loop?: { abort: AbortController; done: Promise<void> };
}

const MAX_FAILURE_BACKOFF_MS = 60_000;

/**
 * Runs the pollers of every tenant this replica can lease. Each tick renews the leases it holds (stopping a poller
 * whose lease is gone) and claims free ones, so when a replica dies its tenants move to another within one TTL.
 * A tenant's failures back off on their own and never stop the other tenants.
 */
export class PollSupervisor {
  private readonly slots: Slot[];
  private readonly settings: LeaseSettings & { intervalMs: number };
  private readonly logger: Logger;
  private readonly metrics: IngestMetrics;
  private ticker: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();

  constructor(options: { pollers: { poller: TenantPoller; lease: TenantLease }[]; settings: LeaseSettings & { intervalMs: number }; logger: Logger; metrics: IngestMetrics }) {
    this.slots = options.pollers.map(({ poller, lease }) => ({ poller, lease, status: { leaseHeld: false, consecutiveFailures: 0 } }));
    this.settings = options.settings;
    this.logger = options.logger;
    this.metrics = options.metrics;
  }

  start(): void {
    const tick = () => {
      this.ticking = this.ticking.then(() => this.tick());
    };
    tick();
    this.ticker = setInterval(tick, this.settings.renewIntervalMs);
  }

  status(): Record<string, TenantPollStatus> {
    return Object.fromEntries(this.slots.map((slot) => [slot.poller.tenantId, { ...slot.status }]));
  }

  /** Stops every poller (finishing the page in hand) and releases the leases for a quick takeover. */
  async stop(): Promise<void> {
    clearInterval(this.ticker);
    await this.ticking;
    await Promise.all(this.slots.map((slot) => this.stopSlot(slot, true)));
  }

  private async tick(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.tickSlot(slot).catch((error: unknown) => this.logger.warn({ err: error, tenantId: slot.poller.tenantId }, 'lease tick failed'))));
  }

  private async tickSlot(slot: Slot): Promise<void> {
    const { ttlMs } = this.settings;
    if (slot.loop) {
      if (!(await slot.lease.renew(ttlMs))) {
        this.logger.warn({ tenantId: slot.poller.tenantId }, 'lease lost; stopping the poller');
        await this.stopSlot(slot, false);
      }
      return;
    }
    if (await slot.lease.tryAcquire(ttlMs)) this.startSlot(slot);
  }

  private startSlot(slot: Slot): void {
    const abort = new AbortController();
    slot.status.leaseHeld = true;
    this.metrics.leaseHeld.set({ tenant: slot.poller.tenantId }, 1);
    this.logger.info({ tenantId: slot.poller.tenantId }, 'lease acquired; polling');
    slot.loop = { abort, done: this.runLoop(slot, abort.signal) };
  }

  private async stopSlot(slot: Slot, release: boolean): Promise<void> {
    const loop = slot.loop;
    slot.loop = undefined;
    loop?.abort.abort();
    await loop?.done;
    if (release) await slot.lease.release().catch(() => undefined);
    slot.status.leaseHeld = false;
    this.metrics.leaseHeld.set({ tenant: slot.poller.tenantId }, 0);
  }

  private async runLoop(slot: Slot, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const fence = slot.lease.token;
      if (!fence) return;
      try {
        await slot.poller.pollOnce(fence);
        slot.status = { ...slot.status, lastSuccessAt: new Date().toISOString(), consecutiveFailures: 0 };
      } catch (error) {
        if (error instanceof LeaseLostError) return;
        this.recordFailure(slot, error);
      }
      const failures = slot.status.consecutiveFailures;
      const waitMs = failures === 0 ? this.settings.intervalMs : Math.min(MAX_FAILURE_BACKOFF_MS, this.settings.intervalMs * 2 ** failures);
      await sleep(waitMs, undefined, { signal }).catch(() => undefined);
    }
  }

  private recordFailure(slot: Slot, error: unknown): void {
    const code = errorCode(error);
    const tenantId = slot.poller.tenantId;
    slot.status = { ...slot.status, lastError: { code, at: new Date().toISOString() }, consecutiveFailures: slot.status.consecutiveFailures + 1 };
    this.metrics.pollFailures.inc({ tenant: tenantId, code });
    this.logger.error({ err: error, tenantId, code, consecutiveFailures: slot.status.consecutiveFailures }, 'poll failed');
  }
}
