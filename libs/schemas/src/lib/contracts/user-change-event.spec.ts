import { describe, expect, it } from 'vitest';
import {
  parseUserChangeEvent,
  userChangeEventV1ReaderSchema,
  userChangeEventV1Schema,
  type UserChangeEventV1,
} from './user-change-event.ts';
import { messageKey, parseMessageKey, TOPICS } from './topics.ts';

const liveEvent: UserChangeEventV1 = {
  schemaVersion: 1,
  eventId: 'ef77e0702f39577d66fdb3d1',
  tenantId: 'acme',
  userId: '873c59eafea12777a80e4062',
  source: 'directory-insights',
  trigger: 'user_update',
  occurredAt: '2026-11-23T08:09:07.683886050Z',
  observedAt: '2026-11-23T08:09:08.001Z',
  bound: true,
  deleted: false,
  user: {
    username: 'jane.johansson',
    email: 'jane.johansson@acme.example.com',
    firstname: 'Jane',
    lastname: "O'Brien",
    state: 'SUSPENDED',
    suspended: true,
    preferredLanguage: 'fr_ca',
  },
};

describe('userChangeEventV1Schema (producer side)', () => {
  it('accepts a whole-state event with a nanosecond occurredAt', () => {
    expect(userChangeEventV1Schema.parse(liveEvent)).toEqual(liveEvent);
  });

  it('rejects unknown fields at the top level and in the user', () => {
    expect(userChangeEventV1Schema.safeParse({ ...liveEvent, extra: 1 }).success).toBe(false);
    const user = { ...liveEvent.user, role: 'admin' };
    expect(userChangeEventV1Schema.safeParse({ ...liveEvent, user }).success).toBe(false);
  });

  it('requires email, state and suspended of a user that exists', () => {
    const { email: _email, ...withoutEmail } = liveEvent.user;
    expect(userChangeEventV1Schema.safeParse({ ...liveEvent, user: withoutEmail }).success).toBe(false);
  });

  it('accepts a deleted user known only by its last username', () => {
    const deleted = { ...liveEvent, deleted: true, source: 'directory-insights', user: { username: 'priya-dubois' } };
    expect(userChangeEventV1Schema.parse(deleted).user).toEqual({ username: 'priya-dubois' });
    expect(userChangeEventV1Schema.safeParse({ ...deleted, user: {} }).success).toBe(false);
  });

  it('rejects timestamps that are not UTC instants and an unknown source', () => {
    expect(userChangeEventV1Schema.safeParse({ ...liveEvent, observedAt: 'yesterday' }).success).toBe(false);
    expect(userChangeEventV1Schema.safeParse({ ...liveEvent, source: 'scim' }).success).toBe(false);
  });
});

describe('parseUserChangeEvent (consumer side)', () => {
  it('drops fields a newer v1 producer added instead of rejecting the event', () => {
    const result = parseUserChangeEvent({ ...liveEvent, addedLater: true, user: { ...liveEvent.user, more: 1 } });
    expect(result).toEqual({ success: true, event: liveEvent });
    expect(userChangeEventV1ReaderSchema.safeParse({ ...liveEvent, addedLater: true }).success).toBe(true);
  });

  it('reports a future schemaVersion as unsupported rather than invalid', () => {
    const result = parseUserChangeEvent({ ...liveEvent, schemaVersion: 2, user: 'a different shape' });
    expect(result).toMatchObject({ success: false, code: 'unsupported-schema-version' });
  });

  it('lists every problem of an invalid event', () => {
    const result = parseUserChangeEvent({ ...liveEvent, tenantId: 'a:b', bound: 'yes' });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.code).toBe('invalid-event');
    expect(result.issues.join('\n')).toMatch(/tenantId/);
    expect(result.issues.join('\n')).toMatch(/bound/);
  });

  it.each([null, 'text', 42, [], {}])('rejects %j as invalid', (value) => {
    expect(parseUserChangeEvent(value)).toMatchObject({ success: false, code: 'invalid-event' });
  });
});

describe('message keys', () => {
  it('joins tenant and user and splits them back', () => {
    expect(messageKey('acme', '873c')).toBe('acme:873c');
    expect(parseMessageKey('acme:873c')).toEqual({ tenantId: 'acme', userId: '873c' });
  });

  it.each(['', 'acme', ':873c', 'acme:'])('does not split %j', (key) => {
    expect(parseMessageKey(key)).toBeUndefined();
  });

  it('names the three versioned topics', () => {
    expect(TOPICS).toEqual({
      userChanges: 'jumpcloud.user-changes.v1',
      results: 'terranova.provisioning-results.v1',
      dlq: 'jumpcloud.user-changes.v1.dlq',
    });
  });
});
