import { randomUUID } from 'node:crypto';
import { ProcessorControls } from '@provisioning/processor-controls';
import { CHANGE_HEADERS, messageKey } from '@provisioning/schemas';
import { openTenantEnds } from '../clients/tenant-clients.ts';
import type { CommandContext } from '../cli/context.ts';
import { emit, table } from '../cli/output.ts';
import { progressBar } from '../cli/progress.ts';
import { publishStates } from '../provision/publish-states.ts';
import { planReconcile, type ReconcileRow } from './reconcile-plan.ts';

function counts(rows: readonly ReconcileRow[]): Record<string, number> {
  const summary: Record<string, number> = { create: 0, update: 0, reactivate: 0, deactivate: 0, delete: 0, unmanaged: 0 };
  for (const r of rows) summary[r.action] = (summary[r.action] ?? 0) + 1;
  return summary;
}

/** `ops reconcile`: what would change between JumpCloud and Terranova; `--apply` sends the processors the states. */
export async function reconcileCommand(c: CommandContext): Promise<number> {
  const { tenant, settings, scim, jumpcloud } = await openTenantEnds(c);
  const tenantId = tenant.id;
  const controls = new ProcessorControls(await c.redis(), c.config.redis.keyPrefix);
  const [{ users }, bound, terranovaUsers, applied] = await Promise.all([
    jumpcloud.listUsers(),
    jumpcloud.listBoundUserIds(settings.applicationId),
    scim.listAllUsers(),
    controls.appliedUsers(tenantId),
  ]);
  const runId = randomUUID().slice(0, 8);
  const rows = planReconcile({ tenantId, runId, mapping: tenant.mapping, deprovisionMode: tenant.deprovisionMode, jumpcloudUsers: users, bound, terranovaUsers, applied });
  const changes = rows.filter((r) => r.event !== undefined);
  const apply = c.values['apply'] === true;
  if (apply) {
    const bar = progressBar('publishing');
    // Checked against Terranova itself: the processors' own records may not show drift made in Terranova.
    const states = changes.map((r) => ({ key: messageKey(tenantId, r.userId!), event: r.event!, headers: { [CHANGE_HEADERS.checkTerranova]: 'true' } }));
    await publishStates(c.kafka(), c.config.kafka.topics.userChanges, states, (n) => bar.update(n, changes.length));
    bar.stop();
  }
  const summary = counts(rows);
  const listed = rows.map(({ event, ...rest }) => ({ ...rest, eventId: event?.eventId }));
  emit(c.values['json'] === true, { tenant: tenantId, applied: apply, runId, summary, rows: listed }, () =>
    [
      rows.length === 0 ? `JumpCloud and Terranova agree for tenant ${tenantId}` : table(['action', 'JumpCloud user', 'userName', 'detail'], rows.map((r) => [r.action, r.userId ?? '', r.userName, r.detail])),
      Object.entries(summary).filter(([, n]) => n > 0).map(([action, n]) => `${n} ${action}`).join(', ') || 'nothing to change',
      apply ? `published ${changes.length} state events (ids reconcile:${runId}:<user>); the processors apply them` : changes.length > 0 ? 'dry run: --apply publishes the state events that make these changes' : '',
    ].filter(Boolean).join('\n'),
  );
  return 0;
}
