import type { Environment } from '@provisioning/config';
import { configuredTenantIds } from '../config/ops-config.ts';
import { listDlq, redriveDlq } from '../dlq/dlq-commands.ts';
import { approveCommand, heldCommand, rejectCommand } from '../guard/guard-commands.ts';
import { importCommand } from '../import/import-command.ts';
import { provisionCommand } from '../provision/provision-command.ts';
import { reconcileCommand } from '../reconcile/reconcile-command.ts';
import { replay } from '../replay/replay-command.ts';
import { parseReplayFrom } from '../replay/replay-from.ts';
import { tenantDisableCommand, tenantEnableCommand, tenantStatusCommand } from '../tenant/tenant-commands.ts';
import { verifyCommand } from '../verify/verify-command.ts';
import { openContext, type CommandContext, type Values } from './context.ts';
import { OpsError } from './ops-error.ts';
import { emit, table } from './output.ts';
import { progressBar } from './progress.ts';

async function replayCommand(c: CommandContext): Promise<number> {
  const { values } = c;
  const tenant = values['tenant'] as string | undefined;
  if (!tenant === !values['all']) throw new OpsError('name one tenant with --tenant <id>, or all of them with --all', 'USAGE');
  if (typeof values['from'] !== 'string') throw new OpsError('--from is required (earliest, an ISO timestamp, an offset or p:o pairs)', 'USAGE');
  const request = { tenantIds: tenant ? [tenant] : [], from: parseReplayFrom(values['from']), force: values['force'] === true };
  const summary = await replay(await c.admin(), await c.redis(), c.config, request, () => configuredTenantIds(c.config));
  emit(values['json'] === true, summary, () =>
    [
      `replay ${summary.replayId}: group ${summary.groupId} moved back on ${summary.topic} (${summary.force ? 'forced' : 'not forced'}, tenants ${summary.tenants === 'all' ? 'all' : summary.tenants.join(', ')})`,
      table(['partition', 'from', 'to', 'events'], summary.partitions.map((p) => [String(p.partition), p.from, p.to, p.events])),
      `${summary.eventsToReplay} events will be read again when the processors start.`,
    ].join('\n'),
  );
  return 0;
}

async function dlqListCommand(c: CommandContext): Promise<number> {
  const bar = progressBar('reading the DLQ');
  const entries = await listDlq(c.kafka(), await c.admin(), c.config.kafka.topics.dlq, c.values['tenant'] as string | undefined, (n) => bar.update(n));
  bar.stop();
  emit(c.values['json'] === true, entries, () =>
    entries.length === 0
      ? 'the DLQ is empty'
      : `${table(['entry', 'key', 'error', 'attempts', 'failed at', 'reason'], entries.map((e) => [e.id, e.key ?? '', e.errorCode ?? '', e.attempts ?? '', e.failedAt ?? '', (e.errorMessage ?? '').slice(0, 120)]))}\n${entries.length} entries`,
  );
  return 0;
}

async function dlqRedriveCommand(c: CommandContext): Promise<number> {
  const { values } = c;
  const entryIds = (values['entry'] as string[] | undefined) ?? [];
  if ((entryIds.length > 0) === (values['all'] === true)) throw new OpsError('name entries with --entry <partition:offset>, or take every one with --all', 'USAGE');
  const bar = progressBar('redriving');
  const selection = { entryIds, all: values['all'] === true, tenantId: values['tenant'] as string | undefined };
  const outcome = await redriveDlq(c.kafka(), await c.admin(), c.config.kafka.topics, selection, values['value-file'] as string | undefined, (done, total) => bar.update(done, total));
  bar.stop();
  emit(values['json'] === true, outcome, () =>
    [
      ...outcome.redriven.map((r) => `redriven ${r.id} → ${r.key} as ${r.eventId}`),
      ...outcome.refused.map((r) => `refused  ${r.id}: ${r.reason}`),
      `${outcome.redriven.length} redriven, ${outcome.refused.length} refused`,
    ].join('\n'),
  );
  return outcome.refused.length > 0 ? 5 : 0;
}

const HANDLERS: Record<string, (c: CommandContext) => Promise<number>> = {
  replay: replayCommand,
  'dlq list': dlqListCommand,
  'dlq redrive': dlqRedriveCommand,
  verify: verifyCommand,
  import: importCommand,
  'tenant disable': tenantDisableCommand,
  'tenant enable': tenantEnableCommand,
  'tenant status': tenantStatusCommand,
  provision: provisionCommand,
  reconcile: reconcileCommand,
  held: heldCommand,
  approve: approveCommand,
  reject: rejectCommand,
};

/** Runs one parsed command with its connections, closing them whatever happens. */
export async function runCommand(name: string, values: Values, env: Environment): Promise<number> {
  const context = await openContext(values, env);
  try {
    return await HANDLERS[name]!(context);
  } finally {
    await context.close();
  }
}
