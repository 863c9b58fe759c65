import { messageKey, parseMessageKey, parseUserChangeEvent, type UserChangeEventV1 } from '@provisioning/schemas';
import type { WorkItem } from '../engine/work-item.ts';

/** Stable codes for input the processor cannot use; DLQ headers and results carry them. */
export const INPUT_ERROR_CODES = {
  empty: 'EVENT_EMPTY',
  notJson: 'EVENT_NOT_JSON',
  invalid: 'EVENT_INVALID',
  unsupportedVersion: 'EVENT_UNSUPPORTED_VERSION',
  keyMismatch: 'EVENT_KEY_MISMATCH',
  unknownTenant: 'TENANT_UNKNOWN',
} as const;

/** What is known about a message that could not be read as an event, to still answer it with a result. */
export interface RejectedHint {
  tenantId?: string;
  userId?: string;
  eventId?: string;
  userName?: string;
  observedAt?: string;
}

export type DecodedEvent =
  | { ok: true; event: UserChangeEventV1 }
  | { ok: false; code: string; message: string; hint: RejectedHint };

const MAX_REASON = 500;

function field(value: unknown, ...path: string[]): string | undefined {
  let current = value;
  for (const name of path) current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[name] : undefined;
  return typeof current === 'string' && current !== '' ? current : undefined;
}

/** Whatever of tenant, user, event id and username can be read from the key and the raw value. */
function hintOf(item: WorkItem, raw: unknown): RejectedHint {
  const key = item.message.key ? parseMessageKey(item.message.key.toString()) : undefined;
  return {
    tenantId: key?.tenantId,
    userId: key?.userId,
    eventId: field(raw, 'eventId'),
    userName: field(raw, 'user', 'username'),
    observedAt: field(raw, 'observedAt'),
  };
}

/** Reads a consumed message as a UserChangeEvent: JSON, the versioned schema, and a key that matches the value. */
export function decodeEvent(item: WorkItem): DecodedEvent {
  const text = item.message.value?.toString('utf8');
  if (!text) return { ok: false, code: INPUT_ERROR_CODES.empty, message: 'the message has no value', hint: hintOf(item, undefined) };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, code: INPUT_ERROR_CODES.notJson, message: `the value is not JSON: ${(error as Error).message}`, hint: hintOf(item, undefined) };
  }
  const parsed = parseUserChangeEvent(raw);
  if (!parsed.success) {
    const code = parsed.code === 'unsupported-schema-version' ? INPUT_ERROR_CODES.unsupportedVersion : INPUT_ERROR_CODES.invalid;
    return { ok: false, code, message: parsed.issues.join('; ').slice(0, MAX_REASON), hint: hintOf(item, raw) };
  }
  const expectedKey = messageKey(parsed.event.tenantId, parsed.event.userId);
  if (item.message.key?.toString() !== expectedKey) {
    return { ok: false, code: INPUT_ERROR_CODES.keyMismatch, message: `the key is not ${expectedKey}`, hint: hintOf(item, raw) };
  }
  return { ok: true, event: parsed.event };
}
