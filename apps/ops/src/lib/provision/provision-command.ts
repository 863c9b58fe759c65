import { randomUUID } from 'node:crypto';
import type { JumpCloudClient } from '@provisioning/jumpcloud-client';
import { ProcessorControls } from '@provisioning/processor-controls';
import { CHANGE_HEADERS, messageKey, type ProvisioningResultV1, type SystemUser, type UserChangeEventV1 } from '@provisioning/schemas';
import { required, resolveJumpCloud } from '../clients/tenant-clients.ts';
import { tenantOf, type CommandContext } from '../cli/context.ts';
import { OpsError } from '../cli/ops-error.ts';
import { emit } from '../cli/output.ts';
import { jumpCloudTenant } from '../config/ingest-config.ts';
import { configuredTenant, type OpsTenant } from '../config/ops-config.ts';
import { stateEventOf } from '../events/state-event.ts';
import { awaitResult, topicEnds } from '../kafka/await-result.ts';
import { publishStates } from './publish-states.ts';

const JUMPCLOUD_ID = /^[0-9a-f]{24}$/i;

/** The user named by id or username; NOT_FOUND (exit 4) when JumpCloud has no such user. */
async function findUser(client: JumpCloudClient, user: string): Promise<SystemUser> {
  const found = (JUMPCLOUD_ID.test(user) ? await client.getUser(user) : undefined) ?? (await client.findUserByUsername(user));
  if (!found) throw new OpsError(`JumpCloud has no user ${user} (by id or username)`, 'NOT_FOUND');
  return found;
}

/** A provision call on a tenant that would not run it is refused at once rather than left waiting. */
async function assertEnabled(c: CommandContext, tenant: OpsTenant): Promise<void> {
  const disabled = (await new ProcessorControls(await c.redis(), c.config.redis.keyPrefix).disabledTenants([tenant.id])).get(tenant.id);
  if (!tenant.enabled || disabled) {
    const how = disabled ? `by an operator since ${disabled.disabledAt}` : 'in the tenants file';
    throw new OpsError(`tenant ${tenant.id} is disabled (${how}): its events wait, so nothing would be provisioned now; enable it first`, 'REFUSED');
  }
}

function timeoutMs(values: CommandContext['values']): number {
  const seconds = values['timeout'] === undefined ? 60 : Number(values['timeout']);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new OpsError('--timeout takes a number of seconds', 'USAGE');
  return seconds * 1000;
}

function report(event: UserChangeEventV1, result: ProvisioningResultV1): string {
  const state = event.deleted ? 'deleted' : `${event.user.state}${event.user.suspended ? ', suspended' : ''}`;
  const calls = result.scimCalls ?? [];
  return [
    `user ${event.userId} ${event.user.username} (${state}, ${event.bound ? 'bound to' : 'not bound to'} the application), read from JumpCloud at ${event.observedAt}`,
    `decision: ${result.action}`,
    calls.length === 0 ? 'SCIM calls: none' : 'SCIM calls:',
    ...calls.map((call) => `  ${call.method} ${call.path} → ${call.outcome}${call.httpStatus ? ` (HTTP ${call.httpStatus})` : ''}${call.attributes ? ` [${call.attributes.join(', ')}]` : ''}, ${call.durationMs} ms`),
    `result: ${result.outcome}${result.reason ? ` (${result.reason})` : ''}, Terranova userName ${result.userName}${result.scimId ? `, id ${result.scimId}` : ''}, ${result.latencyMs} ms after the read`,
  ].join('\n');
}

/** `ops provision`: one user, read from JumpCloud now, applied through the normal path, the result shown. */
export async function provisionCommand(c: CommandContext): Promise<number> {
  const tenantId = tenantOf(c.values);
  if (typeof c.values['user'] !== 'string') throw new OpsError('name the user with --user <JumpCloud id or username>', 'USAGE');
  const wait = timeoutMs(c.values);
  const [tenant, settings] = await Promise.all([configuredTenant(c.config, tenantId), jumpCloudTenant(c.values['ingest-config'], tenantId)]);
  await assertEnabled(c, tenant);
  const jumpcloud = required(await resolveJumpCloud(settings, c.env, c.logger));
  const user = await findUser(jumpcloud, c.values['user']);
  const bound = (await jumpcloud.listBoundUserIds(settings.applicationId)).has(user._id);
  const event = stateEventOf(tenantId, { userId: user._id, user, bound }, `provision:${randomUUID().slice(0, 8)}:${user._id}`, 'ops-provision');
  const { topics } = c.config.kafka;
  const admin = await c.admin();
  const from = await topicEnds(admin, topics.results);
  // Like JumpCloud's on-demand check: Terranova itself is asked what it holds, not the processors' records.
  await publishStates(c.kafka(), topics.userChanges, [{ key: messageKey(tenantId, user._id), event, headers: { [CHANGE_HEADERS.checkTerranova]: 'true' } }]);
  const result = await awaitResult(c.kafka(), admin, topics.results, from, event.eventId, wait);
  if (!result) throw new OpsError(`no result for ${event.eventId} within ${wait / 1000} s: are the processors running (GET /readyz), and is tenant ${tenantId} parked?`, 'FAILED');
  emit(c.values['json'] === true, { event, result }, () => report(event, result));
  return result.outcome === 'failed' ? 1 : 0;
}
