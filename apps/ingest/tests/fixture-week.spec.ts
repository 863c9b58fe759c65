import { describe, expect, it } from 'vitest';
import { runSnapshot } from '../src/lib/commands/snapshot.ts';
import { openRuntime } from '../src/lib/runtime.ts';
import { startIngestService } from '../src/lib/service.ts';
import { expectFinalStates, expectWeekPublished } from './support/assertions.ts';
import { expectationsFor } from './support/fixture-expectations.ts';
import { currentStateCheck, playTimeline, testLogger, useTestResources } from './support/test-bed.ts';
import { readTopic } from './support/topic-reader.ts';

/**
 * The week's group unbinds take several users out at once: their events carry the change headers, and each
 * change counts the users its fan-out takes out (not bound any more), plus the user on the edge when that user
 * left too (an edge user who was never bound is not counted).
 */
function expectChangesMarked(messages: Awaited<ReturnType<typeof readTopic>>): void {
  const byChange = Map.groupBy(messages.filter((m) => m.change !== undefined), (m) => m.change!.id);
  expect(byChange.size).toBeGreaterThan(0);
  for (const [changeId, events] of byChange) {
    expect(events.every((m) => m.event.eventId === changeId || m.event.eventId.startsWith(`${changeId}:`))).toBe(true);
    const leaving = events.filter((m) => m.event.eventId !== changeId && !m.event.bound).length;
    expect(events[0]!.change!.deprovisions - leaving, changeId).toBeOneOf([0, 1]);
    expect(events[0]!.change!.boundUsers).toBeGreaterThanOrEqual(events[0]!.change!.deprovisions);
  }
}

describe('ingest > the fixture week through the poller', () => {
  const resources = useTestResources();

  it.each(['acme', 'globex'])('%s: after a first snapshot and the whole timeline, the last state of every user equals org-final.json', async (tenantId) => {
    const bed = await resources.bed([tenantId]);
    const config = await bed.config();
    const logger = testLogger();
    const runtime = resources.track(await openRuntime(config, logger));
    const snapshot = await runSnapshot(runtime.tenant(tenantId), runtime.publisher);
    const service = resources.track(await startIngestService({ config, logger }));
    let steps = 0;
    // After every step, every user's last published state equals the emulator's org at that moment.
    const stepCheck = currentStateCheck(bed, tenantId, async (current, initial, everSeen, rows) => {
      expectFinalStates(await readTopic(bed.kafka, bed.topic), expectationsFor(current, initial, everSeen, rows));
      steps++;
    });
    await playTimeline(bed, tenantId, 180, stepCheck);
    await service.stop();
    expect(steps).toBeGreaterThan(1);

    const messages = await readTopic(bed.kafka, bed.topic);
    const expectations = await expectWeekPublished(messages, tenantId);
    expect(snapshot.bound).toBe(expectations.initiallyBound.size);
    // Noise (logins, app and group edits, systems lockouts) produced nothing.
    const published = new Set(messages.map((m) => m.event.eventId.split(':')[0]));
    const noise = expectations.rows.filter((r) => ['admin_login_attempt', 'user_login_attempt', 'application_update', 'group_update'].includes(r.event_type) || r.service !== 'directory');
    expect(noise.length).toBeGreaterThan(0);
    expect(noise.filter((r) => published.has(r.id))).toEqual([]);
    expectChangesMarked(messages);
  });
});
