import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageKey, toChangeHeaders, userChangeEventV1Schema, userStateFromSystemUser, systemUserSchema } from '@provisioning/schemas';
import { OpsBed, TENANT } from './support/ops-bed.ts';

/** The commands that work through the processors: reconcile, provision, tenant disable/enable, held/approve/reject. */
describe('ops > commands with a running processor', () => {
  let bed: OpsBed;
  const org = () => bed.jumpcloud.tenant(TENANT).org;
  const terranovaUser = (userName: string) => bed.terranova.admin.userByUserName(TENANT, userName);
  const json = <T>(stdout: string) => JSON.parse(stdout) as T;
  const metrics = () => fetch(`http://127.0.0.1:${bed.processorPort}/metrics`).then((r) => r.text());

  /** JumpCloud users bound to the application and ACTIVATED: the ones Terranova should have active. */
  const shouldBeActive = () => {
    const bound = new Set(org().boundUsers().map((u) => u.id));
    return org().listUsers().filter((u) => bound.has(u._id) && u.state === 'ACTIVATED' && !u.suspended);
  };

  async function patchTerranova(userName: string, path: string, value: unknown) {
    const user = terranovaUser(userName);
    if (!user) throw new Error(`Terranova has no ${userName}; it has ${bed.terranova.admin.users(TENANT).map((u) => u.userName).join(', ')}`);
    const response = await fetch(`${bed.terranova.scimBaseUrl(TENANT)}/Users/${user.id}`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer tn-token', 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path, value }] }),
    });
    expect(response.status).toBe(200);
  }

  beforeAll(async () => {
    bed = await OpsBed.create({ guard: { maxUsers: 3, maxPercent: 100 } });
    await bed.startProcessor();
  });
  afterAll(() => bed.close());

  describe('reconcile', () => {
    it('lists a create for every bound, active JumpCloud user while Terranova is empty; --apply makes it so', async () => {
      const dry = await bed.ops(['reconcile', '--tenant', TENANT, '--json']);
      expect(dry.code).toBe(0);
      const expected = shouldBeActive().length;
      expect(json<{ summary: Record<string, number>; applied: boolean }>(dry.stdout)).toMatchObject({ applied: false, summary: { create: expected, update: 0, deactivate: 0 } });
      expect(bed.terranova.admin.users(TENANT)).toEqual([]);
      const applied = await bed.ops(['reconcile', '--tenant', TENANT, '--apply']);
      expect(applied.code).toBe(0);
      expect(applied.stdout).toMatch(new RegExp(`published ${expected} state events`));
      await expect.poll(() => bed.terranova.admin.users(TENANT).filter((u) => u.active).length, { timeout: 30_000 }).toBe(expected);
      const after = await bed.ops(['reconcile', '--tenant', TENANT]);
      expect(after.stdout).toMatch(/JumpCloud and Terranova agree for tenant globex/);
    });

    it('lists an update with its attributes, a deactivate for an unbound user and an unmanaged Terranova user', async () => {
      const [drifted] = shouldBeActive();
      await patchTerranova(drifted!.username, 'name.familyName', 'Changed-In-Terranova');
      // A user bound through one group only, taken out of that group: no longer bound to the application.
      const direct = org().boundUsers().find((u) => u.id !== drifted!._id && u.paths.length === 1 && u.paths[0]!.length === 2 && org().getUser(u.id)?.state === 'ACTIVATED')!;
      bed.jumpcloud.tenant(TENANT).applyActions([{ at: new Date().toISOString(), action: 'remove_from_group', userId: direct.id, groupId: direct.paths[0]![0]!.to.id }]);
      const deleted = shouldBeActive().find((u) => u._id !== drifted!._id && u._id !== direct.id)!;
      bed.jumpcloud.tenant(TENANT).applyActions([{ at: new Date().toISOString(), action: 'delete_user', userId: deleted._id }]);
      bed.terranova.admin.seedUser(TENANT, { userName: 'made.in.terranova', emails: [{ value: 'made@globex.example', primary: true }], active: true });
      const { stdout } = await bed.ops(['reconcile', '--tenant', TENANT, '--json']);
      const rows = json<{ rows: { action: string; userId?: string; userName: string; attributes?: string[] }[] }>(stdout).rows;
      expect(rows.find((r) => r.userId === drifted!._id)).toMatchObject({ action: 'update', attributes: ['name.familyName'] });
      expect(rows.find((r) => r.userId === direct.id)).toMatchObject({ action: 'deactivate' });
      // Deleted in JumpCloud: only the processor's records still tie it to its Terranova user.
      expect(rows.find((r) => r.userId === deleted._id)).toMatchObject({ action: 'deactivate', userName: deleted.username, detail: expect.stringMatching(/^deleted/) });
      expect(rows.find((r) => r.userName === 'made.in.terranova')).toMatchObject({ action: 'unmanaged' });
      expect(rows).toHaveLength(4);
      expect((await bed.ops(['reconcile', '--tenant', TENANT, '--apply'])).code).toBe(0);
      await expect.poll(() => (terranovaUser(drifted!.username)?.name as { familyName?: string } | undefined)?.familyName, { timeout: 20_000 }).toBe(drifted!.lastname);
      await expect.poll(() => terranovaUser(org().getUser(direct.id)!.username)?.active, { timeout: 20_000 }).toBe(false);
      await expect.poll(() => terranovaUser(deleted.username)?.active, { timeout: 20_000 }).toBe(false);
      expect(terranovaUser('made.in.terranova')?.active).toBe(true);
    });
  });

  describe('provision', () => {
    it('reads one user from JumpCloud now and prints the decision, the SCIM calls and the result', async () => {
      const created = (await (await fetch(`${bed.jumpcloud.url}/api/systemusers`, {
        method: 'POST',
        headers: { 'x-api-key': 'jc-key', 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'on.demand', email: 'on.demand@globex.example', firstname: 'On', lastname: 'Demand' }),
      })).json()) as { _id: string };
      bed.jumpcloud.tenant(TENANT).applyActions([{ at: new Date().toISOString(), action: 'bind_user_to_app', userId: created._id }]);
      const first = await bed.ops(['provision', '--tenant', TENANT, '--user', 'on.demand']);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/user [0-9a-f]{24} on\.demand \(ACTIVATED, bound to the application\)/);
      expect(first.stdout).toMatch(/decision: create/);
      expect(first.stdout).toMatch(/POST \/Users → ok/);
      expect(first.stdout).toMatch(/result: applied, Terranova userName on\.demand, id /);
      expect(terranovaUser('on.demand')).toMatchObject({ active: true, name: { givenName: 'On', familyName: 'Demand' } });
      const again = await bed.ops(['provision', '--tenant', TENANT, '--user', created._id, '--json']);
      expect(again.code).toBe(0);
      expect(json<{ result: { action: string; outcome: string; reason: string; scimCalls?: unknown } }>(again.stdout).result).toMatchObject({ action: 'none', outcome: 'skipped', reason: 'up-to-date' });
    });

    it('exits 4 for a user JumpCloud does not have, and 2 without --user', async () => {
      const missing = await bed.ops(['provision', '--tenant', TENANT, '--user', 'nobody.here']);
      expect(missing.code).toBe(4);
      expect(missing.stderr).toMatch(/JumpCloud has no user nobody\.here/);
      expect((await bed.ops(['provision', '--tenant', TENANT])).code).toBe(2);
    });
  });

  describe('tenant disable and enable', () => {
    it('holds the tenant\'s events while disabled (no SCIM call), refuses provision, and lets them flow once enabled', async () => {
      const disabled = await bed.ops(['tenant', 'disable', TENANT, '--reason', 'Terranova maintenance']);
      expect(disabled.code).toBe(0);
      expect(disabled.stdout).toMatch(/tenant globex disabled: the processors stop calling its Terranova within 1 s/);
      await expect.poll(metrics, { timeout: 10_000 }).toMatch(/processor_tenant_parked\{tenant="globex",reason="disabled"\} 1/);
      const status = json<{ tenantId: string; disabledByOperator: { reason: string } | null }[]>((await bed.ops(['tenant', 'status', '--json'])).stdout);
      expect(status).toEqual([expect.objectContaining({ tenantId: TENANT, disabledByOperator: expect.objectContaining({ reason: 'Terranova maintenance' }) })]);
      const refused = await bed.ops(['provision', '--tenant', TENANT, '--user', 'on.demand']);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(/tenant globex is disabled \(by an operator since/);

      const [someone] = shouldBeActive();
      await patchTerranova(someone!.username, 'name.givenName', 'Drifted');
      expect((await bed.ops(['reconcile', '--tenant', TENANT, '--apply'])).code).toBe(0);
      await expect.poll(metrics, { timeout: 10_000 }).toMatch(/processor_events_pending [1-9]/);
      expect((terranovaUser(someone!.username)?.name as { givenName?: string } | undefined)?.givenName).toBe('Drifted');

      const enabled = await bed.ops(['tenant', 'enable', TENANT]);
      expect(enabled.code).toBe(0);
      expect(enabled.stdout).toMatch(/tenant globex enabled: its waiting events flow again/);
      await expect.poll(() => (terranovaUser(someone!.username)?.name as { givenName?: string } | undefined)?.givenName, { timeout: 20_000 }).toBe(someone!.firstname);
      expect((await bed.ops(['tenant', 'status'])).stdout).toMatch(/globex\s+enabled/);
    });

    it('exits 4 for a tenant the processors do not know, and 2 without one', async () => {
      expect((await bed.ops(['tenant', 'disable', 'nobody'])).code).toBe(4);
      expect((await bed.ops(['tenant', 'enable'])).code).toBe(2);
    });
  });

  describe('the mass-deprovision guard: held, approve, reject', () => {
    /** What the ingest publishes when one JumpCloud change unbinds these users: their states, with change headers. */
    async function unbindAsOneChange(userIds: readonly string[]): Promise<string> {
      const changeId = `e2e${randomUUID().slice(0, 8)}`;
      const producer = bed.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const now = new Date().toISOString();
      const messages = userIds.map((userId) => {
        const user = userStateFromSystemUser(systemUserSchema.parse(org().getUser(userId)));
        const event = userChangeEventV1Schema.parse({ schemaVersion: 1, eventId: `${changeId}:${userId}`, tenantId: TENANT, userId, source: 'directory-insights', trigger: 'association_change', occurredAt: now, observedAt: now, bound: false, deleted: false, user });
        return { key: messageKey(TENANT, userId), value: JSON.stringify(event), headers: toChangeHeaders({ id: changeId, deprovisions: userIds.length, boundUsers: 48 }) };
      });
      await producer.send({ topic: bed.topics.userChanges, messages });
      await producer.disconnect();
      return changeId;
    }

    const heldUsers = async () => json<{ changes: { changeId: string; users: { userId: string }[] }[] }>((await bed.ops(['held', '--tenant', TENANT, '--json'])).stdout).changes;

    it('lists the held deprovisions of a change, and applies them on approve', async () => {
      const users = shouldBeActive().slice(0, 4);
      const changeId = await unbindAsOneChange(users.map((u) => u._id));
      await expect.poll(async () => (await heldUsers()).find((c) => c.changeId === changeId)?.users.length ?? 0, { timeout: 20_000 }).toBe(4);
      expect(users.every((u) => terranovaUser(u.username)?.active === true)).toBe(true);
      const listed = await bed.ops(['held', '--tenant', TENANT]);
      expect(listed.stdout).toMatch(new RegExp(`change ${changeId}: 4 users taken out of the application \\(of 48 bound\\), 4 deprovisions held`));
      const approved = await bed.ops(['approve', '--tenant', TENANT, '--change', changeId]);
      expect(approved.code).toBe(0);
      expect(approved.stdout).toMatch(new RegExp(`approved change ${changeId}: 4 deprovisions released`));
      await expect.poll(() => users.filter((u) => terranovaUser(u.username)?.active === false).length, { timeout: 20_000 }).toBe(4);
      expect(await heldUsers()).toEqual([]);
    });

    it('drops them on reject: the users stay active; nothing left to approve (exit 4)', async () => {
      const users = shouldBeActive().filter((u) => terranovaUser(u.username)?.active).slice(0, 4);
      const changeId = await unbindAsOneChange(users.map((u) => u._id));
      await expect.poll(async () => (await heldUsers()).length, { timeout: 20_000 }).toBe(1);
      const rejected = await bed.ops(['reject', '--tenant', TENANT]);
      expect(rejected.code).toBe(0);
      expect(rejected.stdout).toMatch(new RegExp(`rejected change ${changeId}: 4 deprovisions dropped`));
      expect(await heldUsers()).toEqual([]);
      expect(users.every((u) => terranovaUser(u.username)?.active === true)).toBe(true);
      const nothing = await bed.ops(['approve', '--tenant', TENANT]);
      expect(nothing.code).toBe(4);
      expect(nothing.stderr).toMatch(/nothing is held for tenant globex/);
    });
  });
});
