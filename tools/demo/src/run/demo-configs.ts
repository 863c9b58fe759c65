import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { secretVariable, type DemoTenant } from './demo-tenants.ts';

/** Names that keep one demo run apart from any other use of the same broker and Redis. */
export interface DemoNames {
  runId: string;
  topics: { userChanges: string; results: string; dlq: string };
  processorGroupId: string;
  ingestKeyPrefix: string;
  processorKeyPrefix: string;
}

export function demoNames(runId: string): DemoNames {
  const topic = (name: string) => `demo-${runId}.${name}`;
  return {
    runId,
    topics: {
      userChanges: topic('jumpcloud.user-changes.v1'),
      results: topic('terranova.provisioning-results.v1'),
      dlq: topic('jumpcloud.user-changes.v1.dlq'),
    },
    processorGroupId: `demo-${runId}-processor`,
    ingestKeyPrefix: `demo:${runId}:ingest`,
    processorKeyPrefix: `demo:${runId}:processor`,
  };
}

export interface DemoEndpoints {
  kafkaBrokers: string;
  redisUrl: string;
  jumpcloudUrl: string;
  terranovaScimUrl: (tenantId: string) => string;
  ingestPort: number;
  processorPort: number;
}

/** Tuned for a demo: short poll intervals and leases, so a compressed week streams through in minutes. */
function ingestConfig(tenants: readonly DemoTenant[], names: DemoNames, endpoints: DemoEndpoints) {
  return {
    instanceId: `demo-ingest-${names.runId}`,
    logLevel: 'info',
    http: { host: '127.0.0.1', port: endpoints.ingestPort },
    kafka: { brokers: [endpoints.kafkaBrokers], topic: names.topics.userChanges, partitions: 12, replicationFactor: 1 },
    redis: { url: endpoints.redisUrl, keyPrefix: names.ingestKeyPrefix },
    poll: { intervalMs: 250, overlapMs: 2_000, lagMs: 0, pageSize: 1_000 },
    lease: { ttlMs: 3_000, renewIntervalMs: 1_000 },
    jumpcloud: { apiBaseUrl: endpoints.jumpcloudUrl, insightsBaseUrl: endpoints.jumpcloudUrl, retries: 8 },
    tenants: tenants.map((tenant) => ({
      tenantId: tenant.tenantId,
      orgId: tenant.organization,
      applicationId: tenant.applicationId,
      apiKey: { env: secretVariable('JUMPCLOUD_API_KEY', tenant.tenantId) },
      pollStartTime: new Date(Date.parse(tenant.weekStartsAt) - 60_000).toISOString(),
    })),
  };
}

function processorConfig(names: DemoNames, endpoints: DemoEndpoints) {
  return {
    kafka: {
      brokers: [endpoints.kafkaBrokers],
      groupId: names.processorGroupId,
      topics: names.topics,
      createTopics: true,
      partitions: 12,
      consumer: { fromBeginning: true, maxWaitTimeMs: 250 },
    },
    redis: { url: endpoints.redisUrl, keyPrefix: names.processorKeyPrefix },
    http: { host: '127.0.0.1', port: endpoints.processorPort },
    tenantsFile: 'processor-tenants.json',
    logLevel: 'info',
  };
}

function processorTenants(tenants: readonly DemoTenant[], endpoints: DemoEndpoints) {
  return {
    tenants: tenants.map((tenant) => ({
      id: tenant.tenantId,
      terranova: {
        baseUrl: endpoints.terranovaScimUrl(tenant.tenantId),
        token: { env: secretVariable('TERRANOVA_TOKEN', tenant.tenantId) },
      },
      rateLimit: tenant.rateLimit,
      deprovisionMode: 'deactivate',
    })),
  };
}

/** Writes the three config files the apps read; secrets stay out of them (see `secretEnvironment`). */
export async function writeDemoConfigs(dir: string, tenants: readonly DemoTenant[], names: DemoNames, endpoints: DemoEndpoints) {
  const files = {
    ingest: join(dir, 'ingest.json'),
    processor: join(dir, 'processor.json'),
    processorTenants: join(dir, 'processor-tenants.json'),
  };
  const write = (path: string, value: unknown) => writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
  await write(files.ingest, ingestConfig(tenants, names, endpoints));
  await write(files.processor, processorConfig(names, endpoints));
  await write(files.processorTenants, processorTenants(tenants, endpoints));
  return files;
}

/** The variables that carry each tenant's JumpCloud key and Terranova token to the apps. */
export function secretEnvironment(tenants: readonly DemoTenant[]): Record<string, string> {
  return Object.fromEntries(
    tenants.flatMap((tenant) => [
      [secretVariable('JUMPCLOUD_API_KEY', tenant.tenantId), tenant.jumpcloudApiKey],
      [secretVariable('TERRANOVA_TOKEN', tenant.tenantId), tenant.terranovaToken],
    ]),
  );
}
