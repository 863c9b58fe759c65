import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { errorCode, isRetriable, toError } from '@provisioning/errors';
import { HELD_MASS_DEPROVISION, type ProcessorControls } from '@provisioning/processor-controls';
import { asksToCheckTerranova, readChangeHeaders, type ChangeFacts, type UserChangeEventV1 } from '@provisioning/schemas';
import { createCallStats, isScimErrorCode, SCIM_ERROR_CODES, type ScimCallStats } from '@provisioning/scim-client';
import type { WorkContext, WorkHandler, WorkItem, WorkVerdict } from '../engine/work-item.ts';
import type { ProcessorMetrics } from '../ops/metrics.ts';
import type { OutputPublisher, OutputRecord } from '../output/output-publisher.ts';
import type { EventLedger, EventRef } from '../state/event-ledger.ts';
import type { TenantRegistry, TenantRuntime } from '../tenants/tenant-registry.ts';
import { decodeEvent, INPUT_ERROR_CODES, type RejectedHint } from './decode-event.ts';
import type { DeprovisionGuard } from './deprovision-guard.ts';
import { heldDeprovision } from './held-deprovision.ts';
import { deadLetterRecord, resultRecord, type OutputTopics, type ResultFacts } from './output-records.ts';
import { Provisioner, userNameOf, type Provisioned } from './provisioner.ts';
import { ScimCalls } from './scim-calls.ts';

export interface EventHandlerDeps {
  tenants: TenantRegistry;
  ledger: EventLedger;
  publisher: OutputPublisher;
  topics: OutputTopics;
  metrics: ProcessorMetrics;
  logger: Logger;
  /** This process's id; with partition and offset it names the owner of a claim. */
  instanceId: string;
  /** Forced replays asked for by an operator; none when absent. */
  replays?: { isForced(tenantId: string, topic: string, partition: number, offset: number): boolean };
  /** The mass-deprovision guard and where held deprovisions are recorded; no guard when absent. */
  guard?: DeprovisionGuard;
  controls?: ProcessorControls;
}

/** Everything one run of one event needs. */
interface Run {
  item: WorkItem;
  event: UserChangeEventV1;
  tenant: TenantRuntime;
  ref: EventRef;
  owner: string;
  startedAt: number;
  stats: ScimCallStats;
  calls: ScimCalls;
  /** The JumpCloud change the event belongs to, from its headers (events of one-user changes have none). */
  change: ChangeFacts | undefined;
  context: WorkContext;
  /** Inside a forced replay: run even when done, and ask Terranova what it holds. */
  forced: boolean;
  /** Sent by an operator (reconcile, provision) with `check-terranova`: ask Terranova what it holds. */
  checkTerranova: boolean;
}

const MAX_MESSAGE = 500;

/**
 * The per-event pipeline: validate, claim (idempotency + stale guard + user state, one round trip), decide
 * and call Terranova, publish the result, then mark the event done. Its verdict tells the engine whether
 * the offset may be committed (`done`) or the tenant is parked and the event must wait (`blocked`); a thrown
 * error means "retry later" (transient failures are never dead-lettered).
 */
export function createEventHandler(deps: EventHandlerDeps): WorkHandler {
  return async (item, context) => {
    const startedAt = Date.now();
    const decoded = decodeEvent(item);
    const when = { startedAt, signal: context.signal };
    if (!decoded.ok) return reject(deps, item, decoded, when);
    const { event } = decoded;
    const tenant = deps.tenants.get(event.tenantId);
    if (!tenant) return reject(deps, item, { code: INPUT_ERROR_CODES.unknownTenant, message: `no tenant ${event.tenantId} is configured`, hint: hintOf(event) }, when);
    // Parked or disabled: the event waits in the engine, and runs once the tenant's gate opens again.
    if (!deps.tenants.isOpen(event.tenantId)) return 'blocked';
    const ref = { tenantId: event.tenantId, userId: event.userId, eventId: event.eventId, observedAt: event.observedAt };
    const forced = deps.replays?.isForced(event.tenantId, item.topic, item.partition, item.offset) ?? false;
    const stats = createCallStats();
    const calls = new ScimCalls(tenant, { stats }, deps.metrics);
    const change = readChangeHeaders(item.message.headers);
    const checkTerranova = asksToCheckTerranova(item.message.headers);
    const run: Run = { item, event, tenant, ref, owner: `${deps.instanceId}/${item.partition}/${item.offset}`, startedAt, stats, calls, change, context, forced, checkTerranova };
    return handleClaimed(deps, run);
  };
}

async function handleClaimed(deps: EventHandlerDeps, run: Run): Promise<WorkVerdict> {
  const claim = await claimWhenFree(deps.ledger, run);
  if (claim.status === 'duplicate' || claim.status === 'stale') {
    const reason = claim.status;
    await publish(deps, run, [resultRecord(run.item, facts(run, { action: 'none', outcome: 'skipped', reason }), deps.topics)]);
    deps.metrics.skipped.inc({ reason });
    return 'done';
  }
  const lease = keepLeased(deps, run);
  try {
    const options = { forced: run.forced || run.checkTerranova, guard: guardOf(deps, run) };
    const provisioned = await new Provisioner(run.event, run.calls, options).run(claim.state);
    deps.tenants.recordSuccess(run.ref.tenantId);
    if (provisioned.reason === HELD_MASS_DEPROVISION) await hold(deps, run, provisioned);
    await publish(deps, run, [resultRecord(run.item, facts(run, provisioned), deps.topics)]);
    await deps.ledger.finish(run.ref, provisioned.state);
    countOutcome(deps.metrics, provisioned);
    return 'done';
  } catch (error) {
    return failed(deps, run, error);
  } finally {
    clearInterval(lease);
  }
}

/** The guard's question for this event's deprovision, when the processor has a guard. */
function guardOf(deps: EventHandlerDeps, run: Run): (() => ReturnType<DeprovisionGuard['verdict']>) | undefined {
  const { guard } = deps;
  if (!guard) return undefined;
  return () => guard.verdict(run.ref.tenantId, run.tenant.config.massDeprovisionGuard, run.change);
}

/** Records a deprovision the guard held, so an operator can see it and approve or reject its change. */
async function hold(deps: EventHandlerDeps, run: Run, provisioned: Provisioned): Promise<void> {
  const change = run.change as ChangeFacts;
  await deps.controls?.hold(heldDeprovision(run.item, run.ref, provisioned, change));
  deps.metrics.held.inc({ tenant: run.ref.tenantId });
  deps.logger.warn(
    { tenantId: run.ref.tenantId, userId: run.ref.userId, eventId: run.ref.eventId, changeId: change.id, deprovisions: change.deprovisions, boundUsers: change.boundUsers, action: provisioned.action },
    'mass deprovision held: approve or reject the change with ops approve|reject',
  );
}

/** Claims the event; while another worker holds its lease (a rebalance, a crashed worker), waits for it. */
async function claimWhenFree(ledger: EventLedger, run: Run) {
  for (;;) {
    const claim = await ledger.claim(run.ref, run.owner, run.forced);
    if (claim.status !== 'busy') return claim;
    await sleep(Math.min(Math.max(50, claim.leaseLeftMs), 1_000), undefined, { signal: run.context.signal });
  }
}

/** Renews the lease of an event that runs long (a 429 storm), so nobody else takes it over meanwhile. */
function keepLeased(deps: EventHandlerDeps, run: Run): NodeJS.Timeout {
  return setInterval(() => {
    void deps.ledger.renew(run.ref, run.owner).catch((err: unknown) => deps.logger.warn({ err }, 'could not renew an event lease'));
  }, deps.ledger.leaseMs / 2);
}

/** A failed attempt: park the tenant (401/403), retry later (transient), or fail for good and dead-letter. */
async function failed(deps: EventHandlerDeps, run: Run, error: unknown): Promise<WorkVerdict> {
  const { tenantId } = run.ref;
  const message = toError(error).message.slice(0, MAX_MESSAGE);
  if (isScimErrorCode(error, SCIM_ERROR_CODES.auth)) {
    await deps.ledger.release(run.ref, run.owner);
    deps.tenants.park(tenantId, 'auth', message);
    return 'blocked';
  }
  if (isRetriable(error) && !run.context.signal.aborted) {
    deps.tenants.recordFailure(tenantId, message);
    if (!deps.tenants.isOpen(tenantId)) {
      await deps.ledger.release(run.ref, run.owner);
      return 'blocked';
    }
    throw error;
  }
  if (run.context.signal.aborted) throw error;
  const code = errorCode(error);
  const httpStatus = (error as { httpStatus?: number }).httpStatus;
  await publish(deps, run, [
    resultRecord(run.item, facts(run, { action: 'none', outcome: 'failed', reason: code, httpStatus }), deps.topics),
    deadLetterRecord(run.item, { code, message, attempts: run.stats.requests }, deps.topics),
  ]);
  await deps.ledger.finish(run.ref, undefined);
  deps.metrics.failed.inc({ code });
  deps.metrics.deadLettered.inc({ code });
  deps.logger.warn({ tenantId, userId: run.ref.userId, eventId: run.ref.eventId, code, message }, 'event failed and was dead-lettered');
  return 'done';
}

/** Input that can never be applied: dead-lettered, and answered with a result when it names a tenant and user. */
async function reject(
  deps: EventHandlerDeps,
  item: WorkItem,
  failure: { code: string; message: string; hint: RejectedHint },
  { startedAt, signal }: { startedAt: number; signal: AbortSignal },
): Promise<WorkVerdict> {
  const records: OutputRecord[] = [deadLetterRecord(item, { ...failure, attempts: 0 }, deps.topics)];
  const { hint } = failure;
  if (hint.tenantId && hint.userId && !hint.tenantId.includes(':')) {
    records.unshift(
      resultRecord(item, {
        tenantId: hint.tenantId,
        userId: hint.userId,
        eventId: hint.eventId ?? `${item.topic}/${item.partition}/${item.offset}`,
        observedAt: hint.observedAt,
        userName: hint.userName ?? hint.userId,
        action: 'none',
        outcome: 'failed',
        reason: failure.code,
        attempts: 0,
        startedAt,
        finishedAt: Date.now(),
      }, deps.topics),
    );
  }
  if (signal.aborted) throw new Error('stopping: the event will run again');
  await deps.publisher.publish(records);
  deps.metrics.deadLettered.inc({ code: failure.code });
  deps.logger.warn({ topic: item.topic, partition: item.partition, offset: item.offset, code: failure.code, reason: failure.message }, 'event rejected to the DLQ');
  return 'done';
}

async function publish(deps: EventHandlerDeps, run: Run, records: OutputRecord[]): Promise<void> {
  // After the shutdown deadline nothing more is written: the event runs again under the next owner.
  if (run.context.signal.aborted) throw new Error('stopping: the event will run again');
  await deps.publisher.publish(records);
}

type Outcome = Pick<ResultFacts, 'action' | 'outcome'> & Partial<Pick<ResultFacts, 'reason' | 'httpStatus' | 'userName' | 'scimId'>>;

function facts(run: Run, outcome: Outcome): ResultFacts {
  const settings = run.tenant.config.mapping;
  return {
    tenantId: run.ref.tenantId,
    userId: run.ref.userId,
    eventId: run.ref.eventId,
    observedAt: run.event.observedAt,
    userName: outcome.userName ?? userNameOf(run.event, settings as Parameters<typeof userNameOf>[1]),
    scimId: outcome.scimId,
    action: outcome.action,
    outcome: outcome.outcome,
    reason: outcome.reason,
    httpStatus: outcome.httpStatus,
    attempts: run.stats.requests,
    startedAt: run.startedAt,
    finishedAt: Date.now(),
    scimCalls: run.calls.made,
  };
}

function hintOf(event: UserChangeEventV1): RejectedHint {
  return { tenantId: event.tenantId, userId: event.userId, eventId: event.eventId, userName: event.user.username, observedAt: event.observedAt };
}

function countOutcome(metrics: ProcessorMetrics, provisioned: Provisioned): void {
  if (provisioned.outcome === 'applied') metrics.applied.inc({ action: provisioned.action });
  else metrics.skipped.inc({ reason: provisioned.reason ?? 'none' });
}
