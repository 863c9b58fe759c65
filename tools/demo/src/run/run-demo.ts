import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { provideKafka, provideRedis } from '@provisioning/dev-services';
import { createKafkaClient } from '@provisioning/kafka';
import { silentLogger, type Logger } from '@provisioning/observability';
import { createRedisClient, deleteKeysWithPrefix } from '@provisioning/redis';
import { compareWithOracle, type OracleComparison } from '../oracle/compare-with-oracle.ts';
import { readExpectedState } from '../oracle/expected-state.ts';
import { PipelineMonitor } from '../progress/pipeline-monitor.ts';
import type { TenantCounters } from '../progress/tenant-counters.ts';
import { runAppCommand, startApp, type AppProcess } from './app-process.ts';
import { CleanupStack } from './cleanup-stack.ts';
import { demoNames, secretEnvironment, writeDemoConfigs, type DemoNames } from './demo-configs.ts';
import { loadDemoTenants, type DemoTenant } from './demo-tenants.ts';
import { startEmulators, type Emulators } from './emulators.ts';
import { freePort } from './free-port.ts';
import { SettleDetector, type PipelineSnapshot } from './settle.ts';
import { waitForHttp } from './wait-for-http.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const INGEST_MAIN = join(REPO_ROOT, 'apps', 'ingest', 'src', 'main.ts');
const PROCESSOR_MAIN = join(REPO_ROOT, 'apps', 'processor', 'src', 'main.ts');

export interface DemoOptions {
  /** The fixtures folder with `manifest.json` and one folder per tenant. */
  fixturesDir: string;
  /** Where config files and app logs go; a folder per run is made inside. */
  workDir: string;
  /** How long the compressed week of admin activity takes to play. @defaultValue 60 s */
  playSeconds?: number;
  /** How long the stream may take to settle after the week is played. @defaultValue 300_000 ms */
  settleTimeoutMs?: number;
  /** Called about once a second while the stream runs. */
  onProgress?: (snapshot: PipelineSnapshot & { phase: string }) => void;
  /** Called at each step (`services ready`, `snapshot acme`, …). */
  onStep?: (step: string) => void;
  /** The parent environment (KAFKA_BROKERS / REDIS_URL are used when set). */
  env: NodeJS.ProcessEnv;
  /** Leave the run's topics and Redis keys in place for inspection. @defaultValue false */
  keepData?: boolean;
  /** Aborting stops the run where it is and cleans up everything it started (Ctrl-C, SIGTERM). */
  signal?: AbortSignal;
  logger?: Logger;
}

export interface TenantOutcome {
  tenantId: string;
  comparison: OracleComparison;
  counters: TenantCounters;
  /** userNames the request log shows created (POST) more than once. */
  createdTwice: string[];
}

export interface DemoOutcome {
  runId: string;
  names: DemoNames;
  runDir: string;
  tenants: TenantOutcome[];
  durationMs: number;
  matches: boolean;
}

/** Everything a running demo holds, so callers (the e2e tests) can act on the live pipeline before it stops. */
export interface RunningDemo {
  runId: string;
  names: DemoNames;
  runDir: string;
  tenants: DemoTenant[];
  emulators: Emulators;
  kafka: Kafka;
  configFiles: { ingest: string; processor: string; processorTenants: string };
  childEnv: NodeJS.ProcessEnv;
  monitor: PipelineMonitor;
  processor: AppProcess;
  ingest: AppProcess;
  /** Starts the processor again after it was stopped (e.g. around a replay). */
  restartProcessor(): Promise<AppProcess>;
  /** Waits until every state event is answered and committed (and, unless told otherwise, every timeline played). */
  waitUntilSettled(timeoutMs: number, phase: string, waitForTimelines?: boolean): Promise<void>;
  outcome(): Promise<TenantOutcome[]>;
  stop(): Promise<void>;
}

async function provideServices(env: NodeJS.ProcessEnv, cleanup: CleanupStack) {
  const redis = await provideRedis(env);
  cleanup.push('redis', () => redis.stop());
  const kafka = await provideKafka(env);
  if (!kafka) throw new Error('no Kafka: install Java 17 + Maven for the local broker, or start one and set KAFKA_BROKERS');
  cleanup.push('kafka', () => kafka.stop());
  return { redisUrl: redis.url, kafkaBrokers: kafka.url };
}

function removeRunData(kafka: Kafka, redisUrl: string, names: DemoNames): () => Promise<void> {
  return async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: Object.values(names.topics) }).catch(() => undefined);
    await admin.deleteGroups([names.processorGroupId]).catch(() => undefined);
    await admin.disconnect();
    const redis = createRedisClient({ url: redisUrl, logger: silentLogger() });
    await deleteKeysWithPrefix(redis, names.ingestKeyPrefix);
    await deleteKeysWithPrefix(redis, names.processorKeyPrefix);
    await redis.quit();
  };
}

function snapshotOf(demo: Pick<RunningDemo, 'tenants' | 'emulators' | 'monitor'>, lag: number, waitForTimelines: boolean): PipelineSnapshot {
  const timelinesDone = !waitForTimelines || demo.tenants.every((tenant) => {
    const status = demo.emulators.jumpcloud.tenant(tenant.tenantId).status();
    return status.applied === status.total;
  });
  return { timelinesDone, lag, counters: demo.monitor.counters };
}

async function tenantOutcome(demo: Pick<RunningDemo, 'emulators' | 'monitor'>, tenant: DemoTenant): Promise<TenantOutcome> {
  const expected = await readExpectedState(tenant.fixtureDir);
  const users = demo.emulators.terranova.admin.users(tenant.tenantId);
  const log = demo.emulators.terranova.admin.requestLog(tenant.tenantId);
  const createdTwice = Object.entries(log.byUserName)
    .filter(([, counts]) => counts.created > 1)
    .map(([userName]) => userName);
  return { tenantId: tenant.tenantId, comparison: compareWithOracle(expected, users), counters: demo.monitor.tenant(tenant.tenantId), createdTwice };
}

async function waitUntilSettled(
  demo: Pick<RunningDemo, 'tenants' | 'emulators' | 'monitor'>,
  options: DemoOptions,
  timeoutMs: number,
  phase: string,
  waitForTimelines: boolean,
) {
  const detector = new SettleDetector(3_000);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snapshot = snapshotOf(demo, await demo.monitor.processorLag(), waitForTimelines);
    options.onProgress?.({ ...snapshot, phase });
    options.signal?.throwIfAborted();
    if (detector.isSettled(snapshot)) return;
    if (Date.now() > deadline) throw new Error(`the pipeline did not settle within ${timeoutMs} ms (${phase})`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/**
 * Brings up the whole pipeline for the sample tenants: services, both emulators, the processor, a first full
 * sync (snapshot) of each tenant, then the ingest's poller. The week of admin activity is not played yet.
 */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const step = options.onStep ?? (() => undefined);
  const logger = options.logger ?? silentLogger();
  const cleanup = new CleanupStack();
  try {
    const runId = randomUUID().slice(0, 8);
    const runDir = join(options.workDir, runId);
    await mkdir(runDir, { recursive: true });
    options.signal?.throwIfAborted();
    const services = await provideServices(options.env, cleanup);
    step(`Kafka ${services.kafkaBrokers}, Redis ${services.redisUrl}`);
    const tenants = await loadDemoTenants(options.fixturesDir, runId);
    const emulators = await startEmulators(tenants);
    cleanup.push('emulators', () => emulators.close());
    step(`JumpCloud emulator ${emulators.jumpcloud.url}, Terranova emulator ${emulators.terranova.url}`);
    const names = demoNames(runId);
    const kafka = createKafkaClient({ brokers: [services.kafkaBrokers], clientId: `demo-${runId}`, logger });
    if (!options.keepData) cleanup.push('run data', removeRunData(kafka, services.redisUrl, names));
    const ports = { ingestPort: await freePort(), processorPort: await freePort() };
    const configFiles = await writeDemoConfigs(runDir, tenants, names, {
      ...services,
      ...ports,
      jumpcloudUrl: emulators.jumpcloud.url,
      terranovaScimUrl: (tenantId) => emulators.terranova.scimBaseUrl(tenantId),
    });
    const childEnv = { ...options.env, ...secretEnvironment(tenants), KAFKA_BROKERS: services.kafkaBrokers, REDIS_URL: services.redisUrl };
    const startProcessorApp = async () => {
      const app = startApp({ name: 'processor', script: PROCESSOR_MAIN, args: ['--config', configFiles.processor], env: childEnv, logFile: join(runDir, 'processor.log') });
      let alive = true;
      void app.exited.then(() => (alive = false));
      await waitForHttp(`http://127.0.0.1:${ports.processorPort}/readyz`, 60_000, () => alive);
      return app;
    };
    let processor = await startProcessorApp();
    cleanup.push('processor', () => processor.stop());
    step(`processor ready (log: ${processor.logFile})`);
    for (const tenant of tenants) {
      options.signal?.throwIfAborted();
      const summary = await runAppCommand({ name: `snapshot ${tenant.tenantId}`, script: INGEST_MAIN, args: ['snapshot', '--config', configFiles.ingest, '--tenant', tenant.tenantId], env: childEnv, logFile: join(runDir, `snapshot-${tenant.tenantId}.log`) });
      step(`first full sync of ${tenant.tenantId}: ${summary.trim()}`);
    }
    options.signal?.throwIfAborted();
    const ingest = startApp({ name: 'ingest', script: INGEST_MAIN, args: ['--config', configFiles.ingest], env: childEnv, logFile: join(runDir, 'ingest.log') });
    cleanup.push('ingest', () => ingest.stop());
    let ingestAlive = true;
    void ingest.exited.then(() => (ingestAlive = false));
    await waitForHttp(`http://127.0.0.1:${ports.ingestPort}/healthz`, 60_000, () => ingestAlive);
    step(`ingest polling Directory Insights (log: ${ingest.logFile})`);
    const monitor = new PipelineMonitor(kafka, names.processorGroupId, names.topics);
    await monitor.start();
    cleanup.push('monitor', () => monitor.stop());
    const demo: RunningDemo = {
      runId, names, runDir, tenants, emulators, kafka, configFiles, childEnv, monitor, ingest,
      get processor() {
        return processor;
      },
      async restartProcessor() {
        processor = await startProcessorApp();
        return processor;
      },
      waitUntilSettled: (timeoutMs, phase, waitForTimelines = true) => waitUntilSettled(demo, options, timeoutMs, phase, waitForTimelines),
      outcome: () => Promise.all(tenants.map((tenant) => tenantOutcome(demo, tenant))),
      stop: () => cleanup.runAll((label, error) => logger.warn({ err: error, label }, 'demo cleanup step failed')),
    };
    return demo;
  } catch (error) {
    await cleanup.runAll((label, cleanupError) => logger.warn({ err: cleanupError, label }, 'demo cleanup step failed'));
    throw error;
  }
}

/** Plays each tenant's week compressed into `playSeconds` (a real stream: the poller sees it as it happens). */
export function playTimelines(demo: RunningDemo, playSeconds: number): void {
  for (const tenant of demo.tenants) {
    const spanMs = Date.parse(tenant.weekEndsAt) - Date.parse(tenant.weekStartsAt);
    demo.emulators.jumpcloud.tenant(tenant.tenantId).play(Math.max(1, spanMs / (playSeconds * 1_000)));
  }
}

/** The main job end to end: start, first sync, the week streamed through, compared with the oracle. */
export async function runDemo(options: DemoOptions): Promise<DemoOutcome> {
  const startedAt = Date.now();
  const demo = await startDemo(options);
  try {
    await demo.waitUntilSettled(options.settleTimeoutMs ?? 300_000, 'first full sync', false);
    options.onStep?.('first full sync applied; playing the week of admin activity');
    playTimelines(demo, options.playSeconds ?? 60);
    await demo.waitUntilSettled((options.playSeconds ?? 60) * 1_000 + (options.settleTimeoutMs ?? 300_000), 'week of activity');
    const tenants = await demo.outcome();
    const matches = tenants.every((tenant) => tenant.comparison.matches && tenant.createdTwice.length === 0);
    return { runId: demo.runId, names: demo.names, runDir: demo.runDir, tenants, durationMs: Date.now() - startedAt, matches };
  } finally {
    await demo.stop();
  }
}
