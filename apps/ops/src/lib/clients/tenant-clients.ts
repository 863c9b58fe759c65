import type { Logger } from 'pino';
import { resolveSecret, type Environment } from '@provisioning/config';
import { JumpCloudClient } from '@provisioning/jumpcloud-client';
import { ScimClient } from '@provisioning/scim-client';
import { tenantOf, type CommandContext } from '../cli/context.ts';
import { OpsError } from '../cli/ops-error.ts';
import { jumpCloudTenant, type JumpCloudTenant } from '../config/ingest-config.ts';
import { configuredTenant, type OpsTenant } from '../config/ops-config.ts';

/** A client, or why there is none (a secret that cannot be read), in words `verify` can report. */
export type Resolved<T> = { ok: true; client: T } | { ok: false; problem: string };

/** The tenant's JumpCloud client, its API key read from where the ingest's config says. */
export async function resolveJumpCloud(settings: JumpCloudTenant, env: Environment, logger: Logger): Promise<Resolved<JumpCloudClient>> {
  const key = await resolveSecret(settings.apiKey, env);
  if (!key.ok) return { ok: false, problem: `the API key of tenant ${settings.tenantId} (${settings.source}): ${key.problem}` };
  const client = new JumpCloudClient({
    apiKey: key.value,
    orgId: settings.orgId,
    apiBaseUrl: settings.apiBaseUrl,
    insightsBaseUrl: settings.insightsBaseUrl,
    timeoutMs: settings.timeoutMs,
    retries: settings.retries,
    minRetryDelayMs: settings.minRetryDelayMs,
    maxRetryDelayMs: settings.maxRetryDelayMs,
    logger: logger.child({ component: 'jumpcloud', tenantId: settings.tenantId }),
  });
  return { ok: true, client };
}

/** The tenant's Terranova SCIM client, its token read from where the tenants file says. */
export async function resolveScim(tenant: OpsTenant, env: Environment, logger: Logger): Promise<Resolved<ScimClient>> {
  const token = await resolveSecret(tenant.terranova.token, env);
  if (!token.ok) return { ok: false, problem: `the Terranova token of tenant ${tenant.id}: ${token.problem}` };
  const client = new ScimClient({ baseUrl: tenant.terranova.baseUrl, token: token.value, timeoutMs: tenant.terranova.timeoutMs, logger: logger.child({ tenantId: tenant.id }) });
  return { ok: true, client };
}

/** The client, or a config error (exit 2) naming the secret that is missing. */
export function required<T>(resolved: Resolved<T>): T {
  if (!resolved.ok) throw new OpsError(`${resolved.problem}; run \`ops verify\` to check the tenant's settings`, 'USAGE');
  return resolved.client;
}

/** Both ends of the command's tenant: its settings from both config files and a client for each (closed with the command). */
export async function openTenantEnds(c: CommandContext): Promise<{ tenant: OpsTenant; settings: JumpCloudTenant; scim: ScimClient; jumpcloud: JumpCloudClient }> {
  const tenantId = tenantOf(c.values);
  const [tenant, settings] = await Promise.all([configuredTenant(c.config, tenantId), jumpCloudTenant(c.values['ingest-config'], tenantId)]);
  const scim = required(await resolveScim(tenant, c.env, c.logger));
  c.onClose(() => scim.close());
  const jumpcloud = required(await resolveJumpCloud(settings, c.env, c.logger));
  return { tenant, settings, scim, jumpcloud };
}
