import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tenantKeys } from '../src/lib/store/tenant-keys.ts';
import { expectWeekPublished } from './support/assertions.ts';
import { metricValue, startIngestProcess, type IngestProcess } from './support/ingest-process.ts';
import { useTestResources, waitForCatchUp } from './support/test-bed.ts';
import { readTopic } from './support/topic-reader.ts';

const TENANT = 'globex';

describe('ingest > several replicas, one lease per tenant', () => {
  const resources = useTestResources();
  let dir: string | undefined;
  const replicas: IngestProcess[] = [];
  afterEach(async () => {
    for (const replica of replicas.splice(0)) {
      if (replica.child.exitCode === null && replica.child.signalCode === null) replica.child.kill('SIGKILL');
      await replica.exited;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a replica killed mid-timeline is replaced within seconds: the cursor continues, no gap, no event published twice', async () => {
    const bed = await resources.bed([TENANT]);
    const testBed = bed;
    dir = await mkdtemp(join(tmpdir(), 'ingest-replicas-'));
    const leaseKey = tenantKeys(bed.keyPrefix, TENANT).lease;
    const holder = async () => (await testBed.redis.get(leaseKey))?.split(':')[0];
    const config = (instanceId: string) => testBed.configInput({ instanceId, logLevel: 'info', poll: { intervalMs: 50, overlapMs: 1_000, lagMs: 0, pageSize: 20 } });
    const step = async (count: number) => {
      await testBed.sim.admin('POST', `/tenants/${TENANT}/timeline/next`, { count });
      await waitForCatchUp(testBed, TENANT, 30_000);
    };

    // Replica A dies by SIGKILL right after its 4th batch reached Kafka, before committing it.
    const a = await startIngestProcess(dir, 'a', config('replica-a'), { ...bed.env, INGEST_FAILPOINT: 'crash-after-publish:4' });
    replicas.push(a);
    await expect.poll(holder, { timeout: 10_000, interval: 50 }).toBe('replica-a');
    const b = await startIngestProcess(dir, 'b', config('replica-b'), bed.env);
    replicas.push(b);
    await step(100);
    expect((await a.exited).signal).toBe('SIGKILL');
    expect(await holder()).toBe('replica-b');
    expect(await metricValue(b.url, /ingest_pending_batches_recovered_total\{tenant="globex"\} (\d+)/)).toBe(1);

    // Replica C stands by; the test kills B while a slowed-down step is in hand.
    const c = await startIngestProcess(dir, 'c', config('replica-c'), bed.env);
    replicas.push(c);
    await step(60);
    await bed.sim.admin('POST', '/faults', { area: 'systemusers', delayMs: 15, count: 40 });
    await bed.sim.admin('POST', `/tenants/${TENANT}/timeline/next`, { count: 60 });
    b.child.kill('SIGKILL');
    expect((await b.exited).signal).toBe('SIGKILL');
    await waitForCatchUp(bed, TENANT, 30_000);
    expect(await holder()).toBe('replica-c');
    await bed.sim.admin('POST', `/tenants/${TENANT}/timeline/all`);
    await waitForCatchUp(bed, TENANT, 30_000);

    await expectWeekPublished(await readTopic(bed.kafka, bed.topic), TENANT);
    const leases = a.logLines.concat(b.logLines, c.logLines).filter((l) => l['msg'] === 'lease acquired; polling');
    expect(leases.length).toBe(3);
  });
});
