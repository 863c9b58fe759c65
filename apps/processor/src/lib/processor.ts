import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import type { Environment } from '@provisioning/config';
import { createKafkaClient, ensureTopics } from '@provisioning/kafka';
import { createRedisClient, waitForRedis, type Redis } from '@provisioning/redis';
import type { ProcessorConfig } from './config/processor-config.ts';
import { loadTenants } from './config/tenants-config.ts';
import { TenantsWatcher } from './config/tenants-watcher.ts';
import { OrderedConsumer, type EngineStats } from './engine/ordered-consumer.ts';
import { startOpsServer, type OpsServer } from './ops/http-server.ts';
import { ProcessorMetrics } from './ops/metrics.ts';
import { OutputPublisher } from './output/output-publisher.ts';
import { createEventHandler } from './pipeline/event-handler.ts';
import { EventLedger } from './state/event-ledger.ts';
import { RedisKeys } from './state/redis-keys.ts';
import { RedisScripts } from './state/redis-scripts.ts';
import { TenantRegistry, type ParkReason } from './tenants/tenant-registry.ts';

/** What `startProcessor` needs from its caller (main.ts, a test, the benchmark). */
export interface ProcessorDeps {
  logger: Logger;
  /** Where tenant secrets named `{ "env": … }` are read from. */
  env: Environment;
  /** Names this instance in event claims. @defaultValue `<hostname>-<pid>-<random>` */
  instanceId?: string;
  /** Register Node's default process metrics (off when several processors share a test process). @defaultValue true */
  defaultMetrics?: boolean;
}

/** A running processor. */
export interface Processor {
  /** Base URL of the health, readiness and metrics endpoints. */
  readonly opsUrl: string;
  readonly instanceId: string;
  readonly metrics: ProcessorMetrics;
  /** Joined its consumer group and able to work. */
  isReady(): boolean;
  stats(): ProcessorStats;
  /** Reads the tenants file again (what SIGHUP does); resolves to whether it loaded. */
  reloadTenants(): Promise<boolean>;
  /** Stops fetching, lets running events finish (bounded), commits, disconnects. Idempotent. */
  stop(): Promise<void>;
}

export interface ProcessorStats extends EngineStats {
  parked: { tenantId: string; reason: ParkReason; since: number }[];
  redisCalls: number;
}

/** Everything that has to be closed, in the order it has to close. */
interface Resources {
  watcher?: TenantsWatcher;
  engine?: OrderedConsumer;
  producer?: Producer;
  tenants?: TenantRegistry;
  redis?: Redis;
  ops?: OpsServer;
}

/**
 * Starts the whole processor in this process: tenants, Redis, Kafka producer and consumer, the ops HTTP
 * server, and config reloads. Throws a ConfigError listing every problem when the tenants file is bad.
 */
export async function startProcessor(config: ProcessorConfig, deps: ProcessorDeps): Promise<Processor> {
  const logger = deps.logger;
  const instanceId = deps.instanceId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const tenants = await loadTenants(config.tenantsFile, deps.env);
  const resources: Resources = {};
  try {
    return await assemble(config, deps, instanceId, tenants, resources);
  } catch (error) {
    await release(resources, config, logger);
    throw error;
  }
}

async function assemble(
  config: ProcessorConfig,
  deps: ProcessorDeps,
  instanceId: string,
  initialTenants: Awaited<ReturnType<typeof loadTenants>>,
  resources: Resources,
): Promise<Processor> {
  const logger = deps.logger.child({ instanceId });
  const engineRef: { engine?: OrderedConsumer } = {};
  const metrics = new ProcessorMetrics(() => engineRef.engine?.stats(), { defaultMetrics: deps.defaultMetrics });
  resources.redis = createRedisClient({ url: config.redis.url, logger });
  await waitForRedis(resources.redis);
  const scripts = new RedisScripts(resources.redis, (script) => metrics.redisCalls.inc({ script }));
  const keys = new RedisKeys(config.redis.keyPrefix);
  const tenants = (resources.tenants = new TenantRegistry({ scripts, keys, metrics, logger, ...config.parking }));
  tenants.update(initialTenants);

  const kafka = createKafkaClient({ brokers: config.kafka.brokers, clientId: config.kafka.clientId, logger });
  if (config.kafka.createTopics) await createTopics(kafka, config);
  resources.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await resources.producer.connect();

  const ledger = new EventLedger(scripts, keys, {
    leaseMs: config.idempotency.leaseMs,
    doneTtlMs: config.idempotency.doneTtlHours * 3_600_000,
    stateTtlMs: config.idempotency.stateTtlDays * 86_400_000,
  });
  const publisher = new OutputPublisher(resources.producer, logger, config.results.maxBatch);
  const handler = createEventHandler({ tenants, ledger, publisher, topics: config.kafka.topics, metrics, logger, instanceId });
  const engine = (engineRef.engine = resources.engine = new OrderedConsumer({
    kafka,
    groupId: config.kafka.groupId,
    topic: config.kafka.topics.userChanges,
    handler,
    gate: tenants,
    logger,
    limits: config.engine,
    consumer: config.kafka.consumer,
  }));
  await engine.start();

  const redis = resources.redis;
  let stopping: Promise<void> | undefined;
  resources.ops = await startOpsServer(config.http.host, config.http.port, {
    liveness: () => (engine.crashed ? [`consumer crashed: ${engine.crashed.message}`] : []),
    readiness: () => readinessProblems(engine, redis, stopping !== undefined),
  }, metrics.registry);

  const watcher = (resources.watcher = new TenantsWatcher({
    path: config.tenantsFile,
    env: deps.env,
    logger,
    onLoad: (loaded) => {
      tenants.update(loaded);
      metrics.configReloads.inc({ outcome: 'ok' });
      logger.info({ tenants: loaded.map((t) => t.id) }, 'tenants reloaded');
    },
    onError: (err) => {
      metrics.configReloads.inc({ outcome: 'error' });
      logger.error({ err }, 'tenants reload failed; the previous tenants stay in force');
    },
  }));
  watcher.start(initialTenants);
  logger.info({ opsUrl: resources.ops.url, topic: config.kafka.topics.userChanges, groupId: config.kafka.groupId }, 'processor started');

  return {
    opsUrl: resources.ops.url,
    instanceId,
    metrics,
    isReady: () => readinessProblems(engine, redis, stopping !== undefined).length === 0,
    stats: () => ({ ...engine.stats(), parked: tenants.parkedTenants(), redisCalls: scripts.callCount }),
    reloadTenants: () => watcher.reload(),
    stop: () => (stopping ??= release(resources, config, logger)),
  };
}

function readinessProblems(engine: OrderedConsumer, redis: Redis, stopping: boolean): string[] {
  const problems: string[] = [];
  if (stopping) problems.push('stopping');
  if (!engine.ready) problems.push('consumer has not joined its group');
  if (redis.status !== 'ready') problems.push(`redis is ${redis.status}`);
  return problems;
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

/** Closes what was opened: the engine first (it commits), then the producer, tenants, Redis, HTTP. */
async function release(resources: Resources, config: ProcessorConfig, logger: Logger): Promise<void> {
  resources.watcher?.close();
  const steps: [string, (() => Promise<unknown>) | undefined][] = [
    ['consumer', resources.engine && (() => resources.engine!.stop(config.shutdownTimeoutMs))],
    ['producer', resources.producer && (() => resources.producer!.disconnect())],
    ['tenants', resources.tenants && (() => resources.tenants!.close())],
    ['redis', resources.redis && (() => resources.redis!.quit())],
    ['ops server', resources.ops && (() => resources.ops!.close())],
  ];
  for (const [name, step] of steps) {
    await step?.().catch((err: unknown) => logger.warn({ err, step: name }, 'shutdown step failed'));
  }
  logger.info('processor stopped');
}
