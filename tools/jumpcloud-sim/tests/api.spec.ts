import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JumpCloudSim } from '../src/index.ts';
import { allPages, apiClient, startFixtureSim } from './support.ts';

const WEEK = { service: ['directory'], start_time: '2026-11-01T00:00:00Z' };

describe('jumpcloud-sim > JumpCloud API', () => {
  let sim: JumpCloudSim;
  let acme: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    sim = await startFixtureSim();
    sim.tenant('acme').applyAll();
    sim.tenant('globex').applyAll();
    acme = apiClient(sim, 'acme');
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.faults.clear();
    sim.tenant('acme').feed.quirks = { pageOverlap: 0 };
  });

  describe('Directory Insights POST /events', () => {
    it('pages with search_after through every row, in timestamp order, with the metadata headers', async () => {
      const { rows, pages } = await allPages(acme, { ...WEEK, service: ['all'], limit: 100 });
      expect(pages).toBeGreaterThan(10);
      expect(rows.map((r) => r['id'])).toEqual(sim.tenant('acme').feed.exportRows().map((r) => r.id));
      const response = await acme.events({ ...WEEK, limit: 5 });
      expect(response.headers.get('x-result-count')).toBe('5');
      expect(response.headers.get('x-limit')).toBe('5');
      expect(response.headers.get('x-sort')).toBe('ASC');
      expect(JSON.parse(response.headers.get('x-search_after') ?? '')).toEqual([expect.any(Number), expect.any(String)]);
      expect(response.headers.get('x-request-id')).toBeTruthy();
    });

    it('filters on service, time window and search_term (values lower-case, as stored)', async () => {
      const directory = (await allPages(acme, { ...WEEK, limit: 10_000 })).rows;
      expect(directory.every((r) => r['service'] === 'directory')).toBe(true);
      const deletes = (await allPages(acme, { ...WEEK, search_term: { and: [{ event_type: ['user_delete'] }] } })).rows;
      expect(deletes.length).toBeGreaterThan(40);
      expect(deletes.every((r) => r['event_type'] === 'user_delete')).toBe(true);
      expect((await allPages(acme, { ...WEEK, search_term: { event_type: 'USER_DELETE' } })).rows).toEqual([]);
      const notUpdates = (await allPages(acme, { ...WEEK, search_term: { not: [{ event_type: 'user_update' }] } })).rows;
      expect(notUpdates.some((r) => r['event_type'] === 'user_update')).toBe(false);
      const window = (await allPages(acme, { ...WEEK, start_time: '2026-11-24T00:00:00Z', end_time: '2026-11-25T00:00:00Z' })).rows;
      expect(window.length).toBeGreaterThan(0);
      expect(window.every((r) => String(r['timestamp']) >= '2026-11-24' && String(r['timestamp']) < '2026-11-25')).toBe(true);
    });

    it('sorts descending on request, falls back to ASC silently and caps the limit', async () => {
      const desc = (await (await acme.events({ ...WEEK, sort: 'desc', limit: 3 })).json()) as { timestamp: string }[];
      expect(Date.parse(desc[0]?.timestamp ?? '')).toBeGreaterThanOrEqual(Date.parse(desc[2]?.timestamp ?? ''));
      const odd = await acme.events({ ...WEEK, sort: 'sideways', limit: 50_000 });
      expect(odd.headers.get('x-sort')).toBe('ASC');
      expect(odd.headers.get('x-limit')).toBe('10000');
      expect((await acme.events({ ...WEEK, limit: -3 })).headers.get('x-limit')).toBe('1000');
    });

    it('keeps the search_after header on an empty last page', async () => {
      const response = await acme.events({ ...WEEK, start_time: '2030-01-01T00:00:00Z' });
      expect(await response.json()).toEqual([]);
      expect(response.headers.get('x-result-count')).toBe('0');
      expect(response.headers.get('x-search_after')).toBe('[]');
    });

    it('repeats rows across pages when the overlap quirk is on', async () => {
      sim.tenant('acme').feed.quirks = { pageOverlap: 2 };
      const { rows } = await allPages(acme, { ...WEEK, limit: 50 });
      const ids = rows.map((r) => r['id'] as string);
      expect(ids.length - new Set(ids).size).toBeGreaterThan(sim.tenant('acme').feed.exportRows().length / 50);
    });

    it.each([
      ['no service', { start_time: '2026-11-01T00:00:00Z' }],
      ['an unknown service', { ...WEEK, service: ['nope'] }],
      ['no start_time', { service: ['directory'] }],
      ['end before start', { ...WEEK, end_time: '2020-01-01T00:00:00Z' }],
      ['a malformed search_after', { ...WEEK, search_after: 'x' }],
      ['an unsearchable field', { ...WEEK, search_term: { changes: 'x' } }],
      ['only unknown fields', { ...WEEK, fields: ['nope'] }],
    ])('answers 400 for %s', async (_label, body) => {
      const response = await acme.events(body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toBeTruthy();
    });
  });

  describe('users and bindings', () => {
    it('lists systemusers with limit/skip and totalCount, and 404s a deleted user', async () => {
      const first = (await (await acme.get('/api/systemusers?limit=100&skip=0')).json()) as { totalCount: number; results: { _id: string }[] };
      expect(first.totalCount).toBe(sim.tenant('acme').org.userCount);
      expect(first.results).toHaveLength(100);
      expect((await acme.get('/api/systemusers?limit=101')).status).toBe(400);
      const one = (await (await acme.get(`/api/systemusers/${first.results[0]?._id}?fields=username email`)).json()) as Record<string, unknown>;
      expect(Object.keys(one).sort()).toEqual(['_id', 'email', 'username']);
      const deleted = sim.tenant('acme').feed.exportRows().find((r) => r.event_type === 'user_delete') as unknown as { resource: { id: string } };
      expect((await acme.get(`/api/systemusers/${deleted.resource.id}`)).status).toBe(404);
    });

    it('resolves the application users through groups, paged by at most 100', async () => {
      const appId = sim.tenant('acme').org.application.id;
      const ids: string[] = [];
      for (let skip = 0; ; skip += 100) {
        const page = (await (await acme.get(`/api/v2/applications/${appId}/users?limit=100&skip=${skip}`)).json()) as { id: string; paths: unknown[][] }[];
        ids.push(...page.map((u) => u.id));
        if (page.length < 100) break;
      }
      const final = sim.tenant('acme').org.snapshot();
      const expected = new Set([...final.appBindings.users, ...final.appBindings.userGroups.flatMap((g) => final.groupMembers[g] ?? [])]);
      expect(new Set(ids)).toEqual(expected);
      expect((await acme.get(`/api/v2/applications/${appId}/users?limit=500`)).status).toBe(400);
      expect((await acme.get('/api/v2/applications/000000000000000000000000/users')).status).toBe(404);
    });
  });

  describe('writes (the operator commands)', () => {
    const globexApp = () => sim.tenant('globex').org.application.id;
    const bound = () => new Set(sim.tenant('globex').org.boundUsers().map((u) => u.id));

    it('finds a user by username with a v1 filter, case-insensitively, and sorts by _id', async () => {
      const someone = sim.tenant('globex').org.listUsers()[3]!;
      const found = (await (await apiClient(sim, 'globex').get(`/api/systemusers?filter=${encodeURIComponent(`username:$eq:${someone.username.toUpperCase()}`)}`)).json()) as { totalCount: number; results: { _id: string }[] };
      expect(found).toMatchObject({ totalCount: 1, results: [{ _id: someone._id }] });
      const sorted = (await (await apiClient(sim, 'globex').get('/api/systemusers?limit=100&sort=_id')).json()) as { results: { _id: string }[] };
      const ids = sorted.results.map((u) => u._id);
      expect(ids).toEqual([...ids].sort());
      expect((await apiClient(sim, 'globex').get('/api/systemusers?filter=username:$ne:x')).status).toBe(400);
    });

    it('creates a user (ACTIVATED, a new id, a user_create event) and refuses a taken username or email', async () => {
      const globex = apiClient(sim, 'globex');
      const before = sim.tenant('globex').feed.visibleCount;
      const response = await globex.post('/api/systemusers', { username: 'new.person', email: 'new.person@globex.example', firstname: 'New', lastname: 'Person' });
      expect(response.status).toBe(200);
      const created = (await response.json()) as { _id: string; state: string; displayname: string };
      expect(created).toMatchObject({ _id: expect.stringMatching(/^[0-9a-f]{24}$/), state: 'ACTIVATED', displayname: 'New Person' });
      expect(sim.tenant('globex').org.getUser(created._id)).toMatchObject({ username: 'new.person' });
      expect(sim.tenant('globex').feed.visibleCount).toBeGreaterThan(before);
      expect(sim.tenant('globex').feed.exportRows().some((r) => r.event_type === 'user_create' && JSON.stringify(r).includes(created._id))).toBe(true);
      expect((await globex.post('/api/systemusers', { username: 'NEW.person', email: 'other@globex.example' })).status).toBe(409);
      expect((await globex.post('/api/systemusers', { username: 'other', email: 'new.person@globex.example' })).status).toBe(409);
      expect((await globex.post('/api/systemusers', { username: 'no-email' })).status).toBe(400);
    });

    it('binds and unbinds a user to the application (204), 409 when it already is, 404 for another application', async () => {
      const globex = apiClient(sim, 'globex');
      const loner = sim.tenant('globex').org.listUsers().find((u) => !bound().has(u._id))!;
      expect((await globex.post(`/api/v2/applications/${globexApp()}/associations`, { op: 'add', type: 'user', id: loner._id })).status).toBe(204);
      expect(bound().has(loner._id)).toBe(true);
      expect((await globex.post(`/api/v2/applications/${globexApp()}/associations`, { op: 'add', type: 'user', id: loner._id })).status).toBe(409);
      expect((await globex.post(`/api/v2/applications/${globexApp()}/associations`, { op: 'remove', type: 'user', id: loner._id })).status).toBe(204);
      expect(bound().has(loner._id)).toBe(false);
      expect((await globex.post('/api/v2/applications/000000000000000000000000/associations', { op: 'add', type: 'user', id: loner._id })).status).toBe(404);
      expect((await globex.post(`/api/v2/applications/${globexApp()}/associations`, { op: 'bind', type: 'user', id: loner._id })).status).toBe(400);
    });
  });

  describe('authentication and faults', () => {
    it('checks x-api-key and x-org-id', async () => {
      const url = `${sim.url}/api/systemusers`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { 'x-api-key': 'acme-key', 'x-org-id': sim.tenant('globex').organization } })).status).toBe(401);
      expect((await fetch(url, { headers: { 'x-api-key': 'acme-key' } })).status).toBe(200);
    });

    it('serves 429 with Retry-After, then 503, then answers again; counts the calls', async () => {
      await acme.admin('DELETE', '/stats');
      expect((await acme.admin('POST', '/faults', { area: 'systemusers', status: 429, retryAfterSeconds: 2, count: 1 })).status).toBe(201);
      expect((await acme.admin('POST', '/faults', { area: 'systemusers', status: 503 })).status).toBe(201);
      const limited = await acme.get('/api/systemusers');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('2');
      expect((await acme.get('/api/systemusers')).status).toBe(503);
      expect((await acme.get('/api/systemusers')).status).toBe(200);
      expect(await (await acme.admin('GET', '/stats')).json()).toMatchObject({ calls: { systemusers: 3 }, faultsServed: 2, pendingFaults: 0 });
    });

    it('delays a slow page and still answers it; a fault for one tenant leaves the other alone', async () => {
      await acme.admin('POST', '/faults', { area: 'insights', delayMs: 200, tenantId: 'acme' });
      await acme.admin('POST', '/faults', { area: 'insights', status: 500, tenantId: 'acme' });
      const globex = apiClient(sim, 'globex');
      expect((await globex.events(WEEK)).status).toBe(200);
      expect((await acme.events(WEEK)).status).toBe(200);
      expect((await acme.events(WEEK)).status).toBe(500);
      expect(sim.faults.pending()).toBe(0);
      expect((await acme.admin('POST', '/faults', { area: 'insights' })).status).toBe(400);
    });
  });
});
