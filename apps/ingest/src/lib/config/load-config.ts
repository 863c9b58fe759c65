import { hostname } from 'node:os';
import { ConfigError, deepFreeze, parseConfig, readJsonFile, resolveSecret, type DeepReadonly, type Environment, type SecretRef } from '@provisioning/config';
import { ingestConfigSchema, type IngestConfigFile, type TenantConfigFile } from './config-schema.ts';

/** A tenant with its secrets read and its base URLs settled. */
export interface TenantSettings extends Omit<TenantConfigFile, 'apiKey' | 'webhookSecret' | 'apiBaseUrl' | 'insightsBaseUrl'> {
  apiKey: string;
  webhookSecret?: string;
  apiBaseUrl: string;
  insightsBaseUrl: string;
}

/** The ingest's configuration after validation and secret resolution; frozen. */
export type IngestConfig = DeepReadonly<
  Omit<IngestConfigFile, 'tenants' | 'redis' | 'instanceId'> & {
    instanceId: string;
    redis: { url: string; password?: string; keyPrefix: string };
    tenants: TenantSettings[];
  }
>;

type Resolved = { ok: true; value: string } | { ok: false; problem: string };

/** Resolves every secret reference, collecting all problems before failing. */
async function resolveAll(refs: readonly [string, SecretRef | undefined][], env: Environment) {
  const values = new Map<string, string>();
  const problems: string[] = [];
  for (const [path, ref] of refs) {
    if (!ref) continue;
    const resolved: Resolved = await resolveSecret(ref, env);
    if (resolved.ok) values.set(path, resolved.value);
    else problems.push(`${path}: ${resolved.problem}`);
  }
  return { values, problems };
}

function secretRefsOf(file: DeepReadonly<IngestConfigFile>): [string, SecretRef | undefined][] {
  return [
    ['redis.password', file.redis.password],
    ...file.tenants.flatMap((t, i): [string, SecretRef | undefined][] => [
      [`tenants.${i}.apiKey`, t.apiKey],
      [`tenants.${i}.webhookSecret`, t.webhookSecret],
    ]),
  ];
}

/**
 * Validates a config value and reads its secrets. Every problem (schema or secret) is listed in one
 * ConfigError, so one failed start shows everything to fix.
 */
export async function resolveIngestConfig(input: unknown, source: string, env: Environment): Promise<IngestConfig> {
  const file = parseConfig(ingestConfigSchema, input, source);
  const { values, problems } = await resolveAll(secretRefsOf(file), env);
  if (problems.length > 0) throw new ConfigError(source, problems);
  const password = values.get('redis.password');
  return deepFreeze({
    ...file,
    instanceId: file.instanceId ?? `${hostname()}-${process.pid}`,
    redis: { url: file.redis.url, keyPrefix: file.redis.keyPrefix, ...(password ? { password } : {}) },
    tenants: file.tenants.map((tenant, i): TenantSettings => {
      const { apiKey: _apiKeyRef, webhookSecret: _secretRef, apiBaseUrl, insightsBaseUrl, ...plain } = tenant;
      const webhookSecret = values.get(`tenants.${i}.webhookSecret`);
      return {
        ...plain,
        apiKey: values.get(`tenants.${i}.apiKey`) as string,
        ...(webhookSecret ? { webhookSecret } : {}),
        apiBaseUrl: apiBaseUrl ?? file.jumpcloud.apiBaseUrl,
        insightsBaseUrl: insightsBaseUrl ?? file.jumpcloud.insightsBaseUrl,
      };
    }),
  });
}

/** Reads, validates and resolves the config file at `path`. */
export async function loadIngestConfig(path: string, env: Environment): Promise<IngestConfig> {
  return resolveIngestConfig(await readJsonFile(path), path, env);
}
