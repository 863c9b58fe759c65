import { buildSnapshotEvents, type TenantContext } from '../events/state-builder.ts';
import type { EventPublisher } from '../kafka/publisher.ts';

export interface SnapshotOptions {
  /** Names the run in the event ids (`snapshot:<runId>:<userId>`), so re-running one run repeats its ids. */
  runId?: string;
  /** Users read and published together. @defaultValue 100 */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface SnapshotResult {
  runId: string;
  /** Users whose state was published. */
  users: number;
  bound: number;
}

/** A compact UTC time, e.g. `20261203T163501123Z`, the default snapshot run id. */
export function defaultRunId(now = new Date()): string {
  return now.toISOString().replace(/[-:.]/g, '');
}

/** A snapshot that finds several users no longer bound is one change for the mass-deprovision guard. */
function leavingChange(runId: string, boundNow: ReadonlySet<string>, knownBound: ReadonlySet<string>) {
  const leaving = new Set([...knownBound].filter((id) => !boundNow.has(id)));
  return leaving.size > 1 ? { facts: { id: `snapshot:${runId}`, deprovisions: leaving.size, boundUsers: knownBound.size }, leaving } : undefined;
}

/**
 * Publishes the current state of every user bound to the application and of every user previously published as
 * bound (who may have left or been deleted since): a first full sync, and the reconcile path.
 */
export async function runSnapshot(ctx: TenantContext, publisher: EventPublisher, options: SnapshotOptions = {}): Promise<SnapshotResult> {
  const runId = options.runId ?? defaultRunId();
  const [boundNow, knownBound] = await Promise.all([ctx.client.listBoundUserIds(ctx.applicationId), ctx.store.knownBound()]);
  const userIds = [...new Set([...boundNow, ...knownBound])].sort();
  const change = leavingChange(runId, boundNow, knownBound);
  const batchSize = options.batchSize ?? 100;
  options.onProgress?.(0, userIds.length);
  for (let start = 0; start < userIds.length; start += batchSize) {
    const built = await buildSnapshotEvents(ctx, userIds.slice(start, start + batchSize), boundNow, runId, change);
    await publisher.send(publisher.toMessages(built.events, built.changes), ctx.tenantId, 'snapshot');
    await ctx.store.commit({ update: built.update });
    options.onProgress?.(Math.min(userIds.length, start + batchSize), userIds.length);
  }
  ctx.logger.info({ runId, users: userIds.length, bound: boundNow.size }, 'snapshot published');
  return { runId, users: userIds.length, bound: boundNow.size };
}
