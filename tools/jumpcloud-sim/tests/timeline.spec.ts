import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JumpCloudSim, OrgFile } from '../src/index.ts';
import { apiClient, fixtureDir, startFixtureSim } from './support.ts';

const readFixture = async <T>(tenantId: string, file: string): Promise<T> => JSON.parse(await readFile(join(fixtureDir(tenantId), file), 'utf8')) as T;

describe('jumpcloud-sim > timeline playback', () => {
  let sim: JumpCloudSim | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });

  describe.each(['acme', 'globex'])('%s', (tenantId) => {
    it.each(['recorded', 'synthesized'] as const)('after the whole timeline the org equals org-final.json (%s events)', async (events) => {
      sim = await startFixtureSim({ events }, [tenantId]);
      const status = sim.tenant(tenantId).applyAll();
      expect(status.applied).toBe(status.total);
      expect(sim.tenant(tenantId).org.snapshot()).toEqual(await readFixture<OrgFile>(tenantId, 'org-final.json'));
    });

    it('steps through the admin API to the same end state, the feed growing with the clock', async () => {
      sim = await startFixtureSim({}, [tenantId]);
      const client = apiClient(sim, tenantId);
      const visible: number[] = [];
      for (;;) {
        const status = (await (await client.admin('POST', `/tenants/${tenantId}/timeline/next`, { count: 97 })).json()) as { applied: number; total: number; visibleEvents: number };
        visible.push(status.visibleEvents);
        if (status.applied === status.total) break;
      }
      expect(visible).toEqual([...visible].sort((a, b) => a - b));
      const state = await (await client.admin('GET', `/tenants/${tenantId}/state`)).json();
      expect(state).toEqual(await readFixture<OrgFile>(tenantId, 'org-final.json'));
      // Recorded playback serves exactly the fixture export, duplicates included.
      const exported = (await (await client.admin('GET', `/tenants/${tenantId}/events`)).json()) as { id: string }[];
      const recorded = await readFixture<{ id: string }[]>(tenantId, 'directory-insights-events.json');
      expect(exported.map((e) => e.id).sort()).toEqual(recorded.map((e) => e.id).sort());
    });
  });

  it('shows after one step only what had happened before the next action', async () => {
    sim = await startFixtureSim({}, ['acme']);
    const tenant = sim.tenant('acme');
    const timeline = await readFixture<{ at: string }[]>('acme', 'admin-timeline.json');
    const status = tenant.applyNext(1);
    expect(status.nextAt).toBe(timeline[1]?.at);
    const rows = tenant.feed.exportRows();
    // The first action is a suspension: its user_update and user_suspended rows, stamped before the second action.
    expect(rows.map((r) => r.event_type)).toEqual(['user_update', 'user_suspended']);
    expect(rows.every((r) => Date.parse(r.timestamp) < Date.parse(timeline[1]?.at ?? ''))).toBe(true);
  });

  it('lifts a lockout once its period has passed on the clock', async () => {
    sim = await startFixtureSim({}, ['acme']);
    const tenant = sim.tenant('acme');
    const timeline = await readFixture<{ at: string; action: string; userId?: string }[]>('acme', 'admin-timeline.json');
    const lockoutAt = timeline.findIndex((a) => a.action === 'lockout_user');
    const userId = timeline[lockoutAt]?.userId as string;
    tenant.applyNext(lockoutAt + 1);
    const lockedNow = tenant.org.getUser(userId)?.account_locked;
    tenant.applyAll();
    expect(tenant.org.getUser(userId)?.account_locked).toBe(false);
    // Either the next action came within the lockout period (still locked) or it had already been lifted.
    expect(typeof lockedNow).toBe('boolean');
  });

  it('plays the timeline at a given speed until the end', async () => {
    sim = await startFixtureSim({}, ['globex']);
    const tenant = sim.tenant('globex');
    tenant.play(604_800 * 20);
    await expect.poll(() => tenant.status().applied, { timeout: 10_000, interval: 20 }).toBe(tenant.status().total);
    expect(tenant.status().playing).toBe(false);
    expect(tenant.org.snapshot()).toEqual(await readFixture<OrgFile>('globex', 'org-final.json'));
  });

  it('applies ad-hoc actions posted to the admin API and refuses ones that do not fit', async () => {
    sim = await startFixtureSim({}, ['globex']);
    const client = apiClient(sim, 'globex');
    const user = sim.tenant('globex').org.listUsers()[0];
    const ok = await client.admin('POST', '/tenants/globex/actions', { action: 'suspend_user', userId: user?._id });
    expect(ok.status).toBe(200);
    const { events } = (await ok.json()) as { events: { event_type: string; resource?: { id: string } }[] };
    expect(events[0]).toMatchObject({ event_type: 'user_update', resource: { id: user?._id } });
    expect(sim.tenant('globex').org.getUser(user?._id ?? '')?.state).toBe('SUSPENDED');
    const unknown = await client.admin('POST', '/tenants/globex/actions', { action: 'suspend_user', userId: 'nope' });
    expect(unknown.status).toBe(409);
    const malformed = await client.admin('POST', '/tenants/globex/actions', { action: 'fly' });
    expect(malformed.status).toBe(400);
  });
});
