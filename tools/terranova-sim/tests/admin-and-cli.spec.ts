import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startTerranovaSim, type TerranovaSim } from '../src/index.ts';

async function call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const response = await request(url, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.body.text();
  return { status: response.statusCode, json: text === '' ? undefined : JSON.parse(text) };
}

describe('terranova-sim > admin HTTP API', () => {
  let sim: TerranovaSim;
  beforeAll(async () => {
    sim = await startTerranovaSim({ tenants: [{ id: 'acme', token: 'admin-api-token-1', basePath: '/custom/acme/scim/v2' }], requestLogCapacity: 3 });
  });
  afterAll(async () => sim.close());

  it('adds a tenant, seeds and lists users, sets a role, rotates the token, sets faults and resets', async () => {
    const admin = `${sim.url}/admin/tenants`;
    expect(await call('POST', admin, { id: 'initech', token: 'initech-token-1' })).toMatchObject({ status: 201, json: { basePath: '/tenants/initech/scim/v2' } });
    expect((await call('GET', admin)).json).toMatchObject({ tenants: [{ id: 'acme', basePath: '/custom/acme/scim/v2' }, { id: 'initech' }] });
    const seeded = await call('POST', `${admin}/initech/users`, { user: { userName: 'Seed@Example.com', active: true } });
    const id = (seeded.json as { id: string }).id;
    expect(await call('PUT', `${admin}/initech/users/${id}/role`, { role: 'Manager' })).toMatchObject({ status: 200, json: { role: 'Manager' } });
    expect((await call('GET', `${admin}/initech/users`)).json).toMatchObject({ users: [{ userName: 'Seed@Example.com', role: 'Manager' }] });
    expect((await call('PUT', `${admin}/initech/token`, { token: 'initech-token-2' })).status).toBe(204);
    const scim = `${sim.url}/tenants/initech/scim/v2/Users`;
    expect((await request(scim, { headers: { authorization: 'Bearer initech-token-1' } })).statusCode).toBe(401);
    expect((await request(scim, { headers: { authorization: 'Bearer initech-token-2' } })).statusCode).toBe(200);
    expect((await call('PUT', `${admin}/initech/faults`, { serverError: { count: 1, status: 503 } })).status).toBe(204);
    expect((await request(scim, { headers: { authorization: 'Bearer initech-token-2' } })).statusCode).toBe(503);
    expect((await call('POST', `${admin}/initech/reset`)).status).toBe(204);
    expect((await call('GET', `${admin}/initech/users`)).json).toEqual({ users: [] });
    expect((await request(scim, { headers: { authorization: 'Bearer initech-token-1' } })).statusCode).toBe(200);
  });

  it('keeps counters for every request but only a bounded ring of recent ones', async () => {
    const scim = `${sim.url}/custom/acme/scim/v2/Users`;
    for (let index = 0; index < 5; index++) await (await request(scim, { headers: { authorization: 'Bearer admin-api-token-1' } })).body.dump();
    const log = (await call('GET', `${sim.url}/admin/tenants/acme/requests`)).json as { total: number; recent: { seq: number }[] };
    expect(log.total).toBe(5);
    expect(log.recent.map((entry) => entry.seq)).toEqual([3, 4, 5]);
  });

  it('answers unknown tenants and admin routes with 404', async () => {
    expect((await call('GET', `${sim.url}/admin/tenants/nope/users`)).status).toBe(404);
    expect((await call('GET', `${sim.url}/tenants/nope/scim/v2/Users`)).status).toBe(404);
    expect((await call('POST', `${sim.url}/admin/tenants`, { id: 'acme', token: 'x' })).status).toBe(409);
  });
});

describe('terranova-sim > CLI', () => {
  it('starts with --port and --tenant and serves until stopped', async () => {
    const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'src', 'cli.ts'), '--port', '0', '--tenant', 'acme:cli-token-123', '--log-level', 'silent'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let output = '';
      child.stdout.setEncoding('utf8');
      while (!output.includes('admin API')) output += String((await once(child.stdout, 'data'))[0]);
      const base = /tenant acme: (\S+)/.exec(output)?.[1] ?? '';
      const response = await request(`${base}/Users`, { headers: { authorization: 'Bearer cli-token-123' } });
      expect(response.statusCode).toBe(200);
      expect(await response.body.json()).toMatchObject({ totalResults: 0 });
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
