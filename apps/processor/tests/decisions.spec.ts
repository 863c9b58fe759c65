import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DLQ_HEADERS } from '@provisioning/schemas';
import type { Processor } from '../src/lib/processor.ts';
import { userEvent, type UserSpec } from './support/events.ts';
import { ProcessorHarness } from './support/harness.ts';

/**
 * Every row of the decision table, renames, idempotency, the stale guard and bad input, through one running
 * processor (real Kafka and Redis, the Terranova emulator). Each test uses users of its own.
 */
describe('processor > decisions against the Terranova emulator', () => {
  let harness: ProcessorHarness;
  let processor: Processor;

  beforeAll(async () => {
    harness = await ProcessorHarness.create({
      tenants: [
        { id: 'acme' },
        { id: 'globex', deprovisionMode: 'delete' },
        { id: 'paused', enabled: false },
        // A misconfigured override that sends the one tag Terranova refuses: every French user gets a 400.
        { id: 'strict', mapping: { languageOverrides: { fr: 'en-US' } } },
      ],
    });
    processor = await harness.startProcessor();
  });
  afterAll(() => harness.close());

  const user = (tenantId = 'acme') => ({ tenantId, userId: `u-${randomUUID().slice(0, 8)}` });
  const simUser = (tenantId: string, userName: string) => harness.sim.admin.userByUserName(tenantId, userName);
  const counts = (tenantId: string, userName: string) => harness.sim.admin.requestLog(tenantId, 0).byUserName[userName.toLowerCase()];

  /** Sends the events and waits for their results, in order. */
  async function run(...specs: UserSpec[]) {
    const events = specs.map(userEvent);
    await harness.send(events);
    return harness.results.waitFor(events.map((e) => e.eventId));
  }

  it('bound and ACTIVATED, not in Terranova: creates the user with one POST and no lookup', async () => {
    const who = user();
    const [result] = await run({ ...who, username: `${who.userId}@acme.test`, firstname: 'Zoë', lastname: "O'Neil", preferredLanguage: 'en_US' });
    expect(result).toMatchObject({ action: 'create', outcome: 'applied', userName: `${who.userId}@acme.test`, attempts: 1 });
    const stored = simUser('acme', `${who.userId}@acme.test`);
    expect(stored).toMatchObject({ name: { givenName: 'Zoë', familyName: "O'Neil" }, active: true, preferredLanguage: 'en', id: result?.scimId });
    expect(counts('acme', `${who.userId}@acme.test`)).toMatchObject({ POST: 1, GET: 0, created: 1 });
  });

  it('bound and ACTIVATED, in Terranova: PATCHes only what changed and keeps Terranova\'s role', async () => {
    const who = user();
    const [created] = await run({ ...who, lastname: 'Before' });
    harness.sim.admin.setRole('acme', created!.scimId!, 'phishing-admin');
    const [updated] = await run({ ...who, lastname: 'After' });
    expect(updated).toMatchObject({ action: 'update', outcome: 'applied', scimId: created!.scimId, attempts: 1 });
    expect(simUser('acme', created!.userName)).toMatchObject({ name: { familyName: 'After' }, role: 'phishing-admin' });
    expect(counts('acme', created!.userName)).toMatchObject({ POST: 1, PATCH: 1, PUT: 0 });
  });

  it('nothing changed (a lockout or password event): no SCIM call at all', async () => {
    const who = user();
    await run({ ...who });
    const before = harness.writes('acme');
    const [locked] = await run({ ...who, accountLocked: true });
    expect(locked).toMatchObject({ action: 'none', outcome: 'skipped', reason: 'up-to-date', attempts: 0 });
    expect(harness.writes('acme')).toBe(before);
  });

  it('in Terranova but unknown to us: the create finds it (409) and brings it up to date', async () => {
    const who = user();
    const userName = `${who.userId}@acme.test`;
    harness.sim.admin.seedUser('acme', { userName, name: { givenName: 'Old' }, emails: [{ value: userName, type: 'work', primary: true }], active: true });
    const [result] = await run({ ...who, username: userName, firstname: 'New' });
    expect(result).toMatchObject({ action: 'update', outcome: 'applied' });
    expect(harness.sim.admin.users('acme').filter((u) => u.userName === userName)).toHaveLength(1);
    expect(simUser('acme', userName)).toMatchObject({ name: { givenName: 'New' } });
  });

  it('SUSPENDED deactivates, ACTIVATED again reactivates, with one PATCH each', async () => {
    const who = user();
    const [created, suspended, back] = await run({ ...who }, { ...who, state: 'SUSPENDED' }, { ...who, state: 'ACTIVATED' });
    expect(suspended).toMatchObject({ action: 'deactivate', outcome: 'applied', scimId: created!.scimId });
    expect(back).toMatchObject({ action: 'reactivate', outcome: 'applied', scimId: created!.scimId });
    expect(simUser('acme', created!.userName)).toMatchObject({ active: true });
    expect(counts('acme', created!.userName)).toMatchObject({ POST: 1, PATCH: 2 });
  });

  it('SUSPENDED or STAGED and not in Terranova: never creates an inactive user', async () => {
    const suspended = user();
    const staged = user();
    const results = await run({ ...suspended, state: 'SUSPENDED' }, { ...staged, state: 'STAGED' });
    for (const result of results) expect(result).toMatchObject({ action: 'none', outcome: 'skipped', reason: 'not-in-terranova' });
    expect(simUser('acme', `${suspended.userId}@example.com`)).toBeUndefined();
    expect(simUser('acme', `${staged.userId}@example.com`)).toBeUndefined();
  });

  it('unbound or deleted, deactivate mode: PATCH active false, the user stays', async () => {
    const unbound = user();
    const deleted = user();
    const [, unbind] = await run({ ...unbound }, { ...unbound, bound: false });
    const [, remove] = await run({ ...deleted }, { ...deleted, deleted: true });
    expect(unbind).toMatchObject({ action: 'deactivate', outcome: 'applied' });
    expect(remove).toMatchObject({ action: 'deactivate', outcome: 'applied' });
    expect(simUser('acme', unbind!.userName)).toMatchObject({ active: false });
    expect(simUser('acme', remove!.userName)).toMatchObject({ active: false });
  });

  it('unbound or deleted, delete mode: DELETE, and a later bind creates the user anew', async () => {
    const unbound = user('globex');
    const deleted = user('globex');
    const [first, unbind, rebind] = await run({ ...unbound }, { ...unbound, bound: false }, { ...unbound });
    const [, remove] = await run({ ...deleted }, { ...deleted, deleted: true });
    expect(unbind).toMatchObject({ action: 'delete', outcome: 'applied', scimId: first!.scimId });
    expect(remove).toMatchObject({ action: 'delete', outcome: 'applied' });
    expect(rebind).toMatchObject({ action: 'create', outcome: 'applied' });
    expect(simUser('globex', remove!.userName)).toBeUndefined();
    expect(counts('globex', first!.userName)).toMatchObject({ POST: 2, DELETE: 1 });
  });

  it('a renamed username renames the same Terranova user by its stored id', async () => {
    const who = user();
    const [created, renamed] = await run(
      { ...who, username: `${who.userId}-old@acme.test` },
      { ...who, username: `${who.userId}-new@acme.test`, previousUsernames: [`${who.userId}-old@acme.test`] },
    );
    expect(renamed).toMatchObject({ action: 'update', scimId: created!.scimId, userName: `${who.userId}-new@acme.test` });
    expect(simUser('acme', `${who.userId}-old@acme.test`)).toBeUndefined();
    expect(simUser('acme', `${who.userId}-new@acme.test`)).toMatchObject({ id: created!.scimId });
    expect(counts('acme', `${who.userId}-new@acme.test`)?.POST ?? 0).toBe(0);
  });

  it('a rename with our state lost finds the user by its previous username', async () => {
    const who = user();
    const old = `${who.userId}-before@acme.test`;
    const seeded = harness.sim.admin.seedUser('acme', { userName: old, emails: [{ value: old, type: 'work', primary: true }], active: true });
    const [result] = await run({ ...who, username: `${who.userId}-after@acme.test`, previousUsernames: [old] });
    expect(result).toMatchObject({ action: 'update', scimId: seeded.id });
    expect(harness.sim.admin.users('acme').filter((u) => u.id === seeded.id || u.userName.startsWith(who.userId))).toHaveLength(1);
  });

  it('a duplicate or redelivered event makes one SCIM write; the others are skipped as duplicates', async () => {
    const who = user();
    const event = userEvent({ ...who });
    await harness.send([event, event, event]);
    await expect.poll(() => harness.results.forEvent(event.eventId).length, { timeout: 20_000 }).toBe(3);
    const outcomes = harness.results.forEvent(event.eventId).map((r) => `${r.outcome}/${r.reason ?? r.action}`);
    expect(outcomes.sort()).toEqual(['applied/create', 'skipped/duplicate', 'skipped/duplicate']);
    expect(counts('acme', event.user.username)).toMatchObject({ POST: 1, created: 1 });
  });

  it('a state older than the one applied is skipped as stale, with no SCIM call', async () => {
    const who = user();
    const older = userEvent({ ...who, lastname: 'Older', observedAt: '2020-01-01T00:00:00.000Z' });
    const [newer] = await run({ ...who, lastname: 'Newer' });
    await harness.send([older]);
    const [stale] = await harness.results.waitFor([older.eventId]);
    expect(stale).toMatchObject({ action: 'none', outcome: 'skipped', reason: 'stale', attempts: 0 });
    expect(simUser('acme', newer!.userName)).toMatchObject({ name: { familyName: 'Newer' } });
  });

  it('a permanent 4xx gives a failed result and a DLQ entry, and the stream goes on', async () => {
    const who = user('strict');
    const rejected = userEvent({ ...who, preferredLanguage: 'fr' });
    await harness.send([rejected]);
    const [result] = await harness.results.waitFor([rejected.eventId]);
    expect(result).toMatchObject({ outcome: 'failed', reason: 'SCIM_INVALID_REQUEST', httpStatus: 400 });
    await expect.poll(() => harness.dlq.messages.find((m) => m.value?.includes(rejected.eventId))).toBeDefined();
    const letter = harness.dlq.messages.find((m) => m.value?.includes(rejected.eventId))!;
    expect(letter.headers[DLQ_HEADERS.errorCode]).toBe('SCIM_INVALID_REQUEST');
    expect(letter.headers[DLQ_HEADERS.originalTopic]).toBe(harness.topics.userChanges);
    expect(letter.key).toBe(`strict:${who.userId}`);
    const [fixed] = await run({ ...who, preferredLanguage: 'de' });
    expect(fixed).toMatchObject({ action: 'create', outcome: 'applied' });
  });

  it('bad input goes to the DLQ with a clear reason, and the stream goes on', async () => {
    const valid = userEvent({ ...user() });
    const wrongKey = userEvent({ ...user() });
    const unknownTenant = userEvent({ ...user('nobody') });
    const disabled = userEvent({ ...user('paused') });
    await harness.send([
      { key: 'acme:x1', value: '{ not json' },
      { key: 'acme:x2', value: JSON.stringify({ schemaVersion: 1, eventId: 'bad-1', tenantId: 'acme' }) },
      { key: 'acme:x3', value: JSON.stringify({ schemaVersion: 9, eventId: 'future-1' }) },
      { key: 'acme:someone-else', value: JSON.stringify(wrongKey) },
      { key: `nobody:${unknownTenant.userId}`, value: JSON.stringify(unknownTenant) },
      { key: `paused:${disabled.userId}`, value: JSON.stringify(disabled) },
      { key: `acme:${valid.userId}`, value: JSON.stringify(valid) },
    ]);
    const [applied] = await harness.results.waitFor([valid.eventId]);
    expect(applied).toMatchObject({ outcome: 'applied' });
    await expect.poll(() => harness.dlq.messages.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(6);
    const codes = (key: string) => harness.dlq.messages.filter((m) => m.key === key).map((m) => m.headers[DLQ_HEADERS.errorCode]);
    expect(codes('acme:x1')).toEqual(['EVENT_NOT_JSON']);
    expect(codes('acme:x2')).toEqual(['EVENT_INVALID']);
    expect(codes('acme:x3')).toEqual(['EVENT_UNSUPPORTED_VERSION']);
    expect(codes('acme:someone-else')).toEqual(['EVENT_KEY_MISMATCH']);
    expect(codes(`nobody:${unknownTenant.userId}`)).toEqual(['TENANT_UNKNOWN']);
    // A disabled tenant's event is not bad input: it waits (see tenants.spec.ts), it is never dead-lettered.
    expect(codes(`paused:${disabled.userId}`)).toEqual([]);
    expect(harness.dlq.messages.find((m) => m.key === 'acme:x2')?.headers[DLQ_HEADERS.errorMessage]).toMatch(/^deleted: /);
    expect(harness.results.forEvent(disabled.eventId)).toEqual([]);
    expect(harness.results.forEvent('bad-1')[0]).toMatchObject({ outcome: 'failed', reason: 'EVENT_INVALID', userId: 'x2' });
  });

  it('serves health, readiness and Prometheus metrics', async () => {
    const get = async (path: string) => {
      const response = await fetch(`${processor.opsUrl}${path}`);
      return { status: response.status, text: await response.text() };
    };
    expect((await get('/healthz')).status).toBe(200);
    expect(await get('/readyz')).toMatchObject({ status: 200 });
    const metrics = (await get('/metrics')).text;
    for (const name of [
      'processor_events_consumed_total',
      'processor_events_applied_total{action="create"}',
      'processor_events_skipped_total{reason="duplicate"}',
      'processor_events_failed_total{code="SCIM_INVALID_REQUEST"}',
      'processor_scim_request_duration_seconds_bucket',
      'processor_rate_limit_wait_seconds_bucket',
      'processor_events_in_flight',
      'processor_consumer_lag{partition=',
    ]) {
      expect(metrics).toContain(name);
    }
  });
});
