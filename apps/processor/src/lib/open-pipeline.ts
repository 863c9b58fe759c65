import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { DeepReadonly } from '@provisioning/config';
import { createKafkaClient, ensureTopics } from '@provisioning/kafka';
import { ProcessorControls } from '@provisioning/processor-controls';
import { createRedisClient, waitForRedis, type Redis } from '@provisioning/redis';
import type { ProcessorConfig } from './config/processor-config.ts';
import type { TenantConfig } from './config/tenants-config.ts';
import type { EngineStats } from './engine/ordered-consumer.ts';
import type { WorkHandler } from './engine/work-item.ts';
import { ProcessorMetrics } from './ops/metrics.ts';
import { OutputPublisher } from './output/output-publisher.ts';
import { createEventHandler } from './pipeline/event-handler.ts';
import { DeprovisionGuard } from './pipeline/deprovision-guard.ts';
import { EventLedger } from './state/event-ledger.ts';
import { RedisKeys } from './state/redis-keys.ts';
import { RedisScripts } from './state/redis-scripts.ts';
import { OperatorControls } from './state/operator-controls.ts';
import { TenantRegistry } from './tenants/tenant-registry.ts';

/** The per-event pipeline and everything it stands on, without a consumer in front of it. */
export interface Pipeline {
  readonly handler: WorkHandler;
  readonly tenants: TenantRegistry;
  readonly metrics: ProcessorMetrics;
  readonly scripts: RedisScripts;
  readonly redis: Redis;
  readonly kafka: Kafka;
  /** Disconnects the producer, the tenants' connection pools and Redis. */
  close(): Promise<void>;
}

export interface PipelineOptions {
  logger: Logger;
  instanceId: string;
  tenants: DeepReadonly<TenantConfig[]>;
  /** Feeds the engine gauges of the metrics. */
  engineStats: () => EngineStats | undefined;
  defaultMetrics?: boolean | undefined;
}

/**
 * Connects Redis and the result producer and builds the event handler. `startProcessor` puts the key-ordered
 * engine in front of it; the benchmark puts a naive one-at-a-time consumer in front of the very same handler.
 */
export async function openPipeline(config: ProcessorConfig, options: PipelineOptions): Promise<Pipeline> {
  const { logger } = options;
  const metrics = new ProcessorMetrics(options.engineStats, { defaultMetrics: options.defaultMetrics });
  const redis = createRedisClient({ url: config.redis.url, logger });
  // Commands issued in the same tick leave in one write: one socket write per command cost ~8% of the CPU at
  // 3,500 events/s. libs/redis has no option for it; ioredis reads this flag on every command.
  redis.options.enableAutoPipelining = true;
  let producer: Producer | undefined;
  let tenants: TenantRegistry | undefined;
  let operatorControls: OperatorControls | undefined;
  const close = async () => {
    operatorControls?.stop();
    await producer?.disconnect().catch((err: unknown) => logger.warn({ err }, 'producer disconnect failed'));
    await tenants?.close();
    await redis.quit().catch(() => undefined);
  };
  try {
    await waitForRedis(redis);
    const scripts = new RedisScripts(redis, (script) => metrics.redisCalls.inc({ script }));
    const keys = new RedisKeys(config.redis.keyPrefix);
    tenants = new TenantRegistry({ scripts, keys, metrics, logger, ...config.parking });
    tenants.update(options.tenants);
    const kafka = createKafkaClient({ brokers: config.kafka.brokers, clientId: config.kafka.clientId, logger });
    if (config.kafka.createTopics) await createTopics(kafka, config);
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const ledger = new EventLedger(scripts, keys, {
      leaseMs: config.idempotency.leaseMs,
      doneTtlMs: config.idempotency.doneTtlHours * 3_600_000,
      stateTtlMs: config.idempotency.stateTtlDays * 86_400_000,
    });
    const publisher = new OutputPublisher(producer, logger, config.results.maxBatch);
    const controls = new ProcessorControls(redis, config.redis.keyPrefix);
    // Read before the first event: a forced replay or a tenant disabled while the processors were stopped applies at once.
    operatorControls = new OperatorControls(controls, tenants, logger);
    await operatorControls.start(config.controls.refreshMs);
    const guard = new DeprovisionGuard(controls);
    const handler = createEventHandler({ tenants, ledger, publisher, topics: config.kafka.topics, metrics, logger, instanceId: options.instanceId, replays: operatorControls, guard, controls });
    return { handler, tenants, metrics, scripts, redis, kafka, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function createTopics(kafka: Kafka, config: ProcessorConfig): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics, partitions } = config.kafka;
    await ensureTopics(admin, [topics.userChanges, topics.results, topics.dlq].map((topic) => ({ topic, numPartitions: partitions })));
  } finally {
    await admin.disconnect();
  }
}
