import { userChangeEventV1Schema, userStateFromSystemUser, type SystemUser, type UserChangeEventV1 } from '@provisioning/schemas';

/** Who a state event is about: a user JumpCloud has, or one it no longer has (only its last username known). */
export type StateSubject = { userId: string; user: SystemUser; bound: boolean } | { userId: string; user: undefined; lastUsername: string };

/**
 * The state event the ingest would publish for a user read now, under an id of the operator command's own
 * (`provision:<run>:<user>`, `reconcile:<run>:<user>`): a one-user snapshot, so `source` is `snapshot`.
 */
export function stateEventOf(tenantId: string, subject: StateSubject, eventId: string, trigger: string): UserChangeEventV1 {
  const now = new Date().toISOString();
  const common = { schemaVersion: 1, eventId, tenantId, userId: subject.userId, source: 'snapshot', trigger, occurredAt: now, observedAt: now };
  const event = subject.user
    ? { ...common, bound: subject.bound, deleted: false, user: userStateFromSystemUser(subject.user) }
    : { ...common, bound: false, deleted: true, user: { username: subject.lastUsername } };
  return userChangeEventV1Schema.parse(event);
}
