import { randomUUID } from 'node:crypto';
import type { Message } from 'kafkajs';
import { messageKey, toChangeHeaders, userChangeEventV1Schema, type ChangeFacts, type UserChangeEventV1 } from '@provisioning/schemas';

let clock = Date.parse('2024-05-01T00:00:00.000Z');

/** A later instant on every call, so events built one after another are ordered by observedAt. */
export function nextInstant(): string {
  clock += 1_000;
  return new Date(clock).toISOString();
}

export interface UserSpec {
  tenantId: string;
  userId: string;
  username?: string;
  email?: string;
  firstname?: string;
  lastname?: string;
  state?: 'ACTIVATED' | 'SUSPENDED' | 'STAGED';
  accountLocked?: boolean;
  preferredLanguage?: string;
  bound?: boolean;
  deleted?: boolean;
  previousUsernames?: string[];
  eventId?: string;
  observedAt?: string;
}

/** A valid UserChangeEvent v1 (checked against the producer-side schema). */
export function userEvent(spec: UserSpec): UserChangeEventV1 {
  const username = spec.username ?? `${spec.userId}@example.com`;
  const state = spec.state ?? 'ACTIVATED';
  const common = {
    schemaVersion: 1 as const,
    eventId: spec.eventId ?? randomUUID(),
    tenantId: spec.tenantId,
    userId: spec.userId,
    source: 'directory-insights' as const,
    occurredAt: spec.observedAt ?? nextInstant(),
    observedAt: spec.observedAt ?? nextInstant(),
    bound: spec.bound ?? true,
    ...(spec.previousUsernames ? { previousUsernames: spec.previousUsernames } : {}),
  };
  const event = spec.deleted
    ? { ...common, deleted: true as const, user: { username } }
    : {
        ...common,
        deleted: false as const,
        user: {
          username,
          email: spec.email ?? username,
          firstname: spec.firstname ?? 'Ann',
          lastname: spec.lastname ?? 'Lee',
          state,
          suspended: state === 'SUSPENDED',
          ...(spec.accountLocked !== undefined ? { accountLocked: spec.accountLocked } : {}),
          ...(spec.preferredLanguage ? { preferredLanguage: spec.preferredLanguage } : {}),
        },
      };
  return userChangeEventV1Schema.parse(event);
}

/** The Kafka message of an event: key `<tenantId>:<userId>`, JSON value. */
export function toMessage(event: UserChangeEventV1): Message {
  return { key: messageKey(event.tenantId, event.userId), value: JSON.stringify(event) };
}

/** The message of an event that belongs to a many-user JumpCloud change, with the ingest's change headers. */
export function changeMessage(event: UserChangeEventV1, change: ChangeFacts): Message {
  return { ...toMessage(event), headers: toChangeHeaders(change) };
}
