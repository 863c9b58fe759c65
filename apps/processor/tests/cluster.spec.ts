import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { UserChangeEventV1 } from '@provisioning/schemas';
import { userEvent } from './support/events.ts';
import { ProcessorHarness } from './support/harness.ts';

const MAIN = join(import.meta.dirname, '..', 'src', 'main.ts');

/** `users` users, each with `changes` states in a row (lastname v0, v1, …); the last one is what Terranova must hold. */
function changeStream(tenantId: string, users: number, changes: number, label: string): UserChangeEventV1[] {
  const events: UserChangeEventV1[] = [];
  for (let change = 0; change < changes; change++) {
    for (let u = 0; u < users; u++) events.push(userEvent({ tenantId, userId: `${label}-${u}`, lastname: `v${change}` }));
  }
  return events;
}

/** Every user exists once in Terranova, was created once, and holds its last state. */
function expectTerranovaMatches(harness: ProcessorHarness, tenantId: string, users: number, changes: number, label: string) {
  const stored = harness.sim.admin.users(tenantId).filter((u) => u.userName.startsWith(`${label}-`));
  expect(stored).toHaveLength(users);
  expect(stored.every((u) => (u['name'] as { familyName?: string }).familyName === `v${changes - 1}`)).toBe(true);
  const log = harness.sim.admin.requestLog(tenantId, 0).byUserName;
  expect(stored.every((u) => log[u.userName.toLowerCase()]?.created === 1)).toBe(true);
}

describe('processor > several instances and crashes', () => {
  let harness: ProcessorHarness | undefined;
  const children: ChildProcess[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    await harness?.close();
  });

  it('two instances in one group share the partitions with no double writes', async () => {
    harness = await ProcessorHarness.create({ tenants: [{ id: 'acme' }], partitions: 6 });
    harness.sim.admin.setFaults('acme', { latencyMs: 5 });
    const events = changeStream('acme', 150, 3, 'pair');
    await harness.send(events);
    const [first, second] = await Promise.all([harness.startProcessor('first'), harness.startProcessor('second')]);
    await harness.results.waitFor(events.map((e) => e.eventId), 60_000);
    expect(first!.stats().partitions.length).toBeGreaterThan(0);
    expect(second!.stats().partitions.length).toBeGreaterThan(0);
    expectTerranovaMatches(harness, 'acme', 150, 3, 'pair');
    // One POST per user and one PATCH per later change: nothing was written twice.
    const log = harness.sim.admin.requestLog('acme', 0);
    expect(log.byMethod['POST']).toBe(150);
    expect(log.byMethod['PATCH']).toBe(300);
  });

  it('a processor killed with SIGKILL mid-stream and restarted loses no event and creates no user twice', async () => {
    harness = await ProcessorHarness.create({
      tenants: [{ id: 'acme' }],
      partitions: 4,
      config: { engine: { maxInFlight: 16, commitIntervalMs: 500 } },
    });
    harness.sim.admin.setFaults('acme', { latencyMs: 15 });
    const events = changeStream('acme', 300, 4, 'crash');
    await harness.send(events);
    const configFile = await harness.writeConfigFile();
    const start = () => {
      const child = spawn(process.execPath, [MAIN, '--config', configFile], { stdio: ['ignore', 'ignore', 'inherit'] });
      children.push(child);
      return child;
    };

    const doomed = start();
    await expect.poll(() => harness!.results.messages.length, { timeout: 60_000, interval: 50 }).toBeGreaterThan(300);
    doomed.kill('SIGKILL');
    await once(doomed, 'exit');
    const beforeRestart = new Set(harness.results.results().map((r) => r.eventId)).size;
    expect(beforeRestart).toBeLessThan(events.length);

    const survivor = start();
    await harness.results.waitFor(events.map((e) => e.eventId), 90_000);
    expectTerranovaMatches(harness, 'acme', 300, 4, 'crash');
    survivor.kill('SIGTERM');
    const [code] = await once(survivor, 'exit');
    expect(code).toBe(0);
  });
});
