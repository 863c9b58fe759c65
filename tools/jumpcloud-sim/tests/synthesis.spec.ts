import { afterEach, describe, expect, it } from 'vitest';
import type { DirectoryInsightsRow, JumpCloudSim } from '../src/index.ts';
import { startFixtureSim } from './support.ts';

type Row = DirectoryInsightsRow & {
  resource?: { type?: string };
  association?: { connection: { from: { type: string }; to: { type: string } } };
};

describe('jumpcloud-sim > synthesized Directory Insights events', () => {
  const sims: JumpCloudSim[] = [];
  afterEach(async () => {
    for (const sim of sims.splice(0)) await sim.close();
  });

  async function synthesizedFeed(): Promise<Row[]> {
    const sim = await startFixtureSim({ events: 'synthesized' }, ['acme']);
    sims.push(sim);
    sim.tenant('acme').applyAll();
    return sim.tenant('acme').feed.exportRows() as Row[];
  }

  it('has the quirks of the real feed', async () => {
    const rows = await synthesizedFeed();
    const ids = rows.map((r) => r.id);
    expect(ids.length - new Set(ids).size, 'duplicates').toBeGreaterThan(5);
    const edges = rows.filter((r) => r.association?.connection.to.type === 'user' || r.association?.connection.from.type === 'user');
    expect(new Set(edges.map((r) => `${r.association?.connection.from.type}>${r.association?.connection.to.type}`))).toEqual(
      new Set(['user_group>user', 'user>user_group', 'application>user']),
    );
    expect(rows.some((r) => /\.\d{9}Z$/.test(r.timestamp)), 'ns timestamps').toBe(true);
    expect(rows.some((r) => /\.\d{3}Z$/.test(r.timestamp)), 'ms timestamps').toBe(true);
    expect(rows.some((r) => r.service === 'systems'), 'systems-service noise').toBe(true);
    expect(rows.some((r) => r.event_type === 'admin_login_attempt'), 'login noise').toBe(true);
    expect(rows.some((r) => !('success' in r)), 'success absent').toBe(true);
    expect(new Set(rows.map((r) => r.resource?.type).filter(Boolean))).toEqual(new Set(['user', 'systemuser']));
    expect(rows.some((r) => r.event_type === 'user_suspended')).toBe(true);
  });

  it('writes the same feed every time for the same tenant and timeline', async () => {
    expect(await synthesizedFeed()).toEqual(await synthesizedFeed());
  });
});
