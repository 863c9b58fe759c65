import type { JumpCloudClient } from '@provisioning/jumpcloud-client';
import { openTenantEnds } from '../clients/tenant-clients.ts';
import type { CommandContext } from '../cli/context.ts';
import { emit, table } from '../cli/output.ts';
import { progressBar } from '../cli/progress.ts';
import { matchUsers, type ImportRow } from './match-users.ts';

/** What `--create` did for one New user. */
interface Created {
  userName: string;
  jumpcloudUserId?: string;
  error?: string;
}

async function createAll(client: JumpCloudClient, applicationId: string, rows: readonly ImportRow[]): Promise<Created[]> {
  const bar = progressBar('creating in JumpCloud');
  const outcomes: Created[] = [];
  for (const row of rows) {
    if (!row.create) {
      outcomes.push({ userName: row.userName, error: row.problem ?? 'cannot be created' });
    } else {
      try {
        const user = await client.createUser(row.create);
        // Bound at once: JumpCloud manages only bound users, and an unbound one would be deactivated in Terranova.
        await client.bindUserToApplication(applicationId, user._id);
        outcomes.push({ userName: row.userName, jumpcloudUserId: user._id });
      } catch (error) {
        outcomes.push({ userName: row.userName, error: (error as Error).message });
      }
    }
    bar.update(outcomes.length, rows.length);
  }
  bar.stop();
  return outcomes;
}

function listing(rows: readonly ImportRow[]): string {
  return table(
    ['status', 'userName', 'email', 'active', 'JumpCloud user', 'matched by'],
    rows.map((r) => [r.status === 'new' ? 'New' : 'Imported', r.userName, r.email ?? '', r.active ? 'yes' : 'no', r.jumpcloudUserId ?? '', r.matchedBy ?? (r.problem ? `cannot create: ${r.problem}` : '')]),
  );
}

/** `ops import`: Terranova's users as New or Imported; `--create` makes the New ones in JumpCloud. */
export async function importCommand(c: CommandContext): Promise<number> {
  const { tenant, settings, scim, jumpcloud } = await openTenantEnds(c);
  const tenantId = tenant.id;
  const [scimUsers, { users }] = await Promise.all([scim.listAllUsers(), jumpcloud.listUsers()]);
  const all = matchUsers(scimUsers, users, tenant.mapping);
  const rows = c.values['new-only'] === true ? all.filter((r) => r.status === 'new') : all;
  const fresh = all.filter((r) => r.status === 'new');
  const summary = { terranovaUsers: all.length, new: fresh.length, imported: all.length - fresh.length };
  if (c.values['create'] !== true) {
    emit(c.values['json'] === true, { tenant: tenantId, dryRun: true, summary, users: rows }, () =>
      `${listing(rows)}\n${summary.new} New, ${summary.imported} Imported (dry run: --create creates the New users in JumpCloud)`,
    );
    return 0;
  }
  const created = await createAll(jumpcloud, settings.applicationId, fresh);
  const failed = created.filter((o) => o.error !== undefined);
  const result = { ...summary, created: created.length - failed.length, failed: failed.length };
  emit(c.values['json'] === true, { tenant: tenantId, dryRun: false, summary: result, users: rows, created }, () =>
    [
      ...created.map((o) => (o.error ? `failed   ${o.userName}: ${o.error}` : `created  ${o.userName} → JumpCloud user ${o.jumpcloudUserId}, bound to the application`)),
      `${result.created} created and bound, ${result.failed} failed, ${result.imported} already Imported`,
    ].join('\n'),
  );
  return failed.length > 0 ? 5 : 0;
}
