import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { parseConfig, readJsonFile, secretRefSchema, type DeepReadonly } from '@provisioning/config';
import { tenantMappingSettingsSchema } from '@provisioning/mapping';
import { PROCESSOR_DEFAULTS } from '@provisioning/processor-controls';
import { TOPICS } from '@provisioning/schemas';
import { OpsError } from '../cli/ops-error.ts';

/**
 * What the operator commands need from the processor's own config file: where Kafka and Redis are, the
 * consumer group, the topics and the Redis key prefix. Everything else in the file is the processor's business,
 * so this reader ignores it rather than restating the processor's schema.
 */
const opsConfigSchema = z.object({
  kafka: z.object({
    brokers: z.array(z.string().min(1)).min(1),
    groupId: z.string().min(1).default(PROCESSOR_DEFAULTS.groupId),
    topics: z
      .object({ userChanges: z.string().min(1), results: z.string().min(1), dlq: z.string().min(1) })
      .default({ ...TOPICS }),
  }),
  redis: z.object({
    url: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL'),
    keyPrefix: z.string().min(1).default(PROCESSOR_DEFAULTS.keyPrefix),
  }),
  controls: z.object({ refreshMs: z.int().positive().default(5_000) }).default({ refreshMs: 5_000 }),
  tenantsFile: z.string().min(1),
});

/** What the commands read of a tenant in the processor's tenants file (leniently: the processor validates it). */
const opsTenantSchema = z.object({
  id: z.string().min(1),
  enabled: z.boolean().default(true),
  terranova: z.object({ baseUrl: z.string().min(1), token: secretRefSchema, timeoutMs: z.int().positive().default(10_000) }),
  deprovisionMode: z.enum(['deactivate', 'delete']).default('deactivate'),
  mapping: tenantMappingSettingsSchema.default({ userNameFrom: 'username', defaultLanguage: 'en-US', languageOverrides: {} }),
});

const tenantsFileSchema = z.object({ tenants: z.array(opsTenantSchema) });

export type OpsConfig = DeepReadonly<z.output<typeof opsConfigSchema>>;
export type OpsTenant = DeepReadonly<z.output<typeof opsTenantSchema>>;

/** Reads the processor config file the commands act on; every problem is listed in one ConfigError. */
export async function loadOpsConfig(path: string): Promise<OpsConfig> {
  const config = parseConfig(opsConfigSchema, await readJsonFile(path), path);
  return { ...config, tenantsFile: resolve(dirname(path), config.tenantsFile) };
}

/** The tenants of the processor's tenants file. */
export async function configuredTenants(config: OpsConfig): Promise<readonly OpsTenant[]> {
  return parseConfig(tenantsFileSchema, await readJsonFile(config.tenantsFile), config.tenantsFile).tenants;
}

/** The tenant ids of the processor's tenants file. */
export async function configuredTenantIds(config: OpsConfig): Promise<string[]> {
  return (await configuredTenants(config)).map((t) => t.id);
}

/** One tenant of the tenants file; NOT_FOUND (exit 4) when the processor does not know it. */
export async function configuredTenant(config: OpsConfig, tenantId: string): Promise<OpsTenant> {
  const tenants = await configuredTenants(config);
  const tenant = tenants.find((t) => t.id === tenantId);
  if (!tenant) throw new OpsError(`no tenant ${tenantId} in ${config.tenantsFile} (tenants: ${tenants.map((t) => t.id).join(', ') || 'none'})`, 'NOT_FOUND');
  return tenant;
}
