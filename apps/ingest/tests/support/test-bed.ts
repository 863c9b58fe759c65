import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach } from 'vitest';
import type { Kafka } from 'kafkajs';
import { createKafkaClient } from '@provisioning/kafka';
import { testKafkaBrokers, uniqueName } from '@provisioning/kafka/testing';
import { createRootLogger, silentLogger, type Logger } from '@provisioning/observability';
import { createRedisClient, type Redis } from '@provisioning/redis';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from '@provisioning/redis/testing';
import { instantToEpochNanos } from '@provisioning/schemas';
import type { IngestConfigInput } from '../../src/lib/config/config-schema.ts';
import { resolveIngestConfig, type IngestConfig } from '../../src/lib/config/load-config.ts';
import { tenantKeys } from '../../src/lib/store/tenant-keys.ts';
import type { PollCursor } from '../../src/lib/store/tenant-store.ts';
import { loadInitialOrg, type DiRow, type OrgFile } from './fixture-expectations.ts';
import { SIM_API_KEYS, startSimProcess, type SimProcess } from './jumpcloud-sim-process.ts';

/** Before the fixture week: where pollers start, since the fixtures lie in the past. */
export const WEEK_START = '2026-11-20T00:00:00Z';

export const webhookSecret = (tenantId: string) => `whsec-${tenantId}-0123456789`;

/** Logs of in-process ingests: silent unless INGEST_TEST_LOG names a level. */
export function testLogger(): Logger {
  const level = process.env['INGEST_TEST_LOG'];
  return level ? createRootLogger({ name: 'ingest-test', level: level as 'info' }) : silentLogger();
}

/** One test's world: an emulator process, its own topic and key prefix, and clients to look at both. */
export interface TestBed {
  sim: SimProcess;
  topic: string;
  keyPrefix: string;
  kafka: Kafka;
  redis: Redis;
  env: Record<string, string>;
  tenantIds: readonly string[];
  applicationIds: Record<string, string>;
  configInput(overrides?: Partial<IngestConfigInput>): IngestConfigInput;
  config(overrides?: Partial<IngestConfigInput>): Promise<IngestConfig>;
  cleanup(): Promise<void>;
}

export async function createTestBed(tenantIds: readonly string[], simArgs: readonly string[] = []): Promise<TestBed> {
  const sim = await startSimProcess(tenantIds, simArgs);
  const topic = uniqueName('ingest-test');
  const keyPrefix = uniqueKeyPrefix('ingest');
  const kafka = createKafkaClient({ brokers: testKafkaBrokers(), clientId: 'ingest-test', logger: silentLogger() });
  const redis = createRedisClient({ url: testRedisUrl(), logger: silentLogger() });
  const listed = await sim.admin<{ tenantId: string; applicationId: string }[]>('GET', '/tenants');
  const applicationIds = Object.fromEntries(listed.map((t) => [t.tenantId, t.applicationId]));
  const env = Object.fromEntries(tenantIds.flatMap((t) => [[`JC_KEY_${t}`, SIM_API_KEYS[t] ?? 'key'], [`WEBHOOK_${t}`, webhookSecret(t)]]));
  const configInput = (overrides: Partial<IngestConfigInput> = {}): IngestConfigInput => ({
    logLevel: 'warn',
    http: { host: '127.0.0.1', port: 0 },
    kafka: { brokers: testKafkaBrokers(), clientId: uniqueName('ingest'), topic, partitions: 3, replicationFactor: 1 },
    redis: { url: testRedisUrl(), keyPrefix },
    poll: { intervalMs: 50, overlapMs: 1_000, lagMs: 0, pageSize: 200 },
    lease: { ttlMs: 1_500, renewIntervalMs: 250 },
    jumpcloud: { timeoutMs: 5_000, retries: 6, minRetryDelayMs: 20, maxRetryDelayMs: 1_000 },
    tenants: tenantIds.map((tenantId) => ({
      tenantId,
      orgId: sim.tenants[tenantId]?.organization ?? '',
      applicationId: applicationIds[tenantId] ?? '',
      apiKey: { env: `JC_KEY_${tenantId}` },
      webhookSecret: { env: `WEBHOOK_${tenantId}` },
      apiBaseUrl: sim.url,
      insightsBaseUrl: sim.url,
      pollStartTime: WEEK_START,
    })),
    ...overrides,
  });
  return {
    sim, topic, keyPrefix, kafka, redis, env, tenantIds, applicationIds, configInput,
    config: (overrides) => resolveIngestConfig(configInput(overrides), 'test', env),
    cleanup: async () => {
      await sim.close();
      await deleteKeysWithPrefix(redis, keyPrefix);
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
      redis.disconnect();
    },
  };
}

/** The newest Directory Insights event of service `directory` the emulator shows now (what a poller must reach). */
export async function newestDirectoryEventNs(bed: TestBed, tenantId: string): Promise<bigint | undefined> {
  const rows = await bed.sim.admin<{ service: string; timestamp: string }[]>('GET', `/tenants/${tenantId}/events`);
  return rows.filter((r) => r.service === 'directory').reduce<bigint | undefined>((max, r) => {
    const ns = instantToEpochNanos(r.timestamp);
    return max === undefined || ns > max ? ns : max;
  }, undefined);
}

export async function readCursor(bed: TestBed, tenantId: string): Promise<PollCursor | undefined> {
  const text = await bed.redis.get(tenantKeys(bed.keyPrefix, tenantId).cursor);
  return text ? (JSON.parse(text) as PollCursor) : undefined;
}

/** Waits until the tenant's cursor has reached everything the emulator shows and nothing is pending. */
export async function waitForCatchUp(bed: TestBed, tenantId: string, timeoutMs = 60_000): Promise<void> {
  const target = await newestDirectoryEventNs(bed, tenantId);
  if (target === undefined) return;
  const keys = tenantKeys(bed.keyPrefix, tenantId);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const cursor = await readCursor(bed, tenantId);
    const pending = await bed.redis.exists(keys.pending);
    if (cursor && instantToEpochNanos(cursor.timestamp) >= target && pending === 0) return;
    await sleep(50);
  }
  throw new Error(`tenant ${tenantId} did not catch up within ${timeoutMs} ms (cursor ${JSON.stringify((await readCursor(bed, tenantId))?.timestamp)})`);
}

/** Plays a tenant's timeline in steps of `step` actions, waiting for the ingest after each. */
export async function playTimeline(bed: TestBed, tenantId: string, step: number, afterStep?: (applied: number) => Promise<void>): Promise<void> {
  for (;;) {
    const status = await bed.sim.admin<{ applied: number; total: number }>('POST', `/tenants/${tenantId}/timeline/next`, { count: step });
    await waitForCatchUp(bed, tenantId);
    await afterStep?.(status.applied);
    if (status.applied >= status.total) return;
  }
}

/**
 * A step check: the last state published for every user equals the emulator's org as it is now, so a wrong
 * intermediate state cannot hide behind a later event that happens to fix it.
 */
export function currentStateCheck(bed: TestBed, tenantId: string, check: (current: OrgFile, initial: OrgFile, everSeen: Set<string>, rows: DiRow[]) => Promise<void>) {
  const everSeen = new Set<string>();
  let initial: OrgFile | undefined;
  return async () => {
    initial ??= await loadInitialOrg(tenantId);
    for (const user of initial.users) everSeen.add(user._id);
    const current = await bed.sim.admin<OrgFile>('GET', `/tenants/${tenantId}/state`);
    for (const user of current.users) everSeen.add(user._id);
    const rows = await bed.sim.admin<DiRow[]>('GET', `/tenants/${tenantId}/events`);
    await check(current, initial, everSeen, rows);
  };
}

/**
 * What a test starts, stopped after it in reverse order: `bed()` creates the test bed, `track()` registers an
 * ingest service or runtime (anything with `stop` or `close`).
 */
export function useTestResources() {
  const stoppers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stoppers.splice(0).reverse()) await stop();
  });
  return {
    bed: async (tenantIds: readonly string[], simArgs: readonly string[] = []) => {
      const bed = await createTestBed(tenantIds, simArgs);
      stoppers.push(() => bed.cleanup());
      return bed;
    },
    track: <T extends { stop(): Promise<void> } | { close(): Promise<void> }>(resource: T): T => {
      let stopped = false;
      stoppers.push(async () => {
        if (stopped) return;
        stopped = true;
        await ('stop' in resource ? resource.stop() : resource.close());
      });
      return resource;
    },
  };
}
