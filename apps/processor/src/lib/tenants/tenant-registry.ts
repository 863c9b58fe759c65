import type { Dispatcher } from 'undici';
import { Agent } from 'undici';
import type { Logger } from 'pino';
import { ScimClient, type VerifyResult } from '@provisioning/scim-client';
import type { DeepReadonly } from '@provisioning/config';
import type { GroupGate } from '../engine/work-item.ts';
import type { TenantConfig } from '../config/tenants-config.ts';
import type { ProcessorMetrics } from '../ops/metrics.ts';
import type { RedisKeys } from '../state/redis-keys.ts';
import type { RedisScripts } from '../state/redis-scripts.ts';
import { TenantTokenBucket } from '../state/token-bucket.ts';

/** Why a tenant is parked: its token is refused, or its Terranova keeps failing. */
export type ParkReason = 'auth' | 'unavailable';

/** Why a tenant's events wait: parked, or disabled (in the tenants file, or by `ops tenant disable`). */
export type HoldReason = ParkReason | 'disabled';

/** A tenant as the pipeline uses it: settings, SCIM client, shared rate limiter. */
export interface TenantRuntime {
  readonly config: DeepReadonly<TenantConfig>;
  readonly client: ScimClient;
  readonly bucket: TenantTokenBucket;
}

interface TenantSlot {
  config: DeepReadonly<TenantConfig>;
  client: ScimClient;
  agent: Agent;
  bucket: TenantTokenBucket;
  parked: { reason: ParkReason; since: number; timer: NodeJS.Timeout } | undefined;
  /** Disabled by an operator (`ops tenant disable`), since when. */
  operatorDisabled: number | undefined;
  /** When the tenant last became disabled (by either switch). */
  disabledSince: number | undefined;
  failures: number;
}

const isDisabled = (slot: TenantSlot) => !slot.config.enabled || slot.operatorDisabled !== undefined;
const isSlotOpen = (slot: TenantSlot) => slot.parked === undefined && !isDisabled(slot);

export interface TenantRegistryOptions {
  scripts: RedisScripts;
  keys: RedisKeys;
  metrics: ProcessorMetrics;
  logger: Logger;
  probeIntervalMs: number;
  /** Events in a row that exhausted their retries before a tenant is parked as unavailable. */
  unavailableAfterFailures: number;
}

const clientShape = (config: DeepReadonly<TenantConfig>) =>
  JSON.stringify([config.terranova.baseUrl, config.terranova.timeoutMs, config.terranova.maxConnections]);

/**
 * The tenants the processor knows, and which of them are parked. It is the engine's gate: a parked tenant's
 * events stay in memory (or deferred) without taking slots, while a probe tries its token every
 * `probeIntervalMs`; a token that works again (a rotated file, a fixed outage) opens the gate.
 */
export class TenantRegistry implements GroupGate {
  private readonly options: TenantRegistryOptions;
  private readonly slots = new Map<string, TenantSlot>();
  private readonly listeners = new Set<(group: string, open: boolean) => void>();

  constructor(options: TenantRegistryOptions) {
    this.options = options;
  }

  get(tenantId: string): TenantRuntime | undefined {
    return this.slots.get(tenantId);
  }

  /** The ids of the tenants configured now. */
  tenantIds(): string[] {
    return [...this.slots.keys()];
  }

  /** Whether the tenant's events may run: known, not parked, not disabled. An unknown tenant is open (its events are rejected). */
  isOpen(tenantId: string): boolean {
    const slot = this.slots.get(tenantId);
    return slot === undefined || isSlotOpen(slot);
  }

  /** Whether the tenant is disabled, in the tenants file or by an operator. */
  isDisabled(tenantId: string): boolean {
    const slot = this.slots.get(tenantId);
    return slot !== undefined && isDisabled(slot);
  }

  /** The tenants whose events wait, and why. */
  parkedTenants(): { tenantId: string; reason: HoldReason; since: number }[] {
    return [...this.slots].flatMap(([tenantId, slot]) => [
      ...(slot.parked ? [{ tenantId, reason: slot.parked.reason as HoldReason, since: slot.parked.since }] : []),
      ...(isDisabled(slot) ? [{ tenantId, reason: 'disabled' as const, since: slot.disabledSince ?? Date.now() }] : []),
    ]);
  }

  /** Applies the operator's `ops tenant disable|enable` switches (read from Redis): the tenants named are disabled. */
  setOperatorDisabled(disabled: ReadonlyMap<string, { reason?: string | undefined }>): void {
    for (const [tenantId, slot] of this.slots) {
      const wanted = disabled.has(tenantId);
      if (wanted === (slot.operatorDisabled !== undefined)) continue;
      this.changeGate(tenantId, slot, () => (slot.operatorDisabled = wanted ? Date.now() : undefined), disabled.get(tenantId)?.reason);
    }
  }

  onChange(listener: (group: string, open: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies a (re)loaded tenant list: new tenants appear, removed ones go, changed ones take effect now. */
  update(tenants: DeepReadonly<TenantConfig[]>): void {
    const wanted = new Set(tenants.map((tenant) => tenant.id));
    for (const id of [...this.slots.keys()]) if (!wanted.has(id)) this.remove(id);
    for (const config of tenants) this.upsert(config);
  }

  /** Parks a tenant (idempotent): its events wait, and its token is probed until it works. */
  park(tenantId: string, reason: ParkReason, detail: string): void {
    const slot = this.slots.get(tenantId);
    if (!slot || slot.parked) return;
    const timer = setInterval(() => void this.probe(tenantId), this.options.probeIntervalMs);
    this.options.metrics.parked.set({ tenant: tenantId, reason }, 1);
    this.options.logger.warn({ tenantId, reason, detail }, 'tenant parked: its events wait until Terranova accepts requests again');
    this.changeGate(tenantId, slot, () => (slot.parked = { reason, since: Date.now(), timer }));
  }

  /** An event of this tenant succeeded: its run of failures is over. */
  recordSuccess(tenantId: string): void {
    const slot = this.slots.get(tenantId);
    if (slot) slot.failures = 0;
  }

  /** An event of this tenant exhausted its retries; enough of them in a row park the tenant as unavailable. */
  recordFailure(tenantId: string, detail: string): void {
    const slot = this.slots.get(tenantId);
    if (!slot) return;
    slot.failures += 1;
    if (slot.failures >= this.options.unavailableAfterFailures) this.park(tenantId, 'unavailable', detail);
  }

  /** Tries a parked tenant's token now; unparks it when Terranova answers. */
  async probe(tenantId: string): Promise<VerifyResult | undefined> {
    const slot = this.slots.get(tenantId);
    if (!slot?.parked) return undefined;
    const result = await slot.client.verify();
    if (result.ok && this.slots.get(tenantId) === slot) this.unpark(tenantId, slot);
    else this.options.logger.info({ tenantId, problem: result.ok ? undefined : result.problem }, 'parked tenant still failing');
    return result;
  }

  async close(): Promise<void> {
    for (const id of [...this.slots.keys()]) this.remove(id);
  }

  private upsert(config: DeepReadonly<TenantConfig>): void {
    const slot = this.slots.get(config.id);
    if (!slot) {
      const created = this.createSlot(config);
      this.slots.set(config.id, created);
      if (isDisabled(created)) this.disabledChanged(config.id, created, true);
      return;
    }
    const tokenChanged = slot.config.terranova.token !== config.terranova.token;
    const clientChanged = clientShape(slot.config) !== clientShape(config);
    this.changeGate(config.id, slot, () => (slot.config = config));
    slot.bucket.setLimit(config.rateLimit);
    if (clientChanged) this.replaceClient(slot);
    if ((tokenChanged || clientChanged) && slot.parked) void this.probe(config.id);
  }

  private createSlot(config: DeepReadonly<TenantConfig>): TenantSlot {
    const { scripts, keys, logger } = this.options;
    const bucket = new TenantTokenBucket(scripts, keys, config.id, config.rateLimit, logger.child({ tenantId: config.id }));
    const { client, agent } = this.newClient(config, () => slot.config, bucket);
    const slot: TenantSlot = { config, bucket, client, agent, failures: 0, parked: undefined, operatorDisabled: undefined, disabledSince: undefined };
    return slot;
  }

  /** A SCIM client on a connection pool of its own; `currentConfig` is read per request for the token. */
  private newClient(config: DeepReadonly<TenantConfig>, currentConfig: () => DeepReadonly<TenantConfig>, bucket: TenantTokenBucket): { client: ScimClient; agent: Agent } {
    const tenantId = config.id;
    const agent = new Agent({ connections: config.terranova.maxConnections, keepAliveTimeout: 30_000 });
    const client = new ScimClient({
      baseUrl: config.terranova.baseUrl,
      // Read before every request, so a rotated token is used at once.
      token: () => currentConfig().terranova.token,
      timeoutMs: config.terranova.timeoutMs,
      dispatcher: agent as Dispatcher,
      logger: this.options.logger.child({ tenantId }),
      onRateLimited: (retryAfterMs) => {
        this.options.metrics.rateLimited.inc({ tenant: tenantId });
        void bucket.slowDown(retryAfterMs).catch((err: unknown) => this.options.logger.warn({ err, tenantId }, 'could not slow the rate bucket'));
      },
    });
    return { client, agent };
  }

  private replaceClient(slot: TenantSlot): void {
    const old = slot.agent;
    Object.assign(slot, this.newClient(slot.config, () => slot.config, slot.bucket));
    // Requests in flight on the old pool finish; it closes once they have.
    void old.close().catch(() => undefined);
  }

  private unpark(tenantId: string, slot: TenantSlot): void {
    const parked = slot.parked;
    if (!parked) return;
    clearInterval(parked.timer);
    this.options.metrics.parked.remove({ tenant: tenantId, reason: parked.reason });
    this.options.logger.info({ tenantId, parkedForMs: Date.now() - parked.since }, 'tenant unparked');
    slot.failures = 0;
    this.changeGate(tenantId, slot, () => (slot.parked = undefined));
  }

  /**
   * Runs a change of a slot's park or disable state, and tells the engine when the gate opened or closed. A
   * disabled tenant's events wait in the engine exactly as a parked tenant's do, and flow once it is enabled.
   */
  private changeGate(tenantId: string, slot: TenantSlot, change: () => unknown, reason?: string): void {
    const [wasOpen, wasDisabled] = [isSlotOpen(slot), isDisabled(slot)];
    change();
    if (wasDisabled !== isDisabled(slot)) this.disabledChanged(tenantId, slot, !wasDisabled, reason);
    if (wasOpen !== isSlotOpen(slot)) this.notify(tenantId, !wasOpen);
  }

  private disabledChanged(tenantId: string, slot: TenantSlot, disabled: boolean, reason?: string): void {
    const by = slot.operatorDisabled !== undefined ? 'operator' : 'tenants file';
    if (disabled) {
      slot.disabledSince = Date.now();
      this.options.metrics.parked.set({ tenant: tenantId, reason: 'disabled' }, 1);
      this.options.logger.warn({ tenantId, by, reason }, 'tenant disabled: no SCIM call is made for it and its events wait');
    } else {
      this.options.logger.info({ tenantId, disabledForMs: Date.now() - (slot.disabledSince ?? Date.now()) }, 'tenant enabled: its events flow again');
      slot.disabledSince = undefined;
      this.options.metrics.parked.remove({ tenant: tenantId, reason: 'disabled' });
    }
  }

  private remove(tenantId: string): void {
    const slot = this.slots.get(tenantId);
    if (!slot) return;
    const wasOpen = isSlotOpen(slot);
    if (slot.parked) {
      clearInterval(slot.parked.timer);
      this.options.metrics.parked.remove({ tenant: tenantId, reason: slot.parked.reason });
    }
    this.options.metrics.parked.remove({ tenant: tenantId, reason: 'disabled' });
    this.slots.delete(tenantId);
    void slot.agent.close().catch(() => undefined);
    // Its events now meet an unknown tenant and are dead-lettered, so they must not stay held back.
    if (!wasOpen) this.notify(tenantId, true);
  }

  private notify(tenantId: string, open: boolean): void {
    for (const listener of this.listeners) listener(tenantId, open);
  }
}
