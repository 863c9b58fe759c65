import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpsBed, TENANT } from './support/ops-bed.ts';

/** `verify` and `import`: JumpCloud and Terranova only, no Kafka, Redis or processor needed. */
describe('ops > verify and import', () => {
  let bed: OpsBed;
  beforeAll(async () => {
    bed = await OpsBed.create();
  });
  afterAll(() => bed.close());

  describe('verify', () => {
    it('checks every setting of both ends and says the integration is verified', async () => {
      const { code, stdout } = await bed.ops(['verify', '--tenant', TENANT, '--json']);
      expect(code).toBe(0);
      const report = JSON.parse(stdout) as { ok: boolean; checks: { system: string; name: string; status: string; message: string }[] };
      expect(report.ok).toBe(true);
      expect(report.checks.map((c) => `${c.system}/${c.name}/${c.status}`)).toEqual(['jumpcloud/api-key/ok', 'jumpcloud/application/ok', 'jumpcloud/directory-insights/ok', 'terranova/scim/ok']);
      const text = await bed.ops(['verify', '--tenant', TENANT]);
      expect(text.stdout).toMatch(/tenant globex: integration verified/);
    });

    it('names a refused JumpCloud key and a missing secret, without printing the key', async () => {
      const refused = await bed.ops(['verify', '--tenant', TENANT], { env: { OPS_TEST_JC_KEY: 'not-the-key' } });
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/api-key\s+failed\s+the API key was refused for organization .*check the tenant's apiKey and orgId/);
      expect(refused.stdout).toMatch(/application\s+skipped/);
      expect(refused.stdout).not.toContain('not-the-key');
      const missing = await bed.ops(['verify', '--tenant', TENANT], { env: { OPS_TEST_JC_KEY: '' } });
      expect(missing.code).toBe(1);
      expect(missing.stdout).toMatch(/environment variable OPS_TEST_JC_KEY is not set/);
    });

    it('names a wrong application id, a refused Terranova token and a wrong base URL', async () => {
      await bed.writeConfigs({ ingestTenant: { applicationId: '0123456789abcdef01234567' }, terranova: { baseUrl: `${bed.terranova.url}/nowhere/scim/v2` } });
      const wrong = await bed.ops(['verify', '--tenant', TENANT, '--json']);
      expect(wrong.code).toBe(1);
      const checks = (JSON.parse(wrong.stdout) as { checks: { name: string; status: string; message: string }[] }).checks;
      expect(checks.find((c) => c.name === 'application')).toMatchObject({ status: 'failed', message: expect.stringContaining('has no application 0123456789abcdef01234567') });
      expect(checks.find((c) => c.name === 'scim')).toMatchObject({ status: 'failed', message: expect.stringMatching(/nowhere\/scim\/v2/) });
      await bed.writeConfigs();
      const token = await bed.ops(['verify', '--tenant', TENANT], { env: { OPS_TEST_TN_TOKEN: 'expired-token' } });
      expect(token.code).toBe(1);
      expect(token.stdout).toMatch(/scim\s+failed\s+the token was refused \(HTTP 401\)/);
      expect(token.stdout).not.toContain('expired-token');
    });

    it('exits 4 for a tenant a config file does not have, and 2 without --ingest-config', async () => {
      const unknown = await bed.ops(['verify', '--tenant', 'nobody']);
      expect(unknown.code).toBe(4);
      expect(unknown.stderr).toMatch(/no tenant nobody in .*tenants\.json \(tenants: globex\)/);
      const bare = await bed.ops(['verify', '--tenant', TENANT, '--config', bed.file('processor.json')], { bare: true });
      expect(bare.code).toBe(2);
      expect(bare.stderr).toMatch(/--ingest-config <ingest\.json> is required/);
      expect((await bed.ops(['verify', '--help'], { bare: true })).stdout).toMatch(/^ops verify --tenant <id>/);
    });
  });

  describe('import', () => {
    const jumpcloudUsers = () => bed.jumpcloud.tenant(TENANT).org.listUsers();

    beforeAll(() => {
      const [byName, byEmail] = jumpcloudUsers();
      // Terranova already has: a JumpCloud user under its username, another under a different name but its email,
      // two people JumpCloud does not know (one inactive), and one it could not create (no email at all).
      bed.terranova.admin.seedUser(TENANT, { userName: byName!.username, emails: [{ value: 'other@globex.example', primary: true }], active: true });
      bed.terranova.admin.seedUser(TENANT, { userName: 'legacy.login', emails: [{ value: byEmail!.email, primary: true }], active: true });
      bed.terranova.admin.seedUser(TENANT, { userName: 'tn.only', name: { givenName: 'Tera', familyName: 'Only' }, emails: [{ value: 'tn.only@globex.example', primary: true }], externalId: 'E-9001', active: true });
      bed.terranova.admin.seedUser(TENANT, { userName: 'tn.gone', emails: [{ value: 'tn.gone@globex.example', primary: true }], active: false });
      bed.terranova.admin.seedUser(TENANT, { userName: 'no-mail', active: true });
    });

    it('shows each Terranova user as New or Imported (by userName, then email), and filters the New ones', async () => {
      const { code, stdout } = await bed.ops(['import', '--tenant', TENANT, '--json']);
      expect(code).toBe(0);
      const report = JSON.parse(stdout) as { dryRun: boolean; summary: Record<string, number>; users: { status: string; userName: string; matchedBy?: string }[] };
      expect(report).toMatchObject({ dryRun: true, summary: { terranovaUsers: 5, new: 3, imported: 2 } });
      const [byName] = jumpcloudUsers();
      expect(report.users.find((u) => u.userName === byName!.username)).toMatchObject({ status: 'imported', matchedBy: 'userName' });
      expect(report.users.find((u) => u.userName === 'legacy.login')).toMatchObject({ status: 'imported', matchedBy: 'email' });
      const fresh = await bed.ops(['import', '--tenant', TENANT, '--new-only']);
      expect(fresh.stdout.split('\n').filter((line) => line.startsWith('New')).length).toBe(3);
      expect(fresh.stdout).not.toMatch(/^Imported/m);
      expect(fresh.stdout).toMatch(/3 New, 2 Imported \(dry run: --create creates the New users in JumpCloud\)/);
      expect(jumpcloudUsers().some((u) => u.username === 'tn.only')).toBe(false);
    });

    it('--create creates the New users in JumpCloud, bound to the application, and reports the one it cannot', async () => {
      const before = jumpcloudUsers().length;
      const { code, stdout } = await bed.ops(['import', '--tenant', TENANT, '--create']);
      expect(code).toBe(5);
      expect(stdout).toMatch(/failed\s+no-mail: no email in Terranova/);
      expect(stdout).toMatch(/2 created and bound, 1 failed, 2 already Imported/);
      const created = jumpcloudUsers().filter((u) => u.username === 'tn.only' || u.username === 'tn.gone');
      expect(jumpcloudUsers().length).toBe(before + 2);
      expect(created.find((u) => u.username === 'tn.only')).toMatchObject({ email: 'tn.only@globex.example', firstname: 'Tera', lastname: 'Only', employeeIdentifier: 'E-9001', state: 'ACTIVATED' });
      expect(created.find((u) => u.username === 'tn.gone')).toMatchObject({ state: 'STAGED' });
      const bound = new Set(bed.jumpcloud.tenant(TENANT).org.boundUsers().map((u) => u.id));
      expect(created.every((u) => bound.has(u._id))).toBe(true);
      const again = JSON.parse((await bed.ops(['import', '--tenant', TENANT, '--json'])).stdout) as { summary: Record<string, number> };
      expect(again.summary).toMatchObject({ new: 1, imported: 4 });
    });

    it('fails with the reason, not a stack, when JumpCloud cannot be reached', async () => {
      await bed.writeConfigs({ ingestTenant: { apiBaseUrl: 'http://127.0.0.1:9' } });
      try {
        const { code, stderr } = await bed.ops(['import', '--tenant', TENANT]);
        expect(code).toBe(1);
        expect(stderr).toMatch(/^ops: GET \/api\/systemusers failed: .*\(JUMPCLOUD_NETWORK\)$/m);
        expect(stderr).not.toMatch(/\n\s+at /);
      } finally {
        await bed.writeConfigs();
      }
    });
  });
});
