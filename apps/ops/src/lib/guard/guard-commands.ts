import { ProcessorControls, type HeldDeprovision } from '@provisioning/processor-controls';
import { CHANGE_HEADERS } from '@provisioning/schemas';
import { tenantOf, type CommandContext } from '../cli/context.ts';
import { OpsError } from '../cli/ops-error.ts';
import { emit, table } from '../cli/output.ts';
import { configuredTenant } from '../config/ops-config.ts';
import { publishStates, type OutgoingState } from '../provision/publish-states.ts';

/** Held deprovisions of one JumpCloud change. */
interface HeldChange {
  changeId: string;
  deprovisions: number;
  boundUsers: number;
  users: { userId: string; userName: string; action: string; heldAt: string; eventId: string }[];
}

function byChange(held: readonly HeldDeprovision[]): HeldChange[] {
  const changes = new Map<string, HeldChange>();
  for (const entry of held) {
    const change = changes.get(entry.changeId) ?? { changeId: entry.changeId, ...entry.change, users: [] };
    change.users.push({ userId: entry.userId, userName: entry.userName, action: entry.action, heldAt: entry.heldAt, eventId: entry.eventId });
    changes.set(entry.changeId, change);
  }
  return [...changes.values()];
}

async function heldOf(c: CommandContext): Promise<{ tenantId: string; controls: ProcessorControls; held: HeldDeprovision[] }> {
  const tenantId = (await configuredTenant(c.config, tenantOf(c.values))).id;
  const controls = new ProcessorControls(await c.redis(), c.config.redis.keyPrefix);
  return { tenantId, controls, held: await controls.held(tenantId, c.values['change'] as string | undefined) };
}

function nothingHeld(tenantId: string, changeId: unknown): OpsError {
  return new OpsError(`nothing is held for tenant ${tenantId}${typeof changeId === 'string' ? ` in change ${changeId}` : ''}; see \`ops held --tenant ${tenantId}\``, 'NOT_FOUND');
}

function changesText(changes: readonly HeldChange[]): string {
  return changes
    .map((change) =>
      [
        `change ${change.changeId}: ${change.deprovisions} users taken out of the application (of ${change.boundUsers} bound), ${change.users.length} deprovisions held`,
        table(['user', 'userName', 'action', 'held at'], change.users.map((u) => [u.userId, u.userName, u.action, u.heldAt])),
      ].join('\n'),
    )
    .join('\n\n');
}

/** `ops held`: what the guard holds, by change. */
export async function heldCommand(c: CommandContext): Promise<number> {
  const { tenantId, held } = await heldOf(c);
  const changes = byChange(held);
  emit(c.values['json'] === true, { tenant: tenantId, changes }, () =>
    changes.length === 0 ? `nothing is held for tenant ${tenantId}` : `${changesText(changes)}\n\napprove with \`ops approve --tenant ${tenantId}\`, or drop with \`ops reject --tenant ${tenantId}\` (add --change <id> for one change)`,
  );
  return 0;
}

/** The held state again, under a new event id and without the change headers, marked as approved. */
function released(entry: HeldDeprovision): OutgoingState {
  const event = { ...(JSON.parse(entry.message.value) as Record<string, unknown>), eventId: `${entry.eventId}:approved` };
  const headers = Object.fromEntries(Object.entries(entry.message.headers).filter(([name]) => !Object.values(CHANGE_HEADERS).includes(name as never)));
  return { key: entry.message.key, event, headers: { ...headers, [CHANGE_HEADERS.approved]: entry.changeId } };
}

/**
 * `ops approve`: the change is marked approved (its later events apply at once), then its held states go back on
 * the state topic and are forgotten here. Publishing before forgetting means a crash in between only repeats
 * the publish, and the repeated event ids are recognised as duplicates.
 */
export async function approveCommand(c: CommandContext): Promise<number> {
  const { tenantId, controls, held } = await heldOf(c);
  if (held.length === 0) throw nothingHeld(tenantId, c.values['change']);
  const changes = byChange(held);
  for (const change of changes) await controls.decide(tenantId, change.changeId, 'approved');
  await publishStates(c.kafka(), c.config.kafka.topics.userChanges, held.map(released));
  await controls.release(tenantId, held.map((entry) => entry.eventId));
  emit(c.values['json'] === true, { tenant: tenantId, decision: 'approved', changes }, () =>
    [...changes.map((change) => `approved change ${change.changeId}: ${change.users.length} deprovisions released to the processors`), `${held.length} deprovisions will be applied`].join('\n'),
  );
  return 0;
}

/** `ops reject`: the change is marked rejected (its later events are dropped too) and its held deprovisions forgotten. */
export async function rejectCommand(c: CommandContext): Promise<number> {
  const { tenantId, controls, held } = await heldOf(c);
  if (held.length === 0) throw nothingHeld(tenantId, c.values['change']);
  const changes = byChange(held);
  for (const change of changes) await controls.decide(tenantId, change.changeId, 'rejected');
  await controls.release(tenantId, held.map((entry) => entry.eventId));
  emit(c.values['json'] === true, { tenant: tenantId, decision: 'rejected', changes }, () =>
    [
      ...changes.map((change) => `rejected change ${change.changeId}: ${change.users.length} deprovisions dropped`),
      `the users stay active in Terranova; \`ops reconcile --tenant ${tenantId}\` lists where JumpCloud and Terranova now disagree`,
    ].join('\n'),
  );
  return 0;
}
