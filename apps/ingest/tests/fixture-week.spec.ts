import { afterEach, describe, expect, it } from 'vitest';
import { runSnapshot } from '../src/lib/commands/snapshot.ts';
import { openRuntime } from '../src/lib/runtime.ts';
import { startIngestService, type IngestService } from '../src/lib/service.ts';
import { expectFinalStates, expectNoGap, expectWellFormed } from './support/assertions.ts';
import { expectationsFor, loadExpectations } from './support/fixture-expectations.ts';
import { createTestBed, currentStateCheck, playTimeline, testLogger, type TestBed } from './support/test-bed.ts';
import { readTopic } from './support/topic-reader.ts';

describe('ingest > the fixture week through the poller', () => {
  let bed: TestBed | undefined;
  let service: IngestService | undefined;
  afterEach(async () => {
    await service?.stop();
    await bed?.cleanup();
    service = undefined;
    bed = undefined;
  });

  it.each(['acme', 'globex'])('%s: after a first snapshot and the whole timeline, the last state of every user equals org-final.json', async (tenantId) => {
    bed = await createTestBed([tenantId]);
    const config = await bed.config();
    const logger = testLogger();
    const runtime = await openRuntime(config, logger);
    const snapshot = await runSnapshot(runtime.tenant(tenantId), runtime.publisher);
    await runtime.close();
    service = await startIngestService({ config, logger });
    const testBed = bed;
    let steps = 0;
    const stepCheck = currentStateCheck(testBed, tenantId, async (current, initial, everSeen, rows) => {
      const messages = await readTopic(testBed.kafka, testBed.topic);
      expectFinalStates(messages, expectationsFor(current, initial, everSeen, rows));
      steps++;
    });
    await playTimeline(bed, tenantId, 180, stepCheck);
    expect(steps).toBeGreaterThan(1);
    await service.stop();
    service = undefined;

    const expectations = await loadExpectations(tenantId);
    expect(snapshot.bound).toBe(expectations.initiallyBound.size);
    const messages = await readTopic(bed.kafka, bed.topic);
    expectWellFormed(messages, tenantId);
    expectNoGap(messages, expectations);
    expectFinalStates(messages, expectations);
    // Noise (logins, app and group edits, systems lockouts) produced nothing.
    const published = new Set(messages.map((m) => m.event.eventId.split(':')[0]));
    const noise = expectations.rows.filter((r) => ['admin_login_attempt', 'user_login_attempt', 'application_update', 'group_update'].includes(r.event_type) || r.service !== 'directory');
    expect(noise.length).toBeGreaterThan(0);
    expect(noise.filter((r) => published.has(r.id))).toEqual([]);
  });
});
