import type { Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import { createKafkaClient } from '@provisioning/kafka';
import { createRedisClient, waitForRedis, type Redis } from '@provisioning/redis';
import type { IngestConfig, TenantSettings } from './config/load-config.ts';
import type { TenantContext } from './events/state-builder.ts';
import { JumpCloudClient } from '@provisioning/jumpcloud-client';
import { EventPublisher } from './kafka/publisher.ts';
import { IngestMetrics } from './metrics.ts';
import { TenantStore } from './store/tenant-store.ts';

/** The connections and per-tenant contexts every ingest command shares. */
export interface IngestRuntime {
  config: IngestConfig;
  logger: Logger;
  metrics: IngestMetrics;
  redis: Redis;
  kafka: Kafka;
  publisher: EventPublisher;
  tenants: Map<string, TenantContext>;
  /** The tenant's context; throws for an unknown or disabled tenant. */
  tenant(tenantId: string): TenantContext;
  close(): Promise<void>;
}

/** The Redis URL with the configured password in it (ioredis reads it from there; it is never logged). */
function redisUrl(config: IngestConfig): string {
  if (!config.redis.password) return config.redis.url;
  const url = new URL(config.redis.url);
  url.password = encodeURIComponent(config.redis.password);
  return url.toString();
}

function tenantContext(config: IngestConfig, tenant: TenantSettings, redis: Redis, logger: Logger, metrics: IngestMetrics): TenantContext {
  const tenantLogger = logger.child({ tenantId: tenant.tenantId });
  const client = new JumpCloudClient({
    apiKey: tenant.apiKey,
    orgId: tenant.orgId,
    apiBaseUrl: tenant.apiBaseUrl.replace(/\/+$/, ''),
    insightsBaseUrl: tenant.insightsBaseUrl.replace(/\/+$/, ''),
    timeoutMs: config.jumpcloud.timeoutMs,
    retries: config.jumpcloud.retries,
    minRetryDelayMs: config.jumpcloud.minRetryDelayMs,
    maxRetryDelayMs: config.jumpcloud.maxRetryDelayMs,
    logger: tenantLogger.child({ component: 'jumpcloud' }),
    onError: (error) => metrics.jumpcloudErrors.inc({ tenant: tenant.tenantId, code: error.code }),
  });
  return {
    tenantId: tenant.tenantId,
    orgId: tenant.orgId,
    applicationId: tenant.applicationId,
    client,
    store: new TenantStore(redis, config.redis.keyPrefix, tenant.tenantId),
    logger: tenantLogger,
    metrics,
    concurrency: config.jumpcloud.concurrency,
  };
}

/** Connects Redis and Kafka (creating the topic if missing) and prepares every enabled tenant. */
export async function openRuntime(config: IngestConfig, logger: Logger, metrics = new IngestMetrics()): Promise<IngestRuntime> {
  const redis = createRedisClient({ url: redisUrl(config), logger });
  await waitForRedis(redis);
  const kafka = createKafkaClient({ brokers: config.kafka.brokers, clientId: config.kafka.clientId, logger });
  const publisher = new EventPublisher({ kafka, topic: config.kafka.topic, partitions: config.kafka.partitions, replicationFactor: config.kafka.replicationFactor, logger, metrics });
  try {
    await publisher.start();
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  const tenants = new Map(config.tenants.filter((t) => t.enabled).map((t) => [t.tenantId, tenantContext(config, t, redis, logger, metrics)]));
  return {
    config,
    logger,
    metrics,
    redis,
    kafka,
    publisher,
    tenants,
    tenant: (tenantId) => {
      const ctx = tenants.get(tenantId);
      if (!ctx) throw new Error(`tenant ${tenantId} is not configured (or not enabled)`);
      return ctx;
    },
    close: async () => {
      await publisher.stop().catch(() => undefined);
      await redis.quit().catch(() => undefined);
    },
  };
}
