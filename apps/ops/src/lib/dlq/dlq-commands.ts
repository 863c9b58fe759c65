import { readFile } from 'node:fs/promises';
import type { Admin, Kafka } from 'kafkajs';
import { parseMessageKey } from '@provisioning/schemas';
import { OpsError } from '../cli/ops-error.ts';
import { readWholeTopic } from '../kafka/read-topic.ts';
import { toDlqEntry, type DlqEntry } from './dlq-entry.ts';
import { redriveMessage } from './redrive-message.ts';

export interface DlqSelection {
  /** `partition:offset` ids; empty with `all` set means every entry. */
  entryIds: readonly string[];
  all: boolean;
  tenantId?: string | undefined;
}

/** Every DLQ entry (optionally of one tenant), oldest first per partition. */
export async function listDlq(kafka: Kafka, admin: Admin, dlqTopic: string, tenantId?: string, onRead?: (n: number) => void): Promise<DlqEntry[]> {
  const entries = (await readWholeTopic(kafka, admin, dlqTopic, onRead)).map(toDlqEntry);
  return tenantId ? entries.filter((entry) => entry.key !== undefined && parseMessageKey(entry.key)?.tenantId === tenantId) : entries;
}

function select(entries: readonly DlqEntry[], selection: DlqSelection): DlqEntry[] {
  if (selection.all) return [...entries];
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const missing = selection.entryIds.filter((id) => !byId.has(id));
  if (missing.length > 0) throw new OpsError(`no DLQ entry ${missing.join(', ')}${selection.tenantId ? ` for tenant ${selection.tenantId}` : ''}; see \`dlq list\``, 'NOT_FOUND');
  return selection.entryIds.map((id) => byId.get(id)!);
}

export interface RedriveOutcome {
  redriven: { id: string; eventId: string; key: string }[];
  refused: { id: string; reason: string }[];
}

/**
 * Puts DLQ entries back on the state topic. An entry whose value is not a valid event is refused (and listed)
 * unless a corrected value is given; the others are published in one idempotent batch.
 */
export async function redriveDlq(
  kafka: Kafka,
  admin: Admin,
  topics: { userChanges: string; dlq: string },
  selection: DlqSelection,
  valueFile?: string,
  onProgress?: (done: number, total: number) => void,
): Promise<RedriveOutcome> {
  const chosen = select(await listDlq(kafka, admin, topics.dlq, selection.tenantId), selection);
  if (valueFile && chosen.length !== 1) throw new OpsError('--value-file corrects exactly one entry: name it with --entry', 'USAGE');
  const corrected = valueFile ? await readFile(valueFile, 'utf8') : undefined;
  const outcome: RedriveOutcome = { redriven: [], refused: [] };
  const messages = chosen.flatMap((entry) => {
    let message = redriveMessage(entry, topics.dlq, corrected);
    // The selection went by the DLQ key; an event that belongs to another tenant is not redriven under this one.
    if (message.ok && selection.tenantId && message.event.tenantId !== selection.tenantId) {
      message = { ok: false, reason: `the event belongs to tenant ${message.event.tenantId}, not ${selection.tenantId}` };
    }
    if (!message.ok) outcome.refused.push({ id: entry.id, reason: message.reason });
    else outcome.redriven.push({ id: entry.id, eventId: message.event.eventId, key: message.key });
    return message.ok ? [{ key: message.key, value: JSON.stringify(message.event), headers: message.headers }] : [];
  });
  if (messages.length > 0) {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (let i = 0; i < messages.length; i += 500) {
        await producer.send({ topic: topics.userChanges, messages: messages.slice(i, i + 500) });
        onProgress?.(Math.min(i + 500, messages.length), messages.length);
      }
    } finally {
      await producer.disconnect();
    }
  }
  return outcome;
}
