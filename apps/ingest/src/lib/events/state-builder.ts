import type { Logger } from 'pino';
import {
  userStateFromSystemUser,
  type ChangeFacts,
  type DirectoryInsightsEvent,
  type JumpCloudUserState,
  type SystemUser,
  type UserChangeEventV1,
  type UserChangeSource,
} from '@provisioning/schemas';
import { JumpCloudError, type JumpCloudClient } from '@provisioning/jumpcloud-client';
import type { IngestMetrics } from '../metrics.ts';
import type { KnownUser, StoreUpdate, TenantStore } from '../store/tenant-store.ts';
import { mapWithConcurrency } from '../util/concurrency.ts';
import { classifyEvent } from './classify.ts';
import { planStateEvents, type PlannedEvent } from './plan.ts';

/** What turning events into state events needs from a tenant. */
export interface TenantContext {
  tenantId: string;
  orgId: string;
  applicationId: string;
  client: JumpCloudClient;
  store: TenantStore;
  logger: Logger;
  metrics: IngestMetrics;
  /** Parallel user reads. */
  concurrency: number;
}

/** State events ready to publish and the tenant memory to update once they are. */
export interface BuiltBatch {
  events: UserChangeEventV1[];
  update: StoreUpdate;
  /** Event id → the many-user change it belongs to (sent as change headers). */
  changes: Map<string, ChangeFacts>;
}

interface UserRead {
  user: SystemUser | undefined;
  observedAt: string;
}

/** The user state as published, or what is still known about a user JumpCloud no longer has. */
function describeUser(userId: string, read: UserRead, known: KnownUser | undefined, hint: string | undefined): { deleted: false; user: JumpCloudUserState } | { deleted: true; user: KnownUser } {
  if (read.user) return { deleted: false, user: userStateFromSystemUser(read.user) };
  return { deleted: true, user: known ?? { username: hint ?? userId } };
}

function previousUsernames(plan: PlannedEvent, current: string, known: KnownUser | undefined): string[] | undefined {
  const names = new Set([...plan.renamedFrom, ...(known ? [known.username] : [])]);
  names.delete(current);
  return names.size > 0 ? [...names] : undefined;
}

function toStateEvent(ctx: TenantContext, plan: PlannedEvent, read: UserRead, bound: boolean, known: KnownUser | undefined, source: UserChangeSource): UserChangeEventV1 {
  const described = describeUser(plan.userId, read, known, plan.usernameHint);
  const previous = described.deleted ? undefined : previousUsernames(plan, described.user.username, known);
  return {
    schemaVersion: 1,
    eventId: plan.eventId,
    tenantId: ctx.tenantId,
    userId: plan.userId,
    source,
    trigger: plan.event.event_type,
    occurredAt: plan.event.timestamp,
    observedAt: read.observedAt,
    ...described,
    bound: !described.deleted && bound,
    ...(previous ? { previousUsernames: previous } : {}),
  } as UserChangeEventV1;
}

/**
 * Reads each user once (in parallel, bounded); `observedAt` is when its answer came. A user record JumpCloud
 * answers but that does not parse (no state, no email) is left out with an error, so one bad record cannot stall
 * the tenant; failures that may pass (429, 5xx, network) fail the batch, which is then retried.
 */
async function readUsers(ctx: TenantContext, userIds: readonly string[]): Promise<Map<string, UserRead>> {
  const reads = await mapWithConcurrency(userIds, ctx.concurrency, async (id) => {
    try {
      const user = await ctx.client.getUser(id);
      return [[id, { user, observedAt: new Date().toISOString() }] as const];
    } catch (error) {
      if (!(error instanceof JumpCloudError) || error.code !== 'JUMPCLOUD_BAD_RESPONSE') throw error;
      ctx.logger.error({ err: error, userId: id }, 'user record unreadable; no state event for it');
      ctx.metrics.eventsDropped.inc({ tenant: ctx.tenantId, reason: 'unreadable-user' });
      return [];
    }
  });
  return new Map(reads.flat());
}

/** The memory update matching the events: the last published bound flag and user per user. */
function storeUpdateFor(events: readonly UserChangeEventV1[]): StoreUpdate {
  const bound = new Map<string, boolean>();
  const users = new Map<string, KnownUser>();
  for (const event of events) {
    bound.set(event.userId, event.bound);
    users.set(event.userId, event.user);
  }
  return { bound: [...bound], users: [...users] };
}

/**
 * Turns Directory Insights events (already deduplicated) into one whole-state event per affected user: noise is
 * dropped and counted, each affected user is read once, the bound set is read once for the batch.
 */
export async function buildStateEvents(ctx: TenantContext, diEvents: readonly DirectoryInsightsEvent[], source: UserChangeSource, eventIdPrefix = ''): Promise<BuiltBatch> {
  const classified = diEvents.map((event) => classifyEvent(event, ctx));
  for (const item of classified) if (item.kind === 'dropped') ctx.metrics.eventsDropped.inc({ tenant: ctx.tenantId, reason: item.reason });
  if (classified.every((item) => item.kind === 'dropped')) return { events: [], update: { bound: [], users: [] }, changes: new Map() };
  const [boundNow, knownBound] = await Promise.all([ctx.client.listBoundUserIds(ctx.applicationId), ctx.store.knownBound()]);
  const plans = planStateEvents(classified, boundNow, knownBound, eventIdPrefix);
  const userIds = [...new Set(plans.map((p) => p.userId))];
  const [reads, known] = await Promise.all([readUsers(ctx, userIds), ctx.store.knownUsers(userIds)]);
  const events = plans.flatMap((plan) => {
    const read = reads.get(plan.userId);
    return read ? [toStateEvent(ctx, plan, read, boundNow.has(plan.userId), known.get(plan.userId), source)] : [];
  });
  const changes = new Map(plans.flatMap((plan) => (plan.change ? [[plan.eventId, plan.change] as const] : [])));
  return { events, update: storeUpdateFor(events), changes };
}

/**
 * Snapshot events: the current state of each user, under `snapshot:<runId>:<userId>`. When the snapshot takes
 * several users out of the application (`change`, the users in `change.leaving`), their events carry it.
 */
export async function buildSnapshotEvents(
  ctx: TenantContext,
  userIds: readonly string[],
  boundNow: ReadonlySet<string>,
  runId: string,
  change?: { facts: ChangeFacts; leaving: ReadonlySet<string> },
): Promise<BuiltBatch> {
  const [reads, known] = await Promise.all([readUsers(ctx, userIds), ctx.store.knownUsers(userIds)]);
  const events = userIds.flatMap((userId) => {
    const read = reads.get(userId);
    if (!read) return [];
    const plan: PlannedEvent = { userId, eventId: `snapshot:${runId}:${userId}`, event: { id: '', event_type: 'snapshot', service: '', timestamp: read.observedAt }, renamedFrom: [] };
    const { trigger: _trigger, ...event } = toStateEvent(ctx, plan, read, boundNow.has(userId), known.get(userId), 'snapshot');
    return [event as UserChangeEventV1];
  });
  const changes = new Map(events.flatMap((event) => (change?.leaving.has(event.userId) ? [[event.eventId, change.facts] as const] : [])));
  return { events, update: storeUpdateFor(events), changes };
}
