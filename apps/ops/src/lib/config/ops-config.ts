import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { parseConfig, readJsonFile, type DeepReadonly } from '@provisioning/config';
import { PROCESSOR_DEFAULTS } from '@provisioning/processor-controls';
import { TOPICS } from '@provisioning/schemas';

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
  tenantsFile: z.string().min(1),
});

const tenantIdsSchema = z.object({ tenants: z.array(z.object({ id: z.string().min(1) })) });

export type OpsConfig = DeepReadonly<z.output<typeof opsConfigSchema>>;

/** Reads the processor config file the commands act on; every problem is listed in one ConfigError. */
export async function loadOpsConfig(path: string): Promise<OpsConfig> {
  const config = parseConfig(opsConfigSchema, await readJsonFile(path), path);
  return { ...config, tenantsFile: resolve(dirname(path), config.tenantsFile) };
}

/** The tenant ids of the processor's tenants file. */
export async function configuredTenantIds(config: OpsConfig): Promise<string[]> {
  return parseConfig(tenantIdsSchema, await readJsonFile(config.tenantsFile), config.tenantsFile).tenants.map((t) => t.id);
}
