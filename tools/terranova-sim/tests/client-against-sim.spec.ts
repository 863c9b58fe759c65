import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { createCallStats, ScimClient, SCIM_ERROR_CODES, type ScimClientOptions } from '@provisioning/scim-client';
import { DEFAULT_ROLE, startTerranovaSim, type TerranovaSim } from '../src/index.ts';

const TENANT = 'acme';
const TOKEN = 'token-acme-0123456789';
const FAST = { minDelayMs: 5, maxDelayMs: 20, maxAttempts: 4, maxElapsedMs: 10_000 };

function person(userName: string, extra: Record<string, unknown> = {}) {
  return {
    userName,
    name: { givenName: 'Ann', familyName: 'Lee' },
    emails: [{ value: `${userName.toLowerCase()}`, type: 'work', primary: true }],
    active: true,
    preferredLanguage: 'en',
    ...extra,
  };
}

describe('terranova-sim > the SCIM client against the emulator', () => {
  let sim: TerranovaSim;
  let client: ScimClient;
  const clientFor = (options: Partial<ScimClientOptions> = {}) =>
    new ScimClient({ baseUrl: sim.scimBaseUrl(TENANT), token: TOKEN, retry: FAST, timeoutMs: 2000, ...options });
  beforeAll(async () => {
    sim = await startTerranovaSim({ tenants: [{ id: TENANT, token: TOKEN }, { id: 'globex', token: 'token-globex-0123456789' }] });
    client = clientFor();
  });
  beforeEach(() => sim.admin.reset(TENANT));
  afterAll(async () => {
    await client.close();
    await sim.close();
  });

  describe('operations', () => {
    it('creates with the default learner role and finds the user case-insensitively, + intact', async () => {
      const { user, outcome } = await client.createUser(person('Ann+Ops@Example.com'));
      expect(outcome).toBe('created');
      expect(user).toMatchObject({ userName: 'Ann+Ops@Example.com', role: DEFAULT_ROLE });
      expect(await client.findUserByUserName('ann+ops@example.COM')).toMatchObject({ id: user.id });
      expect(await client.getUser(user.id ?? '')).toMatchObject({ id: user.id });
      expect(await client.findUserByUserName('nobody@example.com')).toBeUndefined();
    });

    it('keeps the Terranova role through a PATCH and through GET-merge-PUT', async () => {
      const { user } = await client.createUser(person('role@example.com'));
      const id = user.id ?? '';
      sim.admin.setRole(TENANT, id, 'Administrator');
      expect(await client.patchUser(id, { Operations: [{ op: 'replace', path: 'name.givenName', value: 'Annie' }] })).toMatchObject({ role: 'Administrator', name: { givenName: 'Annie' } });
      expect(await client.replaceUser(id, { userName: 'role@example.com', active: false })).toMatchObject({ role: 'Administrator', active: false, name: { givenName: 'Annie' } });
    });

    it('resets the role on a plain PUT that leaves it out, as a full replace does', async () => {
      const { user } = await client.createUser(person('plain-put@example.com'));
      sim.admin.setRole(TENANT, user.id ?? '', 'Administrator');
      const response = await request(`${sim.scimBaseUrl(TENANT)}/Users/${user.id}`, {
        method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/scim+json' }, body: JSON.stringify(person('plain-put@example.com')),
      });
      expect(((await response.body.json()) as { role: string }).role).toBe(DEFAULT_ROLE);
    });

    it('deletes, and deleting again is success', async () => {
      const { user } = await client.createUser(person('gone@example.com'));
      expect(await client.deleteUser(user.id ?? '')).toBe('deleted');
      expect(await client.deleteUser(user.id ?? '')).toBe('absent');
      expect(await client.getUser(user.id ?? '')).toBeUndefined();
    });

    it('lists every user over several pages', async () => {
      const lister = clientFor({ pageSize: 7 });
      for (let index = 0; index < 23; index++) sim.admin.seedUser(TENANT, person(`u${index}@example.com`));
      const stats = createCallStats();
      expect(await lister.listAllUsers({ stats })).toHaveLength(23);
      expect(stats.requests).toBe(4);
      await lister.close();
    });

    it('keeps tenants apart', async () => {
      await client.createUser(person('only-acme@example.com'));
      const globex = new ScimClient({ baseUrl: sim.scimBaseUrl('globex'), token: 'token-globex-0123456789' });
      expect(await globex.findUserByUserName('only-acme@example.com')).toBeUndefined();
      await globex.close();
    });
  });

  describe("Terranova's quirks", () => {
    it('refuses preferredLanguage en-US with 400 invalidValue', async () => {
      await expect(client.createUser(person('lang@example.com', { preferredLanguage: 'en-US' }))).rejects.toMatchObject({
        code: SCIM_ERROR_CODES.invalidRequest, httpStatus: 400, scimType: 'invalidValue',
      });
    });

    it('accepts bare and regional language tags other than en-US, and refuses what is no tag at all', async () => {
      const regional = await client.createUser(person('lang-ca@example.com', { preferredLanguage: 'fr-CA' }));
      expect(regional.user.preferredLanguage).toBe('fr-CA');
      const bare = await client.createUser(person('lang-en@example.com', { preferredLanguage: 'en' }));
      expect(bare.user.preferredLanguage).toBe('en');
      await expect(client.createUser(person('lang-bad@example.com', { preferredLanguage: 'not a tag' }))).rejects.toMatchObject({
        httpStatus: 400, scimType: 'invalidValue',
      });
    });

    it('refuses a filter on emails with 400 invalidFilter, and answers /Groups with 404', async () => {
      const base = sim.scimBaseUrl(TENANT);
      const headers = { authorization: `Bearer ${TOKEN}` };
      const byEmail = await request(`${base}/Users?filter=${encodeURIComponent('emails[type eq "work" and value eq "a@b.c"]')}`, { headers });
      expect(byEmail.statusCode).toBe(400);
      expect(await byEmail.body.json()).toMatchObject({ status: '400', scimType: 'invalidFilter' });
      const groups = await request(`${base}/Groups`, { headers });
      expect(groups.statusCode).toBe(404);
      await groups.body.dump();
    });

    it('answers a duplicate userName in another case with 409, which the client turns into the existing user', async () => {
      const first = await client.createUser(person('dup@example.com'));
      expect(await client.createUser(person('DUP@example.com'))).toMatchObject({ outcome: 'existing', user: { id: first.user.id } });
      expect(sim.admin.requestLog(TENANT).byUserName['dup@example.com']).toMatchObject({ POST: 2, created: 1 });
    });

    it('reports a user that exists but no lookup shows (hidden) as a conflict not visible', async () => {
      sim.admin.seedUser(TENANT, person('jit@example.com'), { hidden: true });
      await expect(client.createUser(person('jit@example.com'))).rejects.toMatchObject({ code: SCIM_ERROR_CODES.conflictNotVisible });
    });

    it('answers a wrong token with 401 (SCIM_AUTH), and follows a token rotation', async () => {
      const wrong = clientFor({ token: 'wrong-token-000000' });
      await expect(wrong.findUserByUserName('x')).rejects.toMatchObject({ code: SCIM_ERROR_CODES.auth, httpStatus: 401, retriable: false, attempts: 1 });
      await wrong.close();
      let current = TOKEN;
      const rotating = clientFor({ token: () => current });
      sim.admin.setToken(TENANT, 'token-acme-rotated-42');
      await expect(rotating.findUserByUserName('x')).rejects.toMatchObject({ code: SCIM_ERROR_CODES.auth });
      current = 'token-acme-rotated-42';
      expect(await rotating.findUserByUserName('x')).toBeUndefined();
      await rotating.close();
    });
  });

  describe('faults', () => {
    it('429 with Retry-After: waited out without using attempts, and onRateLimited is told', async () => {
      const told: (number | undefined)[] = [];
      const limited = clientFor({ onRateLimited: (ms) => told.push(ms), retry: { ...FAST, maxAttempts: 1 } });
      sim.admin.setFaults(TENANT, { rateLimit: { count: 3, retryAfterSeconds: 0 } });
      const stats = createCallStats();
      expect((await limited.createUser(person('patient@example.com'), { stats })).outcome).toBe('created');
      expect(stats).toMatchObject({ rateLimited: 3, requests: 4 });
      expect(told).toEqual([0, 0, 0]);
      await limited.close();
    });

    it('429 with an HTTP-date Retry-After is honoured', async () => {
      sim.admin.setFaults(TENANT, { rateLimit: { count: 1, retryAfterSeconds: 1, retryAfterAsDate: true } });
      await expect(client.findUserByUserName('x')).resolves.toBeUndefined();
      expect(sim.admin.requestLog(TENANT).byStatus).toMatchObject({ 429: 1, 200: 1 });
    });

    it('with retries disabled, a rate limit goes straight back with its Retry-After', async () => {
      sim.admin.setFaults(TENANT, { rateLimit: { count: 1, retryAfterSeconds: 4 } });
      await expect(client.findUserByUserName('x', { retry: false })).rejects.toMatchObject({ code: SCIM_ERROR_CODES.rateLimited, retryAfterMs: 4000, attempts: 1 });
    });

    it('a real per-second limit answers 429 past the limit', async () => {
      sim.admin.setFaults(TENANT, { rateLimit: { perSecond: 5 } });
      const results = await Promise.allSettled(Array.from({ length: 20 }, () => client.findUserByUserName('x', { retry: false })));
      const limited = results.filter((result) => result.status === 'rejected');
      expect(limited.length).toBeGreaterThanOrEqual(10);
      expect(limited[0]).toMatchObject({ reason: { code: SCIM_ERROR_CODES.rateLimited, retryAfterMs: 1000 } });
    });

    it('a window of 503s is waited out', async () => {
      sim.admin.setFaults(TENANT, { unavailable: { count: 2, retryAfterSeconds: 0 } });
      const stats = createCallStats();
      await client.findUserByUserName('x', { stats });
      expect(stats).toMatchObject({ rateLimited: 2, requests: 3 });
    });

    it('5xx answers are retried with backoff until the attempts run out', async () => {
      sim.admin.setFaults(TENANT, { serverError: { count: 2, status: 502 } });
      const stats = createCallStats();
      await client.findUserByUserName('x', { stats });
      expect(stats.attempts).toBe(3);
      sim.admin.setFaults(TENANT, { serverError: { count: 10 } });
      await expect(client.findUserByUserName('x')).rejects.toMatchObject({ code: SCIM_ERROR_CODES.serverError, attempts: FAST.maxAttempts });
    });

    it('connection resets are retried', async () => {
      sim.admin.setFaults(TENANT, { connectionReset: { count: 2 } });
      expect((await client.createUser(person('reset@example.com'))).outcome).toBe('created');
      expect(sim.admin.requestLog(TENANT).byFault).toMatchObject({ connectionReset: 2 });
    });

    it('a create answered past the timeout is not created twice', async () => {
      const impatient = clientFor({ timeoutMs: 150 });
      sim.admin.setFaults(TENANT, { slowResponse: { count: 1, delayMs: 1000 } });
      const result = await impatient.createUser(person('slow@example.com'));
      expect(result.outcome).toBe('existing');
      expect(sim.admin.requestLog(TENANT).byUserName['slow@example.com']).toMatchObject({ POST: 1, created: 1, GET: 1 });
      await impatient.close();
    });

    it('added latency slows answers without failing them', async () => {
      sim.admin.setFaults(TENANT, { latencyMs: 30 });
      expect((await client.createUser(person('latency@example.com'))).outcome).toBe('created');
    });

    it('a seeded 5xx rate repeats exactly for the same seed', async () => {
      const run = async () => {
        sim.admin.reset(TENANT);
        sim.admin.setFaults(TENANT, { seed: 42, serverError: { rate: 0.4 } });
        await Promise.allSettled(Array.from({ length: 30 }, () => client.findUserByUserName('x', { retry: false })));
        return sim.admin.requestLog(TENANT).byStatus;
      };
      const first = await run();
      expect(first['500']).toBeGreaterThan(0);
      expect(await run()).toEqual(first);
    });
  });

  it('no SCIM write at all: reads are not writes in the log', async () => {
    await client.findUserByUserName('reader@example.com');
    await client.listAllUsers();
    const log = sim.admin.requestLog(TENANT);
    expect(log).toMatchObject({ total: 2, writes: 0, byMethod: { GET: 2 } });
  });
});
