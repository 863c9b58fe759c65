import { describe, expect, it } from 'vitest';
import { resolveIngestConfig } from '../src/lib/config/load-config.ts';
import { startIngestService } from '../src/lib/service.ts';
import { expectFinalStates, expectWeekPublished } from './support/assertions.ts';
import { loadExpectations } from './support/fixture-expectations.ts';
import { playTimeline, testLogger, useTestResources, waitForCatchUp } from './support/test-bed.ts';
import { readTopic } from './support/topic-reader.ts';

const metric = (text: string, sample: string) => Number(new RegExp(`^${sample.replace(/[{}]/g, '\\$&')} (\\d+)`, 'm').exec(text)?.[1] ?? 0);

describe('ingest > JumpCloud failures', () => {
  const resources = useTestResources();

  it('retries 429 (with Retry-After) and 5xx answers and slow pages without losing or repeating anything', async () => {
    const bed = await resources.bed(['globex']);
    const service = resources.track(await startIngestService({ config: await bed.config(), logger: testLogger() }));
    await bed.sim.admin('POST', '/faults', { area: 'insights', status: 429, retryAfterSeconds: 0, count: 3 });
    await bed.sim.admin('POST', '/faults', { area: 'systemusers', status: 503, count: 2 });
    await bed.sim.admin('POST', '/faults', { area: 'graph', status: 500, count: 2 });
    await bed.sim.admin('POST', '/faults', { area: 'insights', delayMs: 300, count: 1 });
    await playTimeline(bed, 'globex', 100);

    const stats = await bed.sim.admin<{ faultsServed: number; pendingFaults: number }>('GET', '/stats');
    expect(stats).toMatchObject({ faultsServed: 8, pendingFaults: 0 });
    const text = await (await fetch(`${service.url}/metrics`)).text();
    expect(metric(text, 'ingest_jumpcloud_errors_total{tenant="globex",code="JUMPCLOUD_RATE_LIMITED"}')).toBe(3);
    expect(metric(text, 'ingest_jumpcloud_errors_total{tenant="globex",code="JUMPCLOUD_UNAVAILABLE"}')).toBe(4);
    expect(text).not.toMatch(/ingest_poll_failures_total\{/);
    await expectWeekPublished(await readTopic(bed.kafka, bed.topic), 'globex');
  });

  it('backs off when JumpCloud stays down past the retries, then catches up', async () => {
    const bed = await resources.bed(['globex']);
    const config = await bed.config({ jumpcloud: { retries: 1, minRetryDelayMs: 10, maxRetryDelayMs: 50, timeoutMs: 5_000 } });
    await bed.sim.admin('POST', '/faults', { area: 'insights', status: 502, count: 8 });
    const service = resources.track(await startIngestService({ config, logger: testLogger() }));
    await bed.sim.admin('POST', '/tenants/globex/timeline/all');
    await waitForCatchUp(bed, 'globex');
    const text = await (await fetch(`${service.url}/metrics`)).text();
    expect(metric(text, 'ingest_poll_failures_total{tenant="globex",code="JUMPCLOUD_UNAVAILABLE"}')).toBe(4);
    expectFinalStates(await readTopic(bed.kafka, bed.topic), await loadExpectations('globex'));
  });

  it('a tenant whose key is refused does not hold back the others, and health and metrics say so', async () => {
    const bed = await resources.bed(['acme', 'globex']);
    const env = { ...bed.env, JC_KEY_acme: 'revoked-key' };
    const service = resources.track(await startIngestService({ config: await resolveIngestConfig(bed.configInput(), 'test', env), logger: testLogger() }));
    await playTimeline(bed, 'globex', 300);

    const health = await fetch(`${service.url}/healthz`);
    expect(health.status).toBe(200);
    const report = (await health.json()) as { kafka: string; tenants: Record<string, { leaseHeld: boolean; lastError?: { code: string }; consecutiveFailures: number; lastSuccessAt?: string }> };
    expect(report.kafka).toBe('connected');
    expect(report.tenants['acme']).toMatchObject({ leaseHeld: true, lastError: { code: 'JUMPCLOUD_UNAUTHORIZED' } });
    expect(report.tenants['acme']?.consecutiveFailures).toBeGreaterThan(0);
    expect(report.tenants['globex']?.lastSuccessAt).toBeDefined();
    const text = await (await fetch(`${service.url}/metrics`)).text();
    expect(metric(text, 'ingest_poll_failures_total{tenant="acme",code="JUMPCLOUD_UNAUTHORIZED"}')).toBeGreaterThan(0);
    expect(metric(text, 'ingest_events_published_total{tenant="globex",source="directory-insights"}')).toBeGreaterThan(300);
    expect(metric(text, 'ingest_di_events_dropped_total{tenant="globex",reason="ignored-type"}')).toBeGreaterThan(0);
    expect(metric(text, 'ingest_tenant_lease_held{tenant="globex"}')).toBe(1);
    expect(text).toMatch(/^ingest_poll_lag_seconds\{tenant="globex"\} /m);
    const messages = await readTopic(bed.kafka, bed.topic);
    expect(messages.some((m) => m.event.tenantId === 'acme')).toBe(false);
    expectFinalStates(messages, await loadExpectations('globex'));
  });

  it('skips a user record JumpCloud answers but that cannot be read, and goes on with the others', async () => {
    const bed = await resources.bed(['globex']);
    const org = await bed.sim.admin<{ users: { _id: string }[] }>('GET', '/tenants/globex/state');
    const [broken, fine] = org.users.map((u) => u._id);
    await bed.sim.admin('POST', '/tenants/globex/actions', {
      actions: [
        { action: 'update_user', userId: broken, field: 'state', to: 'PENDING' },
        { action: 'update_user', userId: fine, field: 'jobTitle', to: 'Chief Tester' },
      ],
    });
    const service = resources.track(await startIngestService({ config: await bed.config(), logger: testLogger() }));
    await waitForCatchUp(bed, 'globex');
    const messages = await readTopic(bed.kafka, bed.topic);
    expect(messages.map((m) => m.event.userId)).toEqual([fine]);
    const text = await (await fetch(`${service.url}/metrics`)).text();
    expect(metric(text, 'ingest_di_events_dropped_total{tenant="globex",reason="unreadable-user"}')).toBe(1);
    expect(text).not.toMatch(/ingest_poll_failures_total\{/);
  });
});
