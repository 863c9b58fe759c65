import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Processor } from '../src/lib/processor.ts';
import { userEvent } from './support/events.ts';
import { ProcessorHarness } from './support/harness.ts';

const users = (tenantId: string, count: number) =>
  Array.from({ length: count }, (_, i) => userEvent({ tenantId, userId: `${tenantId}-${i}-${randomUUID().slice(0, 6)}` }));

const isRetriedForever = (ms: number) => ({ timeout: ms, interval: 100 });

describe('processor > Terranova failures', () => {
  let harness: ProcessorHarness;
  let processor: Processor;

  beforeEach(async () => {
    harness = await ProcessorHarness.create({ tenants: [{ id: 'acme' }, { id: 'beta' }] });
    processor = await harness.startProcessor();
  });
  afterEach(() => harness.close());

  /** Each user was created exactly once in the tenant. */
  const createdOnce = (tenantId: string, events: { user: { username: string } }[]) =>
    events.every((e) => harness.sim.admin.requestLog(tenantId, 0).byUserName[e.user.username.toLowerCase()]?.created === 1);

  it('a 429 storm slows every replica down and loses nothing', async () => {
    harness.sim.admin.setFaults('acme', { rateLimit: { perSecond: 10, retryAfterSeconds: 1 } });
    const events = users('acme', 40);
    await harness.send(events);
    const results = await harness.results.waitFor(events.map((e) => e.eventId), 60_000);
    expect(results.every((r) => r.outcome === 'applied' && r.action === 'create')).toBe(true);
    expect(createdOnce('acme', events)).toBe(true);
    expect(harness.sim.admin.requestLog('acme', 0).byStatus['429']).toBeGreaterThan(0);
    const bucket = await harness.redis.hgetall(`${harness.keyPrefix}:rate:{acme}`);
    expect(Number(bucket['factor'])).toBeLessThan(1);
    expect(harness.dlq.messages).toHaveLength(0);
  });

  it('5xx are retried (past the client\'s own attempts too) and never dead-lettered', async () => {
    harness.sim.admin.setFaults('acme', { serverError: { count: 6, status: 502 } });
    const [event] = users('acme', 1);
    await harness.send([event!]);
    const [result] = await harness.results.waitFor([event!.eventId], 60_000);
    expect(result).toMatchObject({ outcome: 'applied', action: 'create' });
    expect(harness.sim.admin.requestLog('acme', 0).byStatus['502']).toBe(6);
    expect(harness.dlq.messages).toHaveLength(0);
  });

  it('a 401 parks only that tenant; rotating the token file unparks it and its events are applied', async () => {
    harness.sim.admin.setToken('acme', 'rotated-token');
    const acme = users('acme', 15);
    const beta = users('beta', 15);
    await harness.send([...acme, ...beta].sort(() => Math.random() - 0.5));
    await harness.results.waitFor(beta.map((e) => e.eventId));
    await expect.poll(() => processor.stats().parked.map((p) => `${p.tenantId}/${p.reason}`)).toEqual(['acme/auth']);
    expect(acme.flatMap((e) => harness.results.forEvent(e.eventId))).toEqual([]);
    expect(harness.dlq.messages).toHaveLength(0);
    // Nothing is committed past a parked event: a restart would read acme's events again.
    const ends = await harness.kafka.ends(harness.topics.userChanges);
    const committed = await harness.kafka.committed(harness.groupId, harness.topics.userChanges);
    expect([...ends].some(([partition, end]) => (committed.get(partition) ?? -1) < end)).toBe(true);

    await harness.writeToken('acme', 'rotated-token');
    const results = await harness.results.waitFor(acme.map((e) => e.eventId));
    expect(results.every((r) => r.outcome === 'applied')).toBe(true);
    expect(processor.stats().parked).toEqual([]);
    expect(createdOnce('acme', acme)).toBe(true);
    await expect
      .poll(async () => Object.fromEntries(await harness.kafka.committed(harness.groupId, harness.topics.userChanges)), isRetriedForever(10_000))
      .toEqual(Object.fromEntries(ends));
  });

  it('a tenant whose Terranova keeps failing is parked as unavailable while the others flow', async () => {
    harness.sim.admin.setFaults('acme', { serverError: { rate: 1 } });
    const acme = users('acme', 5);
    await harness.send(acme);
    await expect.poll(() => processor.stats().parked.map((p) => p.reason), isRetriedForever(60_000)).toEqual(['unavailable']);
    const beta = users('beta', 10);
    await harness.send(beta);
    await harness.results.waitFor(beta.map((e) => e.eventId));
    harness.sim.admin.clearFaults('acme');
    const results = await harness.results.waitFor(acme.map((e) => e.eventId), 30_000);
    expect(results.every((r) => r.outcome === 'applied')).toBe(true);
    expect(createdOnce('acme', acme)).toBe(true);
    expect(harness.dlq.messages).toHaveLength(0);
  });
});
