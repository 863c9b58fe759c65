import { describe, expect, it } from 'vitest';
import type { DirectoryInsightsEvent } from '@provisioning/schemas';
import { classifyEvent, renamedFrom } from './classify.ts';

const scope = { orgId: 'org1', applicationId: 'app1' };
const base = { id: 'e1', service: 'directory', timestamp: '2026-11-23T08:05:38.154Z', organization: 'org1' };
const edge = (from: [string, string], to: [string, string], op = 'add'): DirectoryInsightsEvent => ({
  ...base,
  event_type: 'association_change',
  association: { op, connection: { from: { type: from[0], object_id: from[1], name: 'n' }, to: { type: to[0], object_id: to[1], name: 'jane' } } },
});

describe('ingest > classify Directory Insights events', () => {
  it.each([
    ['user_update', 'user'],
    ['user_suspended', 'systemuser'],
    ['user_delete', 'user'],
    ['user_lockout', 'user'],
    ['user_password_change', 'systemuser'],
  ])('keeps %s about a %s', (type, resourceType) => {
    const event = { ...base, event_type: type, resource: { id: 'u1', type: resourceType, username: 'jane' } };
    expect(classifyEvent(event, scope)).toMatchObject({ kind: 'user', userId: 'u1', username: 'jane' });
  });

  it.each([
    ['a login', { ...base, event_type: 'user_login_attempt', resource: { id: 'u1', type: 'user' } }, 'ignored-type'],
    ['an admin login', { ...base, event_type: 'admin_login_attempt' }, 'ignored-type'],
    ['a group edit', { ...base, event_type: 'group_update' }, 'ignored-type'],
    ['a device lockout', { ...base, service: 'systems', event_type: 'user_lockout', resource: { id: 'u1', type: 'user' } }, 'other-service'],
    ['a failed change', { ...base, event_type: 'user_update', success: false, resource: { id: 'u1', type: 'user' } }, 'unsuccessful'],
    ['another organization', { ...base, organization: 'org2', event_type: 'user_update', resource: { id: 'u1', type: 'user' } }, 'other-organization'],
    ['a user event without a user', { ...base, event_type: 'user_update', resource: { id: 'g1', type: 'user_group' } }, 'no-user'],
  ])('drops %s', (_label, event, reason) => {
    expect(classifyEvent(event as DirectoryInsightsEvent, scope)).toMatchObject({ kind: 'dropped', reason });
  });

  it('reads association edges in both orientations', () => {
    expect(classifyEvent(edge(['user_group', 'g1'], ['user', 'u1']), scope)).toMatchObject({ kind: 'association', userId: 'u1', username: 'jane' });
    expect(classifyEvent(edge(['user', 'u1'], ['user_group', 'g1'], 'remove'), scope)).toMatchObject({ kind: 'association', userId: 'u1' });
    expect(classifyEvent(edge(['application', 'app1'], ['user', 'u1']), scope)).toMatchObject({ kind: 'association', userId: 'u1' });
    const groupToApp = classifyEvent(edge(['application', 'app1'], ['user_group', 'g1']), scope);
    expect(groupToApp.kind).toBe('association');
    expect('userId' in groupToApp).toBe(false);
  });

  it('drops edges that cannot change who is bound to our application', () => {
    expect(classifyEvent(edge(['system', 's1'], ['user', 'u1']), scope)).toMatchObject({ kind: 'dropped', reason: 'unrelated-association' });
    expect(classifyEvent(edge(['application', 'other-app'], ['user', 'u1']), scope)).toMatchObject({ kind: 'dropped', reason: 'unrelated-association' });
    expect(classifyEvent(edge(['application', 'other-app'], ['user_group', 'g1']), scope)).toMatchObject({ kind: 'dropped', reason: 'unrelated-association' });
  });

  it('finds the earlier username of a rename', () => {
    const rename = { ...base, event_type: 'user_update', changes: [{ field: 'username', from: 'zoe.cote', to: 'zoe.cote8' }, { field: 'email', from: 'a', to: 'b' }] };
    expect(renamedFrom(rename)).toEqual(['zoe.cote']);
    expect(renamedFrom({ ...base, event_type: 'user_update' })).toEqual([]);
  });
});
