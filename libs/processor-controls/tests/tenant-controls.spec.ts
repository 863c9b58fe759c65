import { describe, expect, it } from 'vitest';
import { userStateKey, type HeldDeprovision } from '../src/index.ts';
import { useControlsBed } from './support/controls-bed.ts';

const held = (eventId: string, changeId: string, heldAt: string): HeldDeprovision => ({
  tenantId: 'acme',
  userId: eventId.split(':').at(-1)!,
  eventId,
  changeId,
  action: 'deactivate',
  userName: `${eventId}@acme.test`,
  heldAt,
  change: { deprovisions: 17, boundUsers: 126 },
  message: { key: `acme:${eventId}`, value: '{"schemaVersion":1}', headers: { 'change-id': changeId } },
});

describe('processor-controls > tenants, held deprovisions and decisions', () => {
  const bed = useControlsBed();

  it('disables a tenant with a reason until it is enabled again', async () => {
    const control = await bed.controls.disable('acme', 'Terranova maintenance');
    expect(control).toMatchObject({ tenantId: 'acme', reason: 'Terranova maintenance' });
    expect([...(await bed.controls.disabledTenants(['acme', 'globex'])).keys()]).toEqual(['acme']);
    expect(await bed.controls.enable('acme')).toBe(true);
    expect(await bed.controls.enable('acme')).toBe(false);
    expect((await bed.controls.disabledTenants(['acme'])).size).toBe(0);
  });

  it('treats an unreadable disable control as disabled: the safe side', async () => {
    await bed.redis.set(bed.controls.disabledKey('acme'), 'garbage');
    expect((await bed.controls.disabledTenants(['acme'])).get('acme')).toMatchObject({ reason: 'unreadable control' });
  });

  it('keeps one entry per held event, lists them oldest first (per change on request), and releases them', async () => {
    await bed.controls.hold(held('d1:u2', 'd1', '2026-12-01T10:00:02.000Z'));
    await bed.controls.hold(held('d1:u1', 'd1', '2026-12-01T10:00:01.000Z'));
    await bed.controls.hold(held('d1:u1', 'd1', '2026-12-01T10:00:01.000Z'));
    await bed.controls.hold(held('d2:u3', 'd2', '2026-12-01T10:00:03.000Z'));
    await bed.redis.hset(bed.controls.heldKey('acme'), 'broken', '{');
    expect((await bed.controls.held('acme')).map((h) => h.eventId)).toEqual(['d1:u1', 'd1:u2', 'd2:u3']);
    expect((await bed.controls.held('acme', 'd2')).map((h) => h.eventId)).toEqual(['d2:u3']);
    expect(await bed.controls.heldCounts(['acme', 'globex'])).toEqual(new Map([['acme', 4], ['globex', 0]]));
    expect(await bed.controls.release('acme', ['d1:u1', 'd1:u2', 'gone'])).toBe(2);
    expect((await bed.controls.held('acme')).map((h) => h.eventId)).toEqual(['d2:u3']);
  });

  it('refuses to store a held entry that is not valid', async () => {
    await expect(bed.controls.hold({ ...held('d1:u1', 'd1', 'yesterday') })).rejects.toThrow();
  });

  it('records an operator decision per change, with an expiry', async () => {
    expect(await bed.controls.decision('acme', 'd1')).toBeUndefined();
    await bed.controls.decide('acme', 'd1', 'approved');
    await bed.controls.decide('acme', 'd2', 'rejected');
    expect(await bed.controls.decision('acme', 'd1')).toMatchObject({ decision: 'approved' });
    expect(await bed.controls.decision('acme', 'd2')).toMatchObject({ decision: 'rejected' });
    expect(await bed.redis.ttl(bed.controls.decisionsKey('acme'))).toBeGreaterThan(0);
  });

  it('reads what the processor applied per user of a tenant, and nothing of another tenant', async () => {
    await bed.redis.hset(userStateKey(bed.prefix, 'acme', 'u1'), 'userName', 'ann@acme.test', 'scimId', 's1', 'observedAt', 'x');
    await bed.redis.hset(userStateKey(bed.prefix, 'acme', 'u2'), 'userName', 'bob@acme.test');
    await bed.redis.hset(userStateKey(bed.prefix, 'acme-two', 'u3'), 'userName', 'cy@acme.test');
    const applied = (await bed.controls.appliedUsers('acme')).sort((a, b) => a.userId.localeCompare(b.userId));
    expect(applied).toEqual([
      { userId: 'u1', userName: 'ann@acme.test', scimId: 's1' },
      { userId: 'u2', userName: 'bob@acme.test', scimId: undefined },
    ]);
  });
});
