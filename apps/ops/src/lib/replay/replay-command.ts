import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { ProcessorControls, type ReplayMarker } from '@provisioning/processor-controls';
import type { Redis } from '@provisioning/redis';
import type { OpsConfig } from '../config/ops-config.ts';
import { OpsError } from '../cli/ops-error.ts';
import { assertGroupIdle } from './group-guard.ts';
import { targetOffsets, type ReplayFrom } from './replay-from.ts';

export interface ReplayRequest {
  /** The tenants to re-provision; empty means all of them (`--all`). */
  tenantIds: readonly string[];
  from: ReplayFrom;
  /** Re-apply the latest state of every user even when the processor's records say it is applied. */
  force: boolean;
}

export interface ReplaySummary {
  replayId: string;
  groupId: string;
  topic: string;
  force: boolean;
  tenants: string[] | 'all';
  partitions: { partition: number; from: string; to: string; events: string }[];
  eventsToReplay: string;
}

/**
 * Moves the processor's consumer group back so it reads the state topic again from `from`. Without `force`,
 * what was applied is recognised (idempotency) and skipped; with `force`, a marker per tenant makes the
 * processor check Terranova itself for every event up to today's end of the topic, re-creating what is gone.
 * Tenants not named are not forced: their re-read events are recognised and skipped, with no SCIM call.
 */
export async function replay(admin: Admin, redis: Redis, config: OpsConfig, request: ReplayRequest, knownTenants: () => Promise<string[]>): Promise<ReplaySummary> {
  const { groupId, topics } = config.kafka;
  await assertGroupIdle(admin, groupId);
  const targets = await targetOffsets(admin, topics.userChanges, request.from);
  const ends = new Map((await admin.fetchTopicOffsets(topics.userChanges)).map((p) => [p.partition, BigInt(p.high)]));
  const replayId = randomUUID();
  const configured = await knownTenants();
  const unknown = request.tenantIds.filter((tenantId) => !configured.includes(tenantId));
  // A mistyped tenant would move the whole group back and rebuild nobody: refuse before anything moves.
  if (unknown.length > 0) throw new OpsError(`no tenant ${unknown.join(', ')} in ${config.tenantsFile}; configured: ${configured.join(', ')}`, 'NOT_FOUND');
  const tenants = request.tenantIds.length > 0 ? request.tenantIds : configured;
  const controls = new ProcessorControls(redis, config.redis.keyPrefix);
  // A new replay supersedes an earlier forced one: without --force, nothing is re-checked against Terranova.
  for (const tenantId of tenants) {
    if (request.force) await controls.setReplay(marker(replayId, tenantId, topics.userChanges, ends));
    else await controls.clearReplay(tenantId);
  }
  await admin.setOffsets({
    groupId,
    topic: topics.userChanges,
    partitions: [...targets].map(([partition, offset]) => ({ partition, offset: offset.toString() })),
  });
  return summary(replayId, groupId, topics.userChanges, request, targets, ends);
}

function marker(replayId: string, tenantId: string, topic: string, ends: Map<number, bigint>): ReplayMarker {
  return {
    replayId,
    tenantId,
    topic,
    requestedAt: new Date().toISOString(),
    until: Object.fromEntries([...ends].map(([partition, end]) => [String(partition), end.toString()])),
  };
}

function summary(replayId: string, groupId: string, topic: string, request: ReplayRequest, targets: Map<number, bigint>, ends: Map<number, bigint>): ReplaySummary {
  const partitions = [...targets].sort(([a], [b]) => a - b).map(([partition, from]) => {
    const to = ends.get(partition) ?? from;
    return { partition, from: from.toString(), to: to.toString(), events: (to - from).toString() };
  });
  return {
    replayId,
    groupId,
    topic,
    force: request.force,
    tenants: request.tenantIds.length > 0 ? [...request.tenantIds] : 'all',
    partitions,
    eventsToReplay: partitions.reduce((sum, p) => sum + BigInt(p.events), 0n).toString(),
  };
}
