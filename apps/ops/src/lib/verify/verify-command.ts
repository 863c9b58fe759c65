import type { JumpCloudCheck } from '@provisioning/jumpcloud-client';
import type { ScimClient } from '@provisioning/scim-client';
import { resolveJumpCloud, resolveScim } from '../clients/tenant-clients.ts';
import { tenantOf, type CommandContext } from '../cli/context.ts';
import { emit, table } from '../cli/output.ts';
import { jumpCloudTenant } from '../config/ingest-config.ts';
import { configuredTenant, type OpsTenant } from '../config/ops-config.ts';

/** One verified setting, of JumpCloud or of Terranova. */
export interface VerifyCheck {
  system: 'jumpcloud' | 'terranova';
  name: string;
  status: 'ok' | 'failed' | 'skipped';
  message: string;
  httpStatus?: number | undefined;
}

const jumpcloud = (check: JumpCloudCheck): VerifyCheck => ({ system: 'jumpcloud', ...check });

async function terranovaCheck(c: CommandContext, tenant: OpsTenant): Promise<VerifyCheck> {
  const fail = (message: string, httpStatus?: number): VerifyCheck => ({ system: 'terranova', name: 'scim', status: 'failed', message, httpStatus });
  let resolved;
  try {
    resolved = await resolveScim(tenant, c.env, c.logger);
  } catch (error) {
    return fail(`the SCIM base URL ${tenant.terranova.baseUrl} is not usable: ${(error as Error).message}`);
  }
  if (!resolved.ok) return fail(resolved.problem);
  const client: ScimClient = resolved.client;
  try {
    const result = await client.verify();
    if (!result.ok) return fail(result.message, result.httpStatus);
    const patch = result.patchSupported === undefined ? '' : `; PATCH ${result.patchSupported ? 'supported' : 'not announced'}`;
    return { system: 'terranova', name: 'scim', status: 'ok', message: `${result.message} at ${tenant.terranova.baseUrl}${patch}` };
  } finally {
    await client.close();
  }
}

async function jumpCloudChecks(c: CommandContext, tenantId: string): Promise<VerifyCheck[]> {
  const settings = await jumpCloudTenant(c.values['ingest-config'], tenantId);
  const resolved = await resolveJumpCloud(settings, c.env, c.logger);
  if (!resolved.ok) return [{ system: 'jumpcloud', name: 'api-key', status: 'failed', message: resolved.problem }];
  return (await resolved.client.verify(settings.applicationId)).map(jumpcloud);
}

/** `ops verify`: the integration-verified step, for both ends of a tenant. Exit 1 when something is wrong. */
export async function verifyCommand(c: CommandContext): Promise<number> {
  const tenantId = tenantOf(c.values);
  const tenant = await configuredTenant(c.config, tenantId);
  const checks = [...(await jumpCloudChecks(c, tenantId)), await terranovaCheck(c, tenant)];
  const ok = checks.every((check) => check.status === 'ok');
  emit(c.values['json'] === true, { tenant: tenantId, ok, checks }, () =>
    [
      table(['system', 'check', 'status', 'detail'], checks.map((check) => [check.system, check.name, check.status, check.message])),
      ok ? `tenant ${tenantId}: integration verified` : `tenant ${tenantId}: ${checks.filter((check) => check.status === 'failed').length} check(s) failed`,
    ].join('\n'),
  );
  return ok ? 0 : 1;
}
