import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScimClient } from '../src/index.ts';
import { listOf, scimUser, startScriptedServer, type ReceivedRequest, type ScriptedServer } from './support/scripted-server.ts';

const users = Array.from({ length: 7 }, (_, index) => scimUser(`id-${index + 1}`, `user${index + 1}`));

function startIndexOf(request: ReceivedRequest): number {
  return Number(new URL(request.url, 'http://x').searchParams.get('startIndex'));
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('scim-client > pagination always ends', () => {
  let server: ScriptedServer;
  let client: ScimClient;
  beforeAll(async () => {
    server = await startScriptedServer();
    client = new ScimClient({ baseUrl: server.url, token: 'pagination-token', pageSize: 3, maxPages: 10 });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('advances by what was received when the server returns fewer than asked and echoes itemsPerPage', async () => {
    server.script((request) => {
      const start = startIndexOf(request);
      return { status: 200, body: { ...listOf(users.slice(start - 1, start + 1), users.length), itemsPerPage: 3, startIndex: start } };
    });
    expect((await client.listAllUsers()).map((user) => user.id)).toEqual(users.map((user) => user['id']));
  });

  it('stops when a server ignores startIndex, without duplicates', async () => {
    server.requests.length = 0;
    server.script({ status: 200, body: listOf(users.slice(0, 3), 100) });
    expect((await client.listAllUsers()).map((user) => user.id)).toEqual(['id-1', 'id-2', 'id-3']);
    expect(server.requests).toHaveLength(2);
  });

  it('stops at an empty page even when totalResults says there is more', async () => {
    server.script({ status: 200, body: listOf(users.slice(0, 3), 50) }, { status: 200, body: { totalResults: 50 } });
    expect(await client.listAllUsers()).toHaveLength(3);
  });

  it('stops at maxPages against a server that keeps inventing users', async () => {
    let next = 0;
    server.script(() => ({ status: 200, body: listOf([scimUser(`n${next++}`, `u${next}`)], 1_000_000) }));
    expect(await client.listAllUsers()).toHaveLength(10);
  });
});

describe('scim-client > verify()', () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedServer();
  });
  afterAll(async () => server.close());

  async function verifyWith(baseUrl: string) {
    const client = new ScimClient({ baseUrl, token: 'verify-token', timeoutMs: 1000 });
    try {
      return await client.verify();
    } finally {
      await client.close();
    }
  }

  it('accepts a SCIM endpoint and reads patch support as a hint', async () => {
    server.script({ status: 200, body: listOf([users[0]], 7) }, { status: 200, body: { patch: { supported: true } } });
    expect(await verifyWith(server.url)).toMatchObject({ ok: true, totalUsers: 7, patchSupported: true });
  });

  it.each([
    [401, 'unauthorized', /token was refused/],
    [403, 'forbidden', /not allowed/],
    [404, 'not-scim', /does not answer as a SCIM endpoint/],
    [503, 'rate-limited', /busy/],
    [500, 'server-error', /server failed/],
  ])('HTTP %i → %s', async (status, problem, message) => {
    server.script({ status });
    const result = await verifyWith(server.url);
    expect(result).toMatchObject({ ok: false, problem, httpStatus: status });
    expect(result.message).toMatch(message);
  });

  it('says not-scim for a 200 that is an HTML page', async () => {
    server.script({ status: 200, headers: { 'content-type': 'text/html' }, raw: '<html>login</html>' });
    expect(await verifyWith(server.url)).toMatchObject({ ok: false, problem: 'not-scim', message: expect.stringMatching(/non-JSON page/) });
  });

  it('says unreachable for a closed port', async () => {
    const result = await verifyWith(`http://127.0.0.1:${await closedPort()}/scim/v2`);
    expect(result).toMatchObject({ ok: false, problem: 'unreachable', message: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('says tls when https meets a plain-HTTP server', async () => {
    const result = await verifyWith(server.url.replace('http:', 'https:'));
    expect(result).toMatchObject({ ok: false, problem: 'tls' });
  });

  it('says timeout when nothing answers in time', async () => {
    server.script('hang');
    expect(await verifyWith(server.url)).toMatchObject({ ok: false, problem: 'timeout' });
  });

  it('refuses a base URL that is not http(s) before sending anything', () => {
    expect(() => new ScimClient({ baseUrl: 'ftp://example.com/scim', token: 'x' })).toThrow(/http\(s\)/);
  });
});
