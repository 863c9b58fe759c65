import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCallStats, ScimClient, SCIM_ERROR_CODES, type ScimRequestError } from '../src/index.ts';
import { listOf, scimUser, startScriptedServer, type ScriptedServer } from './support/scripted-server.ts';

const FAST = { minDelayMs: 5, maxDelayMs: 20, maxAttempts: 3, maxElapsedMs: 5_000 };

describe('scim-client > behaviour against servers that misbehave', () => {
  let server: ScriptedServer;
  let client: ScimClient;
  const rateLimits: (number | undefined)[] = [];
  beforeAll(async () => {
    server = await startScriptedServer();
    client = new ScimClient({ baseUrl: server.url, token: 'behaviour-token', retry: FAST, timeoutMs: 500, onRateLimited: (ms) => rateLimits.push(ms) });
  });
  afterEach(() => {
    server.requests.length = 0;
    rateLimits.length = 0;
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it('sends bearer auth, SCIM media types and an encoded userName filter', async () => {
    server.script({ status: 200, body: listOf([scimUser('1', 'Ann+x@Example.com')]) });
    const user = await client.findUserByUserName('ann+x@example.com');
    expect(user?.id).toBe('1');
    const [request] = server.requests;
    expect(request?.headers['authorization']).toBe('Bearer behaviour-token');
    expect(request?.headers['accept']).toContain('application/scim+json');
    expect(request?.url).toBe('/scim/v2/Users?filter=userName%20eq%20%22ann%2Bx%40example.com%22');
  });

  it('reads a 404 on a filter query as no result, and lowercase `resources` as the list', async () => {
    server.script({ status: 404, raw: 'Not Found' });
    expect(await client.findUserByUserName('nobody')).toBeUndefined();
    server.script({ status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, raw: JSON.stringify({ totalResults: 1, resources: [{ id: 7, userName: 'x' }] }) });
    expect(await client.findUserByUserName('X')).toMatchObject({ id: '7', userName: 'x' });
  });

  it('does not take a user the server returned for a different userName', async () => {
    server.script({ status: 200, body: listOf([scimUser('1', 'someone-else')]) });
    expect(await client.findUserByUserName('ann')).toBeUndefined();
  });

  it('waits out 429 and 503 without using up attempts, and tells onRateLimited', async () => {
    server.script({ status: 429, headers: { 'retry-after': '0' } }, { status: 503, headers: { 'retry-after': new Date(Date.now() + 1000).toUTCString() } }, { status: 200, body: scimUser('1', 'a') });
    const stats = createCallStats();
    const user = await client.getUser('1', { retry: { maxAttempts: 1 }, stats });
    expect(user?.id).toBe('1');
    expect(stats).toEqual({ attempts: 3, requests: 3, rateLimited: 2 });
    expect(rateLimits).toHaveLength(2);
    expect(rateLimits[0]).toBe(0);
  });

  it('retries 5xx, timeouts and resets with backoff, up to maxAttempts', async () => {
    server.script({ status: 502, raw: '<html>Bad Gateway</html>' }, 'reset', 'hang', { status: 200, body: scimUser('1', 'a') });
    const stats = createCallStats();
    const error = await client.getUser('1', { stats }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: SCIM_ERROR_CODES.timeout, attempts: 3 });
    expect(stats.requests).toBe(3);
    expect(await client.getUser('1')).toMatchObject({ id: '1' });
  });

  it('gives up at once with retries disabled, rate limits included', async () => {
    server.script({ status: 429, headers: { 'retry-after': '30' } });
    const error = await client.getUser('1', { retry: false }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: SCIM_ERROR_CODES.rateLimited, retryAfterMs: 30_000, attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(rateLimits).toEqual([30_000]);
  });

  it('hands a rate limit longer than the time budget back instead of waiting', async () => {
    server.script({ status: 429, headers: { 'retry-after': '60' } });
    const error = await client.getUser('1').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: SCIM_ERROR_CODES.rateLimited, retryAfterMs: 60_000 });
    expect(server.requests).toHaveLength(1);
  });

  it('treats a 500 that says the limit was exceeded as a rate limit', async () => {
    server.script({ status: 500, body: { detail: 'REQUEST_LIMIT_EXCEEDED: too many concurrent requests' } });
    const error = await client.getUser('1', { retry: false }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: SCIM_ERROR_CODES.rateLimited, rateLimited: true, httpStatus: 500 });
  });

  it('keeps a short snippet of a non-JSON error body', async () => {
    server.script({ status: 400, headers: { 'content-type': 'text/html' }, raw: `<html><body>${'x'.repeat(2000)}</body></html>` });
    const error = (await client.patchUser('1', { Operations: [{ op: 'replace', path: 'active', value: true }] }).catch((caught: unknown) => caught)) as ScimRequestError;
    expect(error.code).toBe(SCIM_ERROR_CODES.invalidRequest);
    expect(error.bodySnippet?.slice(0, 12)).toBe('<html><body>');
    expect(error.bodySnippet?.length).toBe(500);
  });

  it('reads an error with a numeric status, no schemas and a wrapped envelope', async () => {
    server.script({ status: 409, body: { error: { status: 409, detail: 'taken' } } }, { status: 200, body: listOf([scimUser('9', 'a')]) });
    const result = await client.createUser({ userName: 'a' });
    expect(result).toMatchObject({ outcome: 'existing', user: { id: '9' } });
  });

  it('falls back to application/json once after a 415 and remembers it', async () => {
    const local = new ScimClient({ baseUrl: server.url, token: 'behaviour-token', retry: FAST });
    server.script({ status: 415 }, { status: 200, body: scimUser('1', 'a') }, { status: 200, body: scimUser('1', 'a') });
    await local.patchUser('1', { Operations: [{ op: 'replace', path: 'active', value: true }] });
    await local.patchUser('1', { Operations: [{ op: 'replace', path: 'active', value: false }] });
    expect(server.requests.map((request) => request.headers['content-type'])).toEqual(['application/scim+json', 'application/json', 'application/json']);
    await local.close();
  });

  it('reads a PATCH answered 204 by getting the user', async () => {
    server.script({ status: 204 }, { status: 200, body: scimUser('1', 'a', { active: false }) });
    expect(await client.patchUser('1', { Operations: [{ op: 'replace', path: 'active', value: false }] })).toMatchObject({ active: false });
    expect(server.requests.map((request) => request.method)).toEqual(['PATCH', 'GET']);
  });

  it('sends PATCH ops in lowercase with JSON booleans, and never an empty PatchOp', async () => {
    server.script({ status: 200, body: scimUser('1', 'a') });
    await client.patchUser('1', { Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    await expect(client.patchUser('1', { Operations: [] })).rejects.toMatchObject({ code: SCIM_ERROR_CODES.invalidRequest });
    expect(server.requests).toHaveLength(1);
  });

  it('treats a 400 or 500 saying the user exists as a duplicate on create (P6)', async () => {
    server.script({ status: 500, body: { detail: 'User already exists' } }, { status: 200, body: listOf([scimUser('5', 'Dup')]) });
    expect(await client.createUser({ userName: 'dup' })).toMatchObject({ outcome: 'existing', user: { id: '5' } });
  });

  it('reports a conflict whose user no lookup can see (P7), after trying the lowercased userName', async () => {
    server.script({ status: 409, body: { status: '409', scimType: 'uniqueness' } }, { status: 200, body: listOf([], 0) });
    const error = await client.createUser({ userName: 'Hidden@X.com' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: SCIM_ERROR_CODES.conflictNotVisible, retriable: false, httpStatus: 409 });
    expect(server.requests.map((request) => decodeURIComponent(request.url))).toEqual([
      '/scim/v2/Users', '/scim/v2/Users?filter=userName eq "Hidden@X.com"', '/scim/v2/Users?filter=userName eq "hidden@x.com"',
    ]);
  });

  it('looks the user up before re-sending a POST whose first attempt may have been applied (P20)', async () => {
    server.script('hang', { status: 200, body: listOf([scimUser('3', 'late')]) });
    expect(await client.createUser({ userName: 'late' })).toMatchObject({ outcome: 'existing', user: { id: '3' } });
    expect(server.requests.map((request) => request.method)).toEqual(['POST', 'GET']);
  });

  it('reads back a 201 without a body by userName', async () => {
    server.script({ status: 201 }, { status: 200, body: listOf([scimUser('4', 'nobody-body')]) });
    expect(await client.createUser({ userName: 'nobody-body', active: 'true' })).toMatchObject({ outcome: 'created', user: { id: '4' } });
    expect(JSON.parse(server.requests[0]?.body ?? '')).toMatchObject({ active: true, schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'] });
  });

  it('counts a 404 on DELETE as success', async () => {
    server.script({ status: 404 });
    expect(await client.deleteUser('gone')).toBe('absent');
    server.script({ status: 204 });
    expect(await client.deleteUser('here')).toBe('deleted');
  });
});
