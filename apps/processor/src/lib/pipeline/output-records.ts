import type { IHeaders } from 'kafkajs';
import { toDlqHeaders, type ProvisioningAction, type ProvisioningOutcome, type ProvisioningResultV1, type ScimCallV1 } from '@provisioning/schemas';
import type { WorkItem } from '../engine/work-item.ts';
import type { OutputRecord } from '../output/output-publisher.ts';

/** The topics the pipeline writes to. */
export interface OutputTopics {
  results: string;
  dlq: string;
}

/** What a result says, besides what the event already names. */
export interface ResultFacts {
  tenantId: string;
  userId: string;
  eventId: string;
  /** When the state was read in JumpCloud; the result's latency is measured from it. */
  observedAt: string | undefined;
  userName: string;
  scimId?: string | undefined;
  action: ProvisioningAction;
  outcome: ProvisioningOutcome;
  reason?: string | undefined;
  httpStatus?: number | undefined;
  attempts: number;
  startedAt: number;
  finishedAt: number;
  /** The SCIM calls made, in order. */
  scimCalls?: readonly ScimCallV1[] | undefined;
}

/** The `ProvisioningResultV1` for an event, keyed like the event. */
export function resultRecord(item: WorkItem, facts: ResultFacts, topics: OutputTopics): OutputRecord {
  const observed = facts.observedAt === undefined ? Number.NaN : Date.parse(facts.observedAt);
  const result: ProvisioningResultV1 = {
    schemaVersion: 1,
    eventId: facts.eventId,
    tenantId: facts.tenantId,
    userId: facts.userId,
    userName: facts.userName,
    action: facts.action,
    outcome: facts.outcome,
    attempts: facts.attempts,
    startedAt: new Date(facts.startedAt).toISOString(),
    finishedAt: new Date(facts.finishedAt).toISOString(),
    latencyMs: Number.isFinite(observed) ? Math.max(0, facts.finishedAt - observed) : 0,
  };
  if (facts.scimId !== undefined) result.scimId = facts.scimId;
  if (facts.reason !== undefined) result.reason = facts.reason;
  if (facts.httpStatus !== undefined) result.httpStatus = facts.httpStatus;
  if (facts.scimCalls && facts.scimCalls.length > 0) result.scimCalls = [...facts.scimCalls];
  return { topic: topics.results, key: item.message.key, value: JSON.stringify(result) };
}

/** The dead letter of an event: its own key, value and headers, plus the DLQ headers naming the failure. */
export function deadLetterRecord(item: WorkItem, failure: { code: string; message: string; attempts: number }, topics: OutputTopics): OutputRecord {
  const headers: IHeaders = {
    ...item.message.headers,
    ...toDlqHeaders({
      errorCode: failure.code,
      errorMessage: failure.message,
      attempts: failure.attempts,
      originalTopic: item.topic,
      originalPartition: item.partition,
      originalOffset: String(item.offset),
      failedAt: new Date().toISOString(),
    }),
  };
  return { topic: topics.dlq, key: item.message.key, value: item.message.value, headers };
}
