import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Environment } from '@provisioning/config';
import type { ProcessorConfig } from './config/processor-config.ts';
import { ProcessorControls } from '@provisioning/processor-controls';
import { loadTenants } from './config/tenants-config.ts';
import { TenantsWatcher } from './config/tenants-watcher.ts';
import { OrderedConsumer, type EngineStats } from './engine/ordered-consumer.ts';
import { openPipeline, type Pipeline } from './open-pipeline.ts';
import { startOpsServer, type OpsServer } from './ops/http-server.ts';
import type { ProcessorMetrics } from './ops/metrics.ts';
import { RedisKeys } from './state/redis-keys.ts';
import type { HoldReason } from './tenants/tenant-registry.ts';
import { tenantReloadHandlers } from './tenants/tenant-reload.ts';
import { countUnprocessedEvents } from './tenants/unprocessed-events.ts';

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
  parked: { tenantId: string; reason: HoldReason; since: number }[];
  /** Redis round trips since start. */
  redisCalls: number;
}

/** Everything that has to be closed, in the order it has to close. */
interface Resources {
  watcher?: TenantsWatcher;
  engine?: OrderedConsumer;
  pipeline?: Pipeline;
  ops?: OpsServer;
}

/**
 * Starts the whole processor in this process: tenants, Redis, the result producer, the key-ordered consumer,
 * the ops HTTP server and config reloads. Throws a ConfigError listing every problem when the tenants file is bad.
 */
export async function startProcessor(config: ProcessorConfig, deps: ProcessorDeps): Promise<Processor> {
  const instanceId = deps.instanceId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const logger = deps.logger.child({ instanceId });
  const tenants = await loadTenants(config.tenantsFile, deps.env);
  const resources: Resources = {};
  try {
    const engineRef: { engine?: OrderedConsumer } = {};
    const pipeline = (resources.pipeline = await openPipeline(config, {
      logger,
      instanceId,
      tenants,
      engineStats: () => engineRef.engine?.stats(),
      defaultMetrics: deps.defaultMetrics,
    }));
    const engine = (engineRef.engine = resources.engine = new OrderedConsumer({
      kafka: pipeline.kafka,
      groupId: config.kafka.groupId,
      topic: config.kafka.topics.userChanges,
      handler: pipeline.handler,
      gate: pipeline.tenants,
      logger,
      limits: config.engine,
      consumer: config.kafka.consumer,
      onReceived: (count) => pipeline.metrics.consumed.inc(count),
    }));
    await engine.start();
    return await serve(config, deps, logger, instanceId, tenants, resources, { pipeline, engine });
  } catch (error) {
    await release(resources, config, logger);
    throw error;
  }
}

async function serve(
  config: ProcessorConfig,
  deps: ProcessorDeps,
  logger: Logger,
  instanceId: string,
  initialTenants: Awaited<ReturnType<typeof loadTenants>>,
  resources: Resources,
  { pipeline, engine }: { pipeline: Pipeline; engine: OrderedConsumer },
): Promise<Processor> {
  let stopping: Promise<void> | undefined;
  const readiness = () => readinessProblems(engine, pipeline, stopping !== undefined);
  resources.ops = await startOpsServer(config.http.host, config.http.port, {
    liveness: () => (engine.crashed ? [`consumer crashed: ${engine.crashed.message}`] : []),
    readiness,
  }, pipeline.metrics.registry);
  const { metrics, tenants } = pipeline;
  const unprocessed = {
    kafka: pipeline.kafka,
    groupId: config.kafka.groupId,
    topic: config.kafka.topics.userChanges,
    redis: pipeline.redis,
    keys: new RedisKeys(config.redis.keyPrefix),
    controls: new ProcessorControls(pipeline.redis, config.redis.keyPrefix),
  };
  const reload = tenantReloadHandlers({ tenants, metrics, logger, countUnprocessed: (ids) => countUnprocessedEvents(unprocessed, ids) });
  const watcher = (resources.watcher = new TenantsWatcher({ path: config.tenantsFile, env: deps.env, logger, ...reload }));
  watcher.start(initialTenants);
  logger.info({ opsUrl: resources.ops.url, topic: config.kafka.topics.userChanges, groupId: config.kafka.groupId }, 'processor started');
  return {
    opsUrl: resources.ops.url,
    instanceId,
    metrics,
    isReady: () => readiness().length === 0,
    stats: () => ({ ...engine.stats(), parked: tenants.parkedTenants(), redisCalls: pipeline.scripts.callCount }),
    reloadTenants: () => watcher.reload(),
    stop: () => (stopping ??= release(resources, config, logger)),
  };
}

function readinessProblems(engine: OrderedConsumer, pipeline: Pipeline, stopping: boolean): string[] {
  const problems: string[] = [];
  if (stopping) problems.push('stopping');
  if (!engine.ready) problems.push('consumer has not joined its group');
  if (pipeline.redis.status !== 'ready') problems.push(`redis is ${pipeline.redis.status}`);
  return problems;
}

/** Closes what was opened: the engine first (it commits), then the pipeline, then the HTTP server. */
async function release(resources: Resources, config: ProcessorConfig, logger: Logger): Promise<void> {
  resources.watcher?.close();
  await resources.engine?.stop(config.shutdownTimeoutMs).catch((err: unknown) => logger.warn({ err }, 'consumer stop failed'));
  await resources.pipeline?.close();
  await resources.ops?.close();
  logger.info('processor stopped');
}
