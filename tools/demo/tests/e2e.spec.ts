import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageKey } from '@provisioning/schemas';
import type { TenantCounters } from '../src/progress/tenant-counters.ts';
import { playTimelines, startDemo, type RunningDemo } from '../src/run/run-demo.ts';
import { ops } from './support/ops-cli.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'jumpcloud');
const SETTLE_MS = 240_000;

function snapshotCounters(demo: RunningDemo): Map<string, TenantCounters> {
  return new Map([...demo.monitor.counters].map(([tenant, counters]) => [tenant, structuredClone(counters)]));
}

/** Stops the processor, runs `ops replay …`, starts the processor again and waits for the replay to settle. */
async function replay(demo: RunningDemo, args: string[]) {
  await demo.processor.stop();
  const result = await ops(['replay', ...args, '--config', demo.configFiles.processor, '--json'], demo.childEnv);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  await demo.restartProcessor();
  await demo.waitUntilSettled(SETTLE_MS, 'replay');
  return JSON.parse(result.stdout) as { eventsToReplay: string };
}

describe('end to end > JumpCloud → Kafka → Terranova on the sample tenants', () => {
  let demo: RunningDemo;

  beforeAll(async () => {
    demo = await startDemo({ fixturesDir: FIXTURES, workDir: join(tmpdir(), 'provisioning-e2e'), env: process.env });
    await demo.waitUntilSettled(SETTLE_MS, 'first full sync', false);
    playTimelines(demo, 20);
    await demo.waitUntilSettled(SETTLE_MS, 'week of activity');
  });

  afterAll(async () => {
    await demo?.stop();
  });

  it('leaves Terranova as the oracle expects, with no userName created twice', async () => {
    for (const tenant of await demo.outcome()) {
      expect(tenant.comparison, tenant.tenantId).toMatchObject({ missing: [], extra: [], wrongAttributes: [], duplicates: [], inactiveNotAllowed: [], matches: true });
      expect(tenant.createdTwice, tenant.tenantId).toEqual([]);
      expect(tenant.counters.failed, tenant.tenantId).toBe(0);
    }
  });

  it('refuses a replay while the processor is running, saying what to do', async () => {
    const result = await ops(['replay', '--tenant', 'acme', '--from', 'earliest', '--config', demo.configFiles.processor], demo.childEnv);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/live member.*Stop every processor replica/s);
  });

  it('rebuilds a Terranova tenant that lost its data with a forced replay, creating each user once', async () => {
    demo.emulators.terranova.admin.reset('acme');
    expect(demo.emulators.terranova.admin.users('acme')).toEqual([]);
    await replay(demo, ['--tenant', 'acme', '--from', 'earliest', '--force']);
    const [acme] = (await demo.outcome()).filter((tenant) => tenant.tenantId === 'acme');
    expect(acme!.comparison.matches).toBe(true);
    expect(acme!.createdTwice).toEqual([]);
    const log = demo.emulators.terranova.admin.requestLog('acme');
    expect(log.byMethod['POST']).toBe(demo.emulators.terranova.admin.users('acme').length);
  });

  it('makes no SCIM write at all when the same replay is not forced: every result says skipped', async () => {
    const writesBefore = Object.fromEntries(demo.tenants.map((t) => [t.tenantId, demo.emulators.terranova.admin.requestLog(t.tenantId).writes]));
    const before = snapshotCounters(demo);
    const summary = await replay(demo, ['--tenant', 'acme', '--from', 'earliest']);
    let replayed = 0;
    for (const tenant of demo.tenants) {
      expect(demo.emulators.terranova.admin.requestLog(tenant.tenantId).writes, tenant.tenantId).toBe(writesBefore[tenant.tenantId]);
      const [was, now] = [before.get(tenant.tenantId)!, demo.monitor.tenant(tenant.tenantId)];
      expect(now.applied, tenant.tenantId).toEqual(was.applied);
      expect(now.failed, tenant.tenantId).toBe(was.failed);
      replayed += now.skipped - was.skipped;
    }
    expect(replayed).toBe(Number(summary.eventsToReplay));
  });

  it('applies a dead-lettered event once it is fixed and redriven', async () => {
    const userId = 'e2e0redrive0000000000001';
    const valid = {
      schemaVersion: 1,
      eventId: `e2e-redrive-${demo.runId}`,
      tenantId: 'globex',
      userId,
      source: 'webhook',
      occurredAt: new Date().toISOString(),
      observedAt: new Date().toISOString(),
      bound: true,
      deleted: false,
      user: { username: 'redrive.check', email: 'redrive.check@globex.example.org', firstname: 'Redrive', lastname: 'Check', state: 'ACTIVATED', suspended: false },
    };
    const { email: _dropped, ...userWithoutEmail } = valid.user;
    const producer = demo.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: demo.names.topics.userChanges, messages: [{ key: messageKey('globex', userId), value: JSON.stringify({ ...valid, user: userWithoutEmail }) }] });
    await producer.disconnect();
    await demo.waitUntilSettled(SETTLE_MS, 'invalid event');

    const listed = await ops(['dlq', 'list', '--tenant', 'globex', '--config', demo.configFiles.processor, '--json'], demo.childEnv);
    expect(listed.code).toBe(0);
    const entries = JSON.parse(listed.stdout) as { id: string; key: string; errorCode: string; errorMessage: string }[];
    const entry = entries.find((e) => e.key === messageKey('globex', userId));
    expect(entry?.errorMessage).toMatch(/email/);
    expect(demo.emulators.terranova.admin.userByUserName('globex', 'redrive.check')).toBeUndefined();

    const refused = await ops(['dlq', 'redrive', '--entry', entry!.id, '--config', demo.configFiles.processor], demo.childEnv);
    expect(refused.code).toBe(5);
    const fixed = join(demo.runDir, 'fixed-event.json');
    await writeFile(fixed, JSON.stringify(valid));
    const redriven = await ops(['dlq', 'redrive', '--entry', entry!.id, '--value-file', fixed, '--config', demo.configFiles.processor], demo.childEnv);
    expect(redriven.code).toBe(0);
    await demo.waitUntilSettled(SETTLE_MS, 'redriven event');
    expect(demo.emulators.terranova.admin.userByUserName('globex', 'redrive.check')).toMatchObject({ active: true });
  });
});
