import { describeIssues, messageKey, userChangeEventV1Schema, type UserChangeEventV1 } from '@provisioning/schemas';
import type { DlqEntry } from './dlq-entry.ts';

export type RedriveMessage =
  | { ok: true; event: UserChangeEventV1; key: string; headers: Record<string, string> }
  | { ok: false; reason: string };

/** Header naming the DLQ message a redriven event came from, for tracing it back. */
export const REDRIVE_OF_HEADER = 'redrive-of';

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Turns a DLQ entry (or a corrected value for it) back into a state event. It gets `source: redrive` and an
 * event id of its own, derived from the DLQ position: the processor recorded the failed id as handled, and the
 * same entry redriven twice must still count once.
 */
export function redriveMessage(entry: DlqEntry, dlqTopic: string, correctedValue?: string): RedriveMessage {
  const value = parseJson(correctedValue ?? entry.value);
  const advice = correctedValue === undefined ? '; pass --value-file with a corrected event' : ' (in the --value-file)';
  if (typeof value !== 'object' || value === null) return { ok: false, reason: `the value is not a JSON object${advice}` };
  const original = value as Record<string, unknown>;
  const baseId = typeof original['eventId'] === 'string' ? original['eventId'] : 'unknown';
  const candidate = { ...original, source: 'redrive', eventId: `${baseId}:redrive:${entry.id}` };
  const parsed = userChangeEventV1Schema.safeParse(candidate);
  if (!parsed.success) {
    return { ok: false, reason: `not a valid state event: ${describeIssues(parsed.error.issues).join('; ')}${advice}` };
  }
  const event = parsed.data;
  return {
    ok: true,
    event,
    key: messageKey(event.tenantId, event.userId),
    headers: { ...entry.headers, [REDRIVE_OF_HEADER]: `${dlqTopic}/${entry.partition}/${entry.offset}` },
  };
}
