import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runImport } from '../src/lib/commands/import.ts';
import { runSnapshot } from '../src/lib/commands/snapshot.ts';
import { SIGNATURE_HEADERS, signWebhook } from '../src/lib/http/signature.ts';
import { openRuntime } from '../src/lib/runtime.ts';
import { startIngestService } from '../src/lib/service.ts';
import { expectFinalStates, expectWeekPublished } from './support/assertions.ts';
import { loadExpectations } from './support/fixture-expectations.ts';
import { FIXTURES_DIR } from './support/jumpcloud-sim-process.ts';
import { playTimeline, testLogger, useTestResources, webhookSecret, type TestBed } from './support/test-bed.ts';
import { lastEventPerUser, readTopic, type ReadMessage } from './support/topic-reader.ts';

const TENANT = 'globex';
const EXPORT_FILE = join(FIXTURES_DIR, TENANT, 'directory-insights-events.json');

/** The part of an event the processor acts on. */
const essence = (m: { event: ReadMessage['event'] }) => ({ userId: m.event.userId, deleted: m.event.deleted, bound: m.event.bound, user: m.event.user });

function signedPost(url: string, tenantId: string, body: string, secret = webhookSecret(tenantId), timestamp = Math.floor(Date.now() / 1000)) {
  return fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADERS.tenant]: tenantId,
      [SIGNATURE_HEADERS.timestamp]: String(timestamp),
      [SIGNATURE_HEADERS.signature]: signWebhook(secret, timestamp, body),
    },
    body,
  });
}

/** The week as the poller sees it first, then the source under test starting from the same first snapshot. */
describe('ingest > snapshot, import and webhook publish what the poller would', () => {
  const resources = useTestResources();

  async function snapshotThenAll(testBed: TestBed) {
    const runtime = resources.track(await openRuntime(await testBed.config(), testLogger()));
    await runSnapshot(runtime.tenant(TENANT), runtime.publisher, { runId: 'initial' });
    await testBed.sim.admin('POST', `/tenants/${TENANT}/timeline/all`);
    return runtime;
  }

  it('snapshot: every bound or once-bound user gets the state the poller last published, under snapshot:<run>:<user>', async () => {
    const bed = await resources.bed([TENANT]);
    const config = await bed.config();
    const runtime = resources.track(await openRuntime(config, testLogger()));
    await runSnapshot(runtime.tenant(TENANT), runtime.publisher, { runId: 'initial' });
    const service = resources.track(await startIngestService({ config, logger: testLogger() }));
    await playTimeline(bed, TENANT, 100);
    await service.stop();
    const byPoller = lastEventPerUser(await readTopic(bed.kafka, bed.topic));

    const progress: number[] = [];
    const result = await runSnapshot(runtime.tenant(TENANT), runtime.publisher, { runId: 'after-week', batchSize: 10, onProgress: (done) => progress.push(done) });
    const snapshot = (await readTopic(bed.kafka, bed.topic)).filter((m) => m.event.eventId.startsWith('snapshot:after-week:'));
    expect(snapshot).toHaveLength(result.users);
    expect(progress.at(-1)).toBe(result.users);
    for (const message of snapshot) {
      expect(message.event.eventId).toBe(`snapshot:after-week:${message.event.userId}`);
      expect(essence(message)).toEqual(essence({ event: byPoller.get(message.event.userId) as ReadMessage['event'] }));
    }
    const expectations = await loadExpectations(TENANT);
    const covered = new Set(snapshot.map((m) => m.event.userId));
    for (const userId of expectations.finallyBound) expect(covered.has(userId)).toBe(true);
  });

  it('snapshot as reconcile: after a week nobody polled, users once bound who left or were deleted are corrected', async () => {
    const bed = await resources.bed([TENANT]);
    const runtime = await snapshotThenAll(bed);
    const result = await runSnapshot(runtime.tenant(TENANT), runtime.publisher, { runId: 'reconcile' });
    const snapshot = (await readTopic(bed.kafka, bed.topic)).filter((m) => m.event.eventId.startsWith('snapshot:reconcile:'));
    expect(snapshot).toHaveLength(result.users);
    const expectations = await loadExpectations(TENANT);
    expectFinalStates(snapshot, expectations);
    const covered = new Set(snapshot.map((m) => m.event.userId));
    for (const userId of [...expectations.initiallyBound, ...expectations.finallyBound]) expect(covered.has(userId), userId).toBe(true);
    expect(snapshot.some((m) => !m.event.bound && !m.event.deleted), 'a user who left the application').toBe(true);
    expect(snapshot.some((m) => m.event.deleted), 'a deleted user').toBe(true);
  });

  it('import: the export file gives every affected user its poller event, as import:<eventId>, and the final states', async () => {
    const bed = await resources.bed([TENANT]);
    const runtime = await snapshotThenAll(bed);
    const progress: number[] = [];
    const result = await runImport(runtime.tenant(TENANT), runtime.publisher, EXPORT_FILE, { batchSize: 100, onProgress: (done) => progress.push(done) });
    expect(result.duplicates).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(result.read - result.duplicates - result.invalid);

    await expectWeekPublished(await readTopic(bed.kafka, bed.topic), TENANT, 'import:');
  });

  it('webhook: signed Directory Insights events (single or arrays) are published as the poller would, as webhook:<eventId>', async () => {
    const bed = await resources.bed([TENANT]);
    await snapshotThenAll(bed);
    const service = resources.track(await startIngestService({ config: await bed.config({ poll: { intervalMs: 60_000 } }), logger: testLogger() }));
    const rows = (await import(EXPORT_FILE, { with: { type: 'json' } })).default as unknown[];
    expect((await signedPost(service.url, TENANT, JSON.stringify(rows[0]))).status).toBe(202);
    for (let start = 1; start < rows.length; start += 100) {
      const response = await signedPost(service.url, TENANT, JSON.stringify(rows.slice(start, start + 100)));
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ accepted: Math.min(100, rows.length - start) });
    }
    const expectations = await loadExpectations(TENANT);
    let messages: ReadMessage[] = [];
    for (let i = 0; i < 100; i++) {
      messages = (await readTopic(bed.kafka, bed.topic)).filter((m) => m.event.source === 'webhook');
      const ids = new Set(messages.map((m) => m.event.eventId));
      if ([...expectations.userEventIds.keys()].every((id) => ids.has(`webhook:${id}`))) break;
      await sleep(100);
    }
    // A redelivered call is accepted again but publishes nothing new.
    const duplicates = async () => Number(/ingest_di_events_dropped_total\{tenant="globex",reason="duplicate"\} (\d+)/.exec(await (await fetch(`${service.url}/metrics`)).text())?.[1] ?? 0);
    const before = await duplicates();
    expect((await signedPost(service.url, TENANT, JSON.stringify(rows.slice(1, 101)))).status).toBe(202);
    await expect.poll(duplicates, { timeout: 10_000, interval: 50 }).toBeGreaterThanOrEqual(before + 100);
    await expectWeekPublished(await readTopic(bed.kafka, bed.topic), TENANT, 'webhook:');
  });

  it('webhook: refuses unsigned, stale, forged, foreign, malformed and oversized calls with a JSON error', async () => {
    const bed = await resources.bed([TENANT]);
    const config = await bed.config({ http: { host: '127.0.0.1', port: 0, webhookBodyLimitBytes: 4096 }, poll: { intervalMs: 60_000 } });
    const service = resources.track(await startIngestService({ config, logger: testLogger() }));
    const event = { id: 'e1', event_type: 'user_update', service: 'directory', timestamp: '2026-11-23T08:00:00Z', organization: bed.sim.tenants[TENANT]?.organization, resource: { id: 'u1', type: 'user' } };
    const body = JSON.stringify(event);
    const cases: [string, Promise<Response>, number, string][] = [
      ['no signature', fetch(`${service.url}/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json', [SIGNATURE_HEADERS.tenant]: TENANT }, body }), 401, 'unauthorized'],
      ['a wrong secret', signedPost(service.url, TENANT, body, 'not-the-secret'), 401, 'unauthorized'],
      ['an old timestamp', signedPost(service.url, TENANT, body, webhookSecret(TENANT), Math.floor(Date.now() / 1000) - 3600), 401, 'unauthorized'],
      ['an unknown tenant', signedPost(service.url, 'nobody', body), 401, 'unauthorized'],
      ['not JSON', signedPost(service.url, TENANT, '{nope'), 400, 'bad-request'],
      ['not events', signedPost(service.url, TENANT, JSON.stringify([{ hello: 1 }])), 422, 'invalid-events'],
      ['another organization', signedPost(service.url, TENANT, JSON.stringify({ ...event, organization: 'elsewhere' })), 422, 'other-organization'],
      ['too large', signedPost(service.url, TENANT, JSON.stringify(Array.from({ length: 40 }, () => event))), 413, ''],
    ];
    for (const [label, call, status, error] of cases) {
      const response = await call;
      expect(response.status, label).toBe(status);
      const json = (await response.json()) as { error: string };
      if (error) expect(json.error, label).toBe(error);
    }
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/ingest_webhook_requests_total\{outcome="unauthorized"\} 4/);
  });
});
