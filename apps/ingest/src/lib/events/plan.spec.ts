import { describe, expect, it } from 'vitest';
import type { DirectoryInsightsEvent } from '@provisioning/schemas';
import type { ClassifiedEvent } from './classify.ts';
import { planStateEvents } from './plan.ts';

const event = (id: string, type = 'user_update'): DirectoryInsightsEvent => ({ id, event_type: type, service: 'directory', timestamp: '2026-11-23T08:00:00Z' });
const user = (id: string, userId: string): ClassifiedEvent => ({ kind: 'user', event: event(id), userId, username: `name-${userId}` });
const association = (id: string, userId?: string): ClassifiedEvent => ({ kind: 'association', event: event(id, 'association_change'), ...(userId ? { userId } : {}) });

describe('ingest > plan state events', () => {
  it('gives a user event one state event under its own id', () => {
    const plans = planStateEvents([user('e1', 'u1'), { kind: 'dropped', event: event('e2'), reason: 'ignored-type' }], new Set(), new Set(), '');
    expect(plans.map((p) => [p.eventId, p.userId, p.usernameHint])).toEqual([['e1', 'u1', 'name-u1']]);
  });

  it('fans a group binding out to every user who entered or left, under <eventId>:<userId>', () => {
    const plans = planStateEvents([association('e1')], new Set(['u1', 'u2', 'u3']), new Set(['u3', 'u9']), '');
    expect(plans.map((p) => p.eventId)).toEqual(['e1:u1', 'e1:u2', 'e1:u9']);
  });

  it('keeps the edge user under the plain id and does not repeat it in the fan-out', () => {
    const plans = planStateEvents([association('e1', 'u1')], new Set(['u1', 'u2']), new Set(), 'import:');
    expect(plans.map((p) => p.eventId)).toEqual(['import:e1', 'import:e1:u2']);
  });

  it('lets only the first association of a batch carry the difference', () => {
    const plans = planStateEvents([association('e1'), user('e2', 'u5'), association('e3')], new Set(['u1']), new Set(), '');
    expect(plans.map((p) => p.eventId)).toEqual(['e1:u1', 'e2']);
  });

  it('does not fan out for user events, whose bound flag comes with the state', () => {
    expect(planStateEvents([user('e1', 'u1')], new Set(['u1', 'u2']), new Set(), '').map((p) => p.eventId)).toEqual(['e1']);
  });
});

describe('ingest > the change a fan-out belongs to', () => {
  it('marks every event of an association that takes several users out, with the users bound before it', () => {
    const plans = planStateEvents([association('e1')], new Set(['u1', 'u4']), new Set(['u1', 'u2', 'u3']), 'import:');
    expect(plans.map((p) => [p.eventId, p.change])).toEqual([
      ['import:e1:u2', { id: 'import:e1', deprovisions: 2, boundUsers: 3 }],
      ['import:e1:u3', { id: 'import:e1', deprovisions: 2, boundUsers: 3 }],
      ['import:e1:u4', { id: 'import:e1', deprovisions: 2, boundUsers: 3 }],
    ]);
  });

  it('counts the edge user when it leaves too, and marks nothing when one user leaves or users only join', () => {
    const withEdge = planStateEvents([association('e1', 'u1')], new Set(['u3']), new Set(['u1', 'u2', 'u3']), '');
    expect(withEdge.map((p) => [p.eventId, p.change?.deprovisions])).toEqual([['e1', 2], ['e1:u2', 2]]);
    expect(planStateEvents([association('e1')], new Set(['u1']), new Set(['u1', 'u2']), '').every((p) => p.change === undefined)).toBe(true);
    expect(planStateEvents([association('e1')], new Set(['u1', 'u2', 'u3']), new Set(), '').every((p) => p.change === undefined)).toBe(true);
    expect(planStateEvents([user('e1', 'u1'), user('e2', 'u2')], new Set(), new Set(['u1', 'u2']), '').every((p) => p.change === undefined)).toBe(true);
  });
});
