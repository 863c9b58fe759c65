import { inspect } from 'node:util';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScimClient, type ScimCallOptions } from '../src/index.ts';
import { captureLines, scimUser, startScriptedServer, type Responder, type ScriptedAnswer, type ScriptedServer } from './support/scripted-server.ts';

const TOKEN = 'sk-live-7f3a9c2e41d84b6f';

// A hostile server: it echoes the Authorization header back in every error it can.
const echo = (status: number, html = false): Responder => (request) => {
  const said = `you sent ${String(request.headers['authorization'])}`;
  return html ? { status, headers: { 'content-type': 'text/html' }, raw: `<html>${said}</html>` } : { status, body: { status, detail: said, scimType: said } };
};

const FAST: ScimCallOptions = { retry: { maxAttempts: 2, minDelayMs: 1, maxDelayMs: 2, maxElapsedMs: 2000 } };
const PATCH = { Operations: [{ op: 'replace', path: 'active', value: false }] };

function everyText(error: unknown): string {
  const parts = [inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error)];
  for (let current: unknown = error; current instanceof Error; current = current.cause) parts.push(current.message, current.stack ?? '');
  return parts.join('\n');
}

describe('scim-client > the bearer token never leaks', () => {
  let server: ScriptedServer;
  beforeAll(async () => {
    server = await startScriptedServer();
  });
  afterAll(async () => server.close());

  const paths: [string, (ScriptedAnswer | Responder)[], (client: ScimClient) => Promise<unknown>][] = [
    ['401', [echo(401)], (client) => client.getUser('1', FAST)],
    ['403 as HTML', [echo(403, true)], (client) => client.getUser('1', FAST)],
    ['400 on PATCH', [echo(400)], (client) => client.patchUser('1', PATCH, FAST)],
    ['404 on PATCH', [echo(404)], (client) => client.patchUser('1', PATCH, FAST)],
    ['409 not visible', [echo(409), { status: 200, body: { totalResults: 0 } }], (client) => client.createUser({ userName: 'Z' }, FAST)],
    ['415 twice', [echo(415)], (client) => client.patchUser('1', PATCH, FAST)],
    ['429 past the budget', [{ status: 429, headers: { 'retry-after': '3600' } }], (client) => client.getUser('1', FAST)],
    ['503 then 503', [echo(503)], (client) => client.deleteUser('1', { retry: false })],
    ['500 with HTML', [echo(500, true)], (client) => client.getUser('1', FAST)],
    ['connection reset', ['reset'], (client) => client.getUser('1', FAST)],
    ['timeout', ['hang'], (client) => client.getUser('1', { retry: false })],
    ['a 200 that is not a user', [{ status: 200, raw: `<html>${TOKEN}</html>` }], (client) => client.getUser('1', FAST)],
    ['a 201 that cannot be read back', [{ status: 201 }, { status: 200, body: { totalResults: 0 } }], (client) => client.createUser({ userName: 'Q' }, FAST)],
    ['a PUT of a gone user', [{ status: 404 }], (client) => client.replaceUser('1', { userName: 'Q' }, FAST)],
    ['a list with a bad page', [{ status: 200, raw: 'nope' }], (client) => client.listAllUsers(FAST)],
    ['an empty PatchOp', [], (client) => client.patchUser('1', { Operations: [] })],
  ];

  it.each(paths)('%s: not in errors nor in log lines', async (_label, script, call) => {
    const { stream, lines } = captureLines();
    const client = new ScimClient({ baseUrl: server.url, token: () => TOKEN, timeoutMs: 300, logger: pino({ level: 'trace' }, stream) });
    server.script(...(script.length === 0 ? [{ status: 500 } as const] : script));
    const error = await call(client).then(() => undefined, (caught: unknown) => caught);
    await client.close();
    expect(error).toBeInstanceOf(Error);
    expect(everyText(error)).not.toContain(TOKEN);
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(TOKEN);
  });

  it('still sends the token, and verify() messages do not carry it', async () => {
    const client = new ScimClient({ baseUrl: server.url, token: TOKEN });
    server.requests.length = 0;
    server.script(echo(401), { status: 200, body: scimUser('1', 'a') });
    const result = await client.verify();
    expect(result).toMatchObject({ ok: false, problem: 'unauthorized' });
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(server.requests[0]?.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    await client.close();
  });
});
