import { expect } from 'vitest';
import { expectedState, loadExpectations, type FixtureExpectations } from './fixture-expectations.ts';
import { lastEventPerUser, type ReadMessage } from './topic-reader.ts';

/** Every message keyed `<tenantId>:<userId>`, its id in the header, and no event id twice. */
export function expectWellFormed(messages: readonly ReadMessage[], tenantId: string): void {
  for (const m of messages) {
    expect(m.key).toBe(`${tenantId}:${m.event.userId}`);
    expect(m.eventIdHeader).toBe(m.event.eventId);
  }
  const ids = messages.map((m) => m.event.eventId);
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  expect(repeated, 'event ids published twice').toEqual([]);
}

/**
 * The end state of the week: every user still in JumpCloud has last been published with its final state and binding
 * (users nobody bound or touched may have no event at all), and every user deleted during the week ends deleted.
 */
export function expectFinalStates(messages: readonly ReadMessage[], expectations: FixtureExpectations): void {
  const last = lastEventPerUser(messages);
  for (const [userId, user] of expectations.finalUsers) {
    const event = last.get(userId);
    const bound = expectations.finallyBound.has(userId);
    if (!event) {
      expect(bound || expectations.initiallyBound.has(userId), `user ${userId} (${user.username}) has no event`).toBe(false);
      continue;
    }
    expect({ userId, deleted: event.deleted, bound: event.bound, user: event.user }).toEqual({ userId, deleted: false, bound, user: expectedState(user) });
  }
  for (const userId of expectations.deletedDuringWeek) {
    const event = last.get(userId);
    if (!event) continue;
    expect({ userId, deleted: event.deleted, bound: event.bound }).toEqual({ userId, deleted: true, bound: false });
  }
  for (const userId of expectations.finallyBound) expect(last.has(userId), `bound user ${userId} never published`).toBe(true);
}

/** No gap: every fixture event that names an affected user was published under its own id (with the source prefix). */
export function expectNoGap(messages: readonly ReadMessage[], expectations: FixtureExpectations, prefix = ''): void {
  const published = new Map(messages.map((m) => [m.event.eventId, m.event.userId]));
  const missing = [...expectations.userEventIds].filter(([id, userId]) => published.get(`${prefix}${id}`) !== userId);
  expect(missing, 'Directory Insights events without their state event').toEqual([]);
}

/** The whole fixture week is in `messages`: well formed, no gap (ids with `prefix`), and the final states. */
export async function expectWeekPublished(messages: readonly ReadMessage[], tenantId: string, prefix = ''): Promise<FixtureExpectations> {
  const expectations = await loadExpectations(tenantId);
  expectWellFormed(messages.filter((m) => m.event.eventId.startsWith(prefix)), tenantId);
  expectNoGap(messages, expectations, prefix);
  expectFinalStates(messages, expectations);
  return expectations;
}
