import { z } from 'zod';
import { parseConfig, readJsonFile, secretRefSchema, type DeepReadonly } from '@provisioning/config';
import { OpsError } from '../cli/ops-error.ts';

/**
 * What the operator commands need from the ingest's config file (`--ingest-config`): each tenant's JumpCloud
 * organization, application and API key, and the JumpCloud base URLs and timeouts. Read leniently, like the
 * processor's file: the ingest validates the rest.
 */
const jumpcloudSchema = z
  .object({
    apiBaseUrl: z.url().default('https://console.jumpcloud.com'),
    insightsBaseUrl: z.url().default('https://api.jumpcloud.com'),
    timeoutMs: z.int().positive().default(15_000),
    retries: z.int().min(0).default(5),
    minRetryDelayMs: z.int().min(0).default(250),
    maxRetryDelayMs: z.int().min(0).default(30_000),
  })
  .prefault({});

const jumpcloudTenantSchema = z.object({
  tenantId: z.string().min(1),
  orgId: z.string().min(1),
  applicationId: z.string().min(1),
  apiKey: secretRefSchema,
  apiBaseUrl: z.url().optional(),
  insightsBaseUrl: z.url().optional(),
});

const ingestFileSchema = z.object({ jumpcloud: jumpcloudSchema, tenants: z.array(jumpcloudTenantSchema) });

/** A tenant's JumpCloud settings, base URLs settled; the API key is still a reference. */
export type JumpCloudTenant = DeepReadonly<
  Omit<z.output<typeof jumpcloudTenantSchema>, 'apiBaseUrl' | 'insightsBaseUrl'> &
    Omit<z.output<typeof jumpcloudSchema>, 'apiBaseUrl' | 'insightsBaseUrl'> & { apiBaseUrl: string; insightsBaseUrl: string; source: string }
>;

/** The JumpCloud settings of one tenant from the ingest's config file; NOT_FOUND (exit 4) when it has none. */
export async function jumpCloudTenant(path: unknown, tenantId: string): Promise<JumpCloudTenant> {
  if (typeof path !== 'string') throw new OpsError('--ingest-config <ingest.json> is required: the JumpCloud settings come from the ingest\'s config file', 'USAGE');
  const file = parseConfig(ingestFileSchema, await readJsonFile(path), path);
  const tenant = file.tenants.find((t) => t.tenantId === tenantId);
  if (!tenant) throw new OpsError(`no tenant ${tenantId} in ${path} (tenants: ${file.tenants.map((t) => t.tenantId).join(', ') || 'none'})`, 'NOT_FOUND');
  const trim = (url: string) => url.replace(/\/+$/, '');
  return {
    ...file.jumpcloud,
    ...tenant,
    apiBaseUrl: trim(tenant.apiBaseUrl ?? file.jumpcloud.apiBaseUrl),
    insightsBaseUrl: trim(tenant.insightsBaseUrl ?? file.jumpcloud.insightsBaseUrl),
    source: path,
  };
}
