import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startJumpCloudSim, type JumpCloudSim } from '@provisioning/jumpcloud-sim';
import { silentLogger } from '@provisioning/observability';
import { JumpCloudClient, JumpCloudError, type JumpCloudClientOptions } from '../src/index.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'jumpcloud');

describe('jumpcloud-client > against the JumpCloud emulator', () => {
  let sim: JumpCloudSim;
  let options: JumpCloudClientOptions;
  let client: JumpCloudClient;
  const acme = () => sim.tenant('acme');

  beforeAll(async () => {
    sim = await startJumpCloudSim({ tenants: [{ tenantId: 'acme', apiKey: 'acme-key', fixtureDir: join(FIXTURES, 'acme') }] });
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.faults.clear();
    options = {
      apiKey: 'acme-key',
      orgId: acme().organization,
      apiBaseUrl: sim.url,
      insightsBaseUrl: sim.url,
      timeoutMs: 5_000,
      retries: 2,
      minRetryDelayMs: 10,
      maxRetryDelayMs: 50,
      logger: silentLogger(),
    };
    client = new JumpCloudClient(options);
  });

  it('lists every user over several pages, and finds one by username', async () => {
    const { users, unreadable } = await client.listUsers();
    expect(users.map((u) => u._id).sort()).toEqual(acme().org.listUsers().map((u) => u._id).sort());
    expect(users.length).toBeGreaterThan(100);
    expect(unreadable).toBe(0);
    const someone = users[42]!;
    expect(await client.findUserByUsername(someone.username.toUpperCase())).toMatchObject({ _id: someone._id });
    expect(await client.findUserByUsername('nobody.at.all')).toBeUndefined();
  });

  it('creates a user, binds it to the application, and refuses the same username again', async () => {
    const created = await client.createUser({ username: 'client.test', email: 'client.test@acme.example', firstname: 'Client', lastname: 'Test' });
    expect(created).toMatchObject({ username: 'client.test', state: 'ACTIVATED' });
    const appId = acme().org.application.id;
    await client.bindUserToApplication(appId, created._id);
    expect((await client.listBoundUserIds(appId)).has(created._id)).toBe(true);
    const again = await client.createUser({ username: 'client.test', email: 'other@acme.example' }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(JumpCloudError);
    expect(again).toMatchObject({ code: 'JUMPCLOUD_REJECTED', status: 409 });
  });

  it('verifies a working key, application and Directory Insights', async () => {
    const checks = await client.verify(acme().org.application.id);
    expect(checks.map((c) => [c.name, c.status])).toEqual([['api-key', 'ok'], ['application', 'ok'], ['directory-insights', 'ok']]);
    expect(checks[0]!.message).toContain(`organization ${options.orgId}`);
  });

  it('says precisely what is wrong: a refused key, an unknown application, an unreachable host', async () => {
    const badKey = await new JumpCloudClient({ ...options, apiKey: 'wrong-key' }).verify(acme().org.application.id);
    expect(badKey.map((c) => c.status)).toEqual(['failed', 'skipped', 'skipped']);
    expect(badKey[0]).toMatchObject({ httpStatus: 401, message: expect.stringMatching(/API key was refused .*check the tenant's apiKey and orgId/) });
    expect(JSON.stringify(badKey)).not.toContain('wrong-key');
    const badApp = await client.verify('000000000000000000000000');
    expect(badApp[1]).toMatchObject({ status: 'failed', httpStatus: 404, message: expect.stringContaining('has no application 000000000000000000000000') });
    const nowhere = await new JumpCloudClient({ ...options, apiBaseUrl: 'http://127.0.0.1:9' }).verify(acme().org.application.id);
    expect(nowhere[0]).toMatchObject({ status: 'failed', message: expect.stringMatching(/^cannot reach http:\/\/127\.0\.0\.1:9/) });
  });

  it('verify makes one attempt only: a 503 is reported, not retried', async () => {
    sim.faults.add({ area: 'systemusers', status: 503, count: 1 });
    const checks = await client.verify(acme().org.application.id);
    expect(checks[0]).toMatchObject({ status: 'failed', httpStatus: 503, message: expect.stringContaining('busy or failing') });
  });
});
