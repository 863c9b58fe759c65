import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELD_MASS_DEPROVISION, ProcessorControls, REJECTED_MASS_DEPROVISION } from '@provisioning/processor-controls';
import { CHANGE_HEADERS, type ChangeFacts } from '@provisioning/schemas';
import type { Processor } from '../src/lib/processor.ts';
import { changeMessage, toMessage, userEvent, type UserSpec } from './support/events.ts';
import { ProcessorHarness } from './support/harness.ts';

/**
 * The mass-deprovision guard through a running processor: the change headers the ingest writes decide whether
 * a deprovision is held, approved changes apply, rejected ones are dropped, and everything else keeps flowing.
 */
describe('processor > mass-deprovision guard', () => {
  let harness: ProcessorHarness;
  let processor: Processor;
  let controls: ProcessorControls;

  beforeAll(async () => {
    harness = await ProcessorHarness.create({
      tenants: [{ id: 'acme', massDeprovisionGuard: { maxUsers: 3, maxPercent: 50 } }, { id: 'globex', massDeprovisionGuard: { enabled: false } }],
    });
    processor = await harness.startProcessor();
    controls = new ProcessorControls(harness.redis, harness.keyPrefix);
  });
  afterAll(() => harness.close());

  const who = (tenantId = 'acme') => ({ tenantId, userId: `u-${randomUUID().slice(0, 8)}` });

  /** Creates users in Terranova (bound, active), then returns their ids. */
  async function provisioned(count: number, tenantId = 'acme'): Promise<UserSpec[]> {
    const users = Array.from({ length: count }, () => who(tenantId));
    const events = users.map((u) => userEvent(u));
    await harness.send(events);
    const results = await harness.results.waitFor(events.map((e) => e.eventId));
    expect(results.every((r) => r.action === 'create' && r.outcome === 'applied')).toBe(true);
    return users;
  }

  /** The unbind of `users` as one change: one state event each, with the change headers. */
  async function unbind(users: readonly UserSpec[], change: ChangeFacts) {
    const events = users.map((u) => userEvent({ ...u, bound: false, eventId: `${change.id}:${u.userId}` }));
    await harness.send(events.map((e) => changeMessage(e, change)));
    return harness.results.waitFor(events.map((e) => e.eventId));
  }

  const active = (tenantId: string, userId: string) => harness.sim.admin.userByUserName(tenantId, `${userId}@example.com`)?.active;

  it('holds every deprovision of a change over the count limit, reports it, and lets other events flow', async () => {
    const users = await provisioned(5);
    const writesBefore = harness.writes('acme');
    const change = { id: `di-${randomUUID().slice(0, 8)}`, deprovisions: 5, boundUsers: 100 };
    const [results, other] = await Promise.all([unbind(users, change), provisioned(1)]);
    expect(results.every((r) => r.outcome === 'skipped' && r.reason === HELD_MASS_DEPROVISION && r.action === 'deactivate')).toBe(true);
    expect(results.every((r) => r.scimId !== undefined && r.scimCalls === undefined)).toBe(true);
    expect(harness.writes('acme')).toBe(writesBefore + other.length);
    expect(users.every((u) => active('acme', u.userId) === true)).toBe(true);
    const held = await controls.held('acme', change.id);
    expect(held.map((h) => h.userId).sort()).toEqual(users.map((u) => u.userId).sort());
    expect(held[0]).toMatchObject({ action: 'deactivate', change: { deprovisions: 5, boundUsers: 100 }, message: { headers: { [CHANGE_HEADERS.id]: change.id } } });
    const metrics = await (await fetch(`${processor.opsUrl}/metrics`)).text();
    expect(metrics).toMatch(/processor_deprovisions_held_total\{tenant="acme"\} [5-9]/);
  });

  it('holds a change over the percentage of bound users, and applies one under both limits', async () => {
    const [small, share] = [await provisioned(2), await provisioned(2)];
    const under = await unbind(small, { id: `di-${randomUUID().slice(0, 8)}`, deprovisions: 2, boundUsers: 100 });
    expect(under.map((r) => [r.action, r.outcome])).toEqual([['deactivate', 'applied'], ['deactivate', 'applied']]);
    expect(under[0]?.scimCalls).toEqual([expect.objectContaining({ operation: 'patch', method: 'PATCH', outcome: 'ok', attributes: ['active'] })]);
    const over = await unbind(share, { id: `di-${randomUUID().slice(0, 8)}`, deprovisions: 2, boundUsers: 3 });
    expect(over.map((r) => r.reason)).toEqual([HELD_MASS_DEPROVISION, HELD_MASS_DEPROVISION]);
  });

  it('applies held deprovisions once their change is approved and the held states come back', async () => {
    const users = await provisioned(4);
    const change = { id: `di-${randomUUID().slice(0, 8)}`, deprovisions: 4, boundUsers: 100 };
    await unbind(users.slice(0, 3), change);
    await controls.decide('acme', change.id, 'approved');
    // What `ops approve` does: the held messages again, under new event ids, without the change headers.
    const held = await controls.held('acme', change.id);
    const again = held.map((h) => {
      const event = { ...JSON.parse(h.message.value), eventId: `${h.eventId}:approved` };
      return { key: h.message.key, value: JSON.stringify(event), headers: { [CHANGE_HEADERS.approved]: change.id } };
    });
    await harness.send(again);
    const released = await harness.results.waitFor(held.map((h) => `${h.eventId}:approved`));
    expect(released.every((r) => r.action === 'deactivate' && r.outcome === 'applied')).toBe(true);
    // A late event of the approved change applies at once.
    const [late] = await unbind(users.slice(3), change);
    expect(late).toMatchObject({ action: 'deactivate', outcome: 'applied' });
    expect(users.every((u) => active('acme', u.userId) === false)).toBe(true);
  });

  it('drops the deprovisions of a rejected change: nothing sent, the users stay active', async () => {
    const users = await provisioned(4);
    const change = { id: `di-${randomUUID().slice(0, 8)}`, deprovisions: 4, boundUsers: 100 };
    await controls.decide('acme', change.id, 'rejected');
    const results = await unbind(users, change);
    expect(results.every((r) => r.outcome === 'skipped' && r.reason === REJECTED_MASS_DEPROVISION)).toBe(true);
    expect(users.every((u) => active('acme', u.userId) === true)).toBe(true);
    expect(await controls.held('acme', change.id)).toEqual([]);
  });

  it('never holds a tenant whose guard is off, nor an event without change headers', async () => {
    const users = await provisioned(4, 'globex');
    const results = await unbind(users, { id: `di-${randomUUID().slice(0, 8)}`, deprovisions: 400, boundUsers: 400 });
    expect(results.every((r) => r.action === 'deactivate' && r.outcome === 'applied')).toBe(true);
    const [single] = await provisioned(1);
    const plain = userEvent({ ...single!, bound: false });
    await harness.send([toMessage(plain)]);
    const [result] = await harness.results.waitFor([plain.eventId]);
    expect(result).toMatchObject({ action: 'deactivate', outcome: 'applied' });
  });
});
