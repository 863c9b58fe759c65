import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type RunningDemo } from '../src/run/run-demo.ts';
import { ops } from './support/ops-cli.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'jumpcloud');
const SETTLE_MS = 240_000;
const TENANT = 'acme';
/** Below the number of users acme's largest group unbind takes out of the application (17). */
const MAX_USERS = 15;

interface TimelineAction {
  at: string;
  action: string;
  groupId?: string;
}

interface HeldReport {
  changes: { changeId: string; deprovisions: number; boundUsers: number; users: { userId: string; userName: string; action: string }[] }[];
}

/**
 * The mass-deprovision guard end to end on the sample data: acme's week up to its largest group unbind streams
 * through as usual; then the guard is switched on in the tenants file (reloaded by the running processor), the
 * unbind happens in JumpCloud, and its deprovisions are held until `ops approve`; the rest of the week then
 * leaves Terranova as the oracle expects.
 */
describe('end to end > the mass-deprovision guard holds the fixture\'s mass unbind until approved', () => {
  let demo: RunningDemo;
  let leaving: string[];
  const terranovaActive = (userId: string) => {
    const user = demo.emulators.jumpcloud.tenant(TENANT).org.getUser(userId);
    return user ? demo.emulators.terranova.admin.userByUserName(TENANT, user.username)?.active : undefined;
  };
  const opsArgs = (...args: string[]) => [...args, '--config', demo.configFiles.processor];

  /** Sets acme's guard in the tenants file and waits until the running processor has reloaded it. */
  async function setGuard(guard: Record<string, unknown>): Promise<void> {
    const port = (JSON.parse(await readFile(demo.configFiles.processor, 'utf8')) as { http: { port: number } }).http.port;
    const reloads = async () => Number(/processor_tenant_config_reloads_total\{outcome="ok"\} (\d+)/.exec(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text())?.[1] ?? 0);
    const before = await reloads();
    const file = JSON.parse(await readFile(demo.configFiles.processorTenants, 'utf8')) as { tenants: { id: string }[] };
    const tenants = file.tenants.map((t) => (t.id === TENANT ? { ...t, massDeprovisionGuard: guard } : t));
    await writeFile(demo.configFiles.processorTenants, JSON.stringify({ ...file, tenants }, null, 2));
    for (const deadline = Date.now() + 30_000; (await reloads()) <= before; ) {
      if (Date.now() > deadline) throw new Error('the processor did not reload its tenants file');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  beforeAll(async () => {
    demo = await startDemo({ fixturesDir: FIXTURES, workDir: join(tmpdir(), 'provisioning-e2e-guard'), env: process.env });
    await demo.waitUntilSettled(SETTLE_MS, 'first full sync', false);
    // Off while the days before stream in whole (several unbinds of a day would read as one change), on for the unbind.
    await setGuard({ enabled: false });
    const timeline = JSON.parse(await readFile(join(FIXTURES, TENANT, 'admin-timeline.json'), 'utf8')) as TimelineAction[];
    const unbindAt = timeline.findLastIndex((a) => a.action === 'unbind_group_from_app');
    const sim = demo.emulators.jumpcloud.tenant(TENANT);
    // The week up to the unbind, one day at a time, so the ingest sees the changes apart as it would live.
    for (let day = 0; sim.status().applied < unbindAt; day++) {
      const dayEnd = Date.parse(timeline[0]!.at) + (day + 1) * 86_400_000;
      const upTo = timeline.findIndex((a, i) => i >= sim.status().applied && (i >= unbindAt || Date.parse(a.at) >= dayEnd));
      sim.applyNext(upTo - sim.status().applied);
      await demo.waitUntilSettled(SETTLE_MS, `acme's week, day ${day + 1}`, false);
    }
    await setGuard({ maxUsers: MAX_USERS });
    const boundBefore = new Set(sim.org.boundUsers().map((u) => u.id));
    sim.applyNext(1);
    const boundAfter = new Set(sim.org.boundUsers().map((u) => u.id));
    leaving = [...boundBefore].filter((id) => !boundAfter.has(id) && terranovaActive(id) === true);
    await demo.waitUntilSettled(SETTLE_MS, 'the mass unbind', false);
  });

  afterAll(async () => {
    await demo?.stop();
  });

  it('holds every deprovision of the unbind and reports the change', async () => {
    // The users the unbind takes out who are active in Terranova: the deprovisions the processor would send.
    expect(leaving.length).toBeGreaterThan(10);
    const listed = await ops(opsArgs('held', '--tenant', TENANT, '--json'), demo.childEnv);
    expect(listed.code).toBe(0);
    const { changes } = JSON.parse(listed.stdout) as HeldReport;
    expect(changes).toHaveLength(1);
    expect(changes[0]!.deprovisions).toBeGreaterThan(MAX_USERS);
    expect(changes[0]!.deprovisions).toBeGreaterThanOrEqual(leaving.length);
    expect(changes[0]!.users.map((u) => u.userId).sort()).toEqual([...leaving].sort());
    expect(changes[0]!.users.every((u) => u.action === 'deactivate')).toBe(true);
    expect(leaving.every((id) => terranovaActive(id) === true)).toBe(true);
    expect(demo.monitor.tenant(TENANT).skipped).toBeGreaterThanOrEqual(leaving.length);
  });

  it('applies them on approve, and the rest of the week ends as the oracle expects', async () => {
    const approved = await ops(opsArgs('approve', '--tenant', TENANT), demo.childEnv);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toMatch(new RegExp(`${leaving.length} deprovisions released`));
    await demo.waitUntilSettled(SETTLE_MS, 'approved deprovisions', false);
    expect(leaving.every((id) => terranovaActive(id) !== true)).toBe(true);
    demo.emulators.jumpcloud.tenant(TENANT).applyAll();
    await demo.waitUntilSettled(SETTLE_MS, 'the rest of the week', false);
    const [acme] = (await demo.outcome()).filter((t) => t.tenantId === TENANT);
    expect(acme!.comparison).toMatchObject({ missing: [], extra: [], wrongAttributes: [], matches: true });
    expect(acme!.createdTwice).toEqual([]);
    const nothing = await ops(opsArgs('held', '--tenant', TENANT), demo.childEnv);
    expect(nothing.stdout).toMatch(/nothing is held for tenant acme/);
  });
});
