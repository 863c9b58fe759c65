import { describe, expect, it } from 'vitest';
import { openRuntime } from '../src/lib/runtime.ts';
import { startIngestService } from '../src/lib/service.ts';
import { TenantLease } from '../src/lib/store/lease.ts';
import { TenantPoller } from '../src/lib/poller/tenant-poller.ts';
import { expectWeekPublished } from './support/assertions.ts';
import { playTimeline, readCursor, testLogger, useTestResources, waitForCatchUp } from './support/test-bed.ts';
import { readTopic } from './support/topic-reader.ts';

const TENANT = 'globex';

describe('ingest > restarts and crashes', () => {
  const resources = useTestResources();

  it('a restarted ingest resumes from the cursor: no gap, no event id twice', async () => {
    const bed = await resources.bed([TENANT]);
    const config = await bed.config();
    const first = resources.track(await startIngestService({ config, logger: testLogger() }));
    await bed.sim.admin('POST', `/tenants/${TENANT}/timeline/next`, { count: 140 });
    await waitForCatchUp(bed, TENANT);
    const cursorAtStop = await readCursor(bed, TENANT);
    await first.stop();
    // The rest of the week happens while no ingest runs.
    await bed.sim.admin('POST', `/tenants/${TENANT}/timeline/all`);
    resources.track(await startIngestService({ config, logger: testLogger() }));
    await waitForCatchUp(bed, TENANT);

    expect(cursorAtStop?.timestamp).toBeDefined();
    await expectWeekPublished(await readTopic(bed.kafka, bed.topic), TENANT);
  });

  it('a crash between publishing and committing is finished by the next poll without repeating an event', async () => {
    const bed = await resources.bed([TENANT]);
    const config = await bed.config();
    let crashes = 0;
    // Fails the 2nd and 4th batch after they reached Kafka, before the cursor moved: what a crash leaves behind.
    let batches = 0;
    const afterPublish = () => {
      batches++;
      if (batches === 2 || batches === 4) {
        crashes++;
        throw new Error('simulated crash after publish');
      }
    };
    const service = resources.track(await startIngestService({ config, logger: testLogger(), afterPublish }));
    await playTimeline(bed, TENANT, 50);

    expect(crashes).toBe(2);
    const recovered = await service.runtime.metrics.pendingRecovered.get();
    expect(recovered.values[0]?.value).toBe(2);
    await expectWeekPublished(await readTopic(bed.kafka, bed.topic), TENANT);
  });

  it('completes a pending batch that only partly reached Kafka by publishing just the missing events', async () => {
    const bed = await resources.bed([TENANT]);
    const config = await bed.config();
    const runtime = resources.track(await openRuntime(config, testLogger()));
    const ctx = runtime.tenant(TENANT);
    await bed.sim.admin('POST', `/tenants/${TENANT}/timeline/next`, { count: 60 });
    // A first poll under a lease, stopped right after its first batch reached Kafka.
    const lease = new TenantLease(runtime.redis, ctx.store.keys.lease, 'test');
    expect(await lease.tryAcquire(10_000)).toBe(true);
    const crashing = new TenantPoller({ ctx, publisher: runtime.publisher, kafka: runtime.kafka, settings: config.poll, startTime: '2026-11-20T00:00:00Z', afterPublish: () => Promise.reject(new Error('crash')) });
    await expect(crashing.pollOnce(lease.token as string)).rejects.toThrow('crash');
    const pending = await ctx.store.readPending();
    expect(pending?.messages.length).toBeGreaterThan(3);
    // Make the batch one that only partly reached Kafka: add three messages under ids Kafka has never seen.
    const unsent = (pending?.messages ?? []).slice(0, 3).map((m) => ({ ...m, eventId: `${m.eventId}-unsent`, value: m.value.replace(`"eventId":"${JSON.parse(m.value).eventId}"`, `"eventId":"${JSON.parse(m.value).eventId}-unsent"`) }));
    await ctx.store.writePending(lease.token as string, { ...(pending as NonNullable<typeof pending>), messages: [...(pending?.messages ?? []), ...unsent] });

    const poller = new TenantPoller({ ctx, publisher: runtime.publisher, kafka: runtime.kafka, settings: config.poll, startTime: '2026-11-20T00:00:00Z' });
    const outcome = await poller.pollOnce(lease.token as string);
    expect(outcome.recovered).toBe(1);
    expect(await ctx.store.readPending()).toBeUndefined();
    const ids = (await readTopic(bed.kafka, bed.topic)).map((m) => m.event.eventId);
    expect(ids.filter((id) => id.endsWith('-unsent'))).toHaveLength(3);
    expect(ids.length).toBe(new Set(ids).size);
    for (const message of pending?.messages ?? []) expect(ids).toContain(message.eventId);
  });
});
