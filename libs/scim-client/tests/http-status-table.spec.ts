import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_STATUS_TABLE, ScimClient, ScimRequestError, type StatusRule } from '../src/index.ts';
import { startScriptedServer, type ScriptedServer } from './support/scripted-server.ts';

// One status the row applies to and no earlier row does.
function sampleStatus(rule: StatusRule): number {
  if (typeof rule.status === 'number') return rule.status;
  const samples = new Map([[400, 422], [500, 502], [0, 302]]);
  const sample = samples.get(rule.status.from);
  if (sample === undefined) throw new Error(`no sample status for the range starting at ${rule.status.from}`);
  return sample;
}

describe('scim-client > every row of the HTTP status table over real HTTP', () => {
  let server: ScriptedServer;
  let client: ScimClient;
  beforeAll(async () => {
    server = await startScriptedServer();
    client = new ScimClient({ baseUrl: server.url, token: 'table-token' });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  it.each(HTTP_STATUS_TABLE.map((rule) => [sampleStatus(rule), rule] as const))('HTTP %i → %o', async (status, rule) => {
    server.script({
      status,
      headers: { 'retry-after': '7' },
      body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status, scimType: 'invalidValue', detail: 'scripted' },
    });
    // PATCH, because it is the one call that surfaces every status (a GET or DELETE turns 404 into an answer).
    const patch = { Operations: [{ op: 'replace', path: 'active', value: false }] };
    const error = await client.patchUser('u1', patch, { retry: false }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ScimRequestError);
    expect(error).toMatchObject({
      code: rule.code, retriable: rule.retriable, rateLimited: rule.rateLimit, httpStatus: status, scimType: 'invalidValue', detail: 'scripted',
      retryAfterMs: 7000, attempts: 1,
    });
  });
});
