import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Admin, Kafka } from 'kafkajs';
import { silentLogger } from '@provisioning/observability';
import { createRedisClient, deleteKeysWithPrefix, waitForRedis } from '@provisioning/redis';
import type { TerranovaSim } from '@provisioning/terranova-sim';
import { parseProcessorConfig, type ProcessorConfig } from '../src/lib/config/processor-config.ts';
import { loadTenants } from '../src/lib/config/tenants-config.ts';
import type { WorkItem } from '../src/lib/engine/work-item.ts';
import { openPipeline } from '../src/lib/open-pipeline.ts';
import type { ExpectedUser } from './bench-data.ts';
import { compareTerranova, freePort, metricSum, peakRssMb, percentiles, round } from './bench-support.ts';
import { ResultsReader } from './results-reader.ts';

const SOURCE_MAIN = join(import.meta.dirname, '..', 'src', 'main.ts');
/** The deployable bundle (`npm run build`): no TypeScript stripping at startup, less memory. */
export const BUNDLE_MAIN = join(import.meta.dirname, '..', 'dist', 'main.js');

/** What every run of one benchmark shares: the data already in Kafka, the emulator, the services. */
export interface BenchContext {
  kafka: Kafka;
  admin: Admin;
  brokers: string[];
  redisUrl: string;
  sim: TerranovaSim;
  tenantId: string;
  inputTopic: string;
  partitions: number;
  events: number;
  expected: Map<string, ExpectedUser>;
  dir: string;
  runId: string;
  maxInFlight: number;
  /** Merged over the processor config of every run (e.g. engine limits), from `--config-override`. */
  configOverride: Record<string, unknown>;
  log(message: string): void;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `override` laid over `base`, objects merged key by key. */
function deepMerge(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isObject(current) && isObject(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

/** A fresh result topic, group, Redis prefix and emulator tenant for one run, and its processor config. */
async function prepareRun(context: BenchContext, label: string, latencyMs: number, httpPort: number) {
  const { sim, tenantId, admin } = context;
  sim.admin.reset(tenantId);
  sim.admin.setFaults(tenantId, { latencyMs });
  const name = `${context.runId}-${label}-${latencyMs}`;
  const topics = { userChanges: context.inputTopic, results: `bench-results-${name}`, dlq: `bench-dlq-${name}` };
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: topics.results, numPartitions: context.partitions }, { topic: topics.dlq, numPartitions: 1 }] });
  const tokenFile = join(context.dir, 'bench.token');
  await writeFile(tokenFile, `token-${tenantId}\n`);
  const tenantsFile = join(context.dir, `tenants-${name}.json`);
  await writeFile(tenantsFile, JSON.stringify({
    tenants: [{
      id: tenantId,
      terranova: { baseUrl: sim.scimBaseUrl(tenantId), token: { file: tokenFile }, maxConnections: context.maxInFlight, timeoutMs: 10_000 },
      rateLimit: { ratePerSecond: 1_000_000, burst: 100_000 },
    }],
  }));
  const config: ProcessorConfig = parseProcessorConfig(deepMerge({
    kafka: { brokers: context.brokers, clientId: `bench-${label}`, groupId: `bench-${name}`, topics, consumer: { maxWaitTimeMs: 100 } },
    redis: { url: context.redisUrl, keyPrefix: `bench:${name}` },
    http: { host: '127.0.0.1', port: httpPort },
    engine: { maxInFlight: context.maxInFlight, maxInFlightPerTenant: context.maxInFlight },
    tenantsFile,
    logLevel: 'warn',
  }, context.configOverride), 'bench');
  const cleanup = async () => {
    await admin.deleteTopics({ topics: [topics.results, topics.dlq] }).catch(() => undefined);
    await admin.deleteGroups([config.kafka.groupId]).catch(() => undefined);
    const redis = createRedisClient({ url: context.redisUrl, logger: silentLogger() });
    await waitForRedis(redis);
    await deleteKeysWithPrefix(redis, config.redis.keyPrefix);
    await redis.quit();
  };
  return { config, name, cleanup };
}

/** The key-ordered processor as one child process (`main.ts`), over all the events. */
export async function runPipeline(
  context: BenchContext,
  latencyMs: number,
  options: { profileDir?: string | undefined; nodeArgs: string[]; timeoutMs: number; bundle: boolean },
) {
  const port = await freePort();
  const { config, name, cleanup } = await prepareRun(context, 'pipeline', latencyMs, port);
  const configFile = join(context.dir, `processor-${name}.json`);
  await writeFile(configFile, JSON.stringify(config));
  const reader = new ResultsReader(context.kafka, config.kafka.topics.results, `bench-reader-${name}`);
  await reader.start();
  const nodeArgs = [...options.nodeArgs, ...(options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [])];
  const logFile = createWriteStream(join(context.dir, `processor-${name}.log`));
  const started = performance.now();
  const main = options.bundle ? BUNDLE_MAIN : SOURCE_MAIN;
  const child = spawn(process.execPath, [...nodeArgs, main, '--config', configFile], { stdio: ['ignore', 'pipe', 'pipe'], cwd: context.dir });
  child.stdout.pipe(logFile);
  child.stderr.pipe(logFile);
  const progress = setInterval(() => void logProgress(context, port, `pipeline ${latencyMs} ms: ${reader.seen.size}/${context.events}`), 5_000);
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`pipeline run timed out; see ${context.dir}`)), options.timeoutMs).unref());
  try {
    await Promise.race([reader.until(context.events), timeout]);
  } finally {
    clearInterval(progress);
  }
  const seconds = (performance.now() - started) / 1000;
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const peakRss = await peakRssMb(child.pid as number);
  child.kill('SIGTERM');
  await once(child, 'exit');
  await reader.stop();
  const terranova = compareTerranova(context.sim, context.tenantId, context.expected);
  const scimCalls = context.sim.admin.requestLog(context.tenantId, 0).total;
  await cleanup();
  return {
    events: reader.seen.size,
    seconds: round(seconds, 2),
    eventsPerSecond: round(reader.seen.size / seconds),
    steadyEventsPerSecond: round(reader.seen.size / Math.max(0.001, (reader.lastFinishedAt - reader.firstFinishedAt) / 1000)),
    processingLatencyMs: percentiles(reader.processingMs),
    peakRssMb: peakRss,
    scimCallsPerEvent: round(scimCalls / reader.seen.size, 3),
    redisRoundTripsPerEvent: round(metricSum(metrics, 'processor_redis_calls_total') / reader.seen.size, 3),
    resultsPublished: reader.total,
    outcomes: reader.outcomes,
    perUserOrderKept: (reader.outcomes['skipped:stale'] ?? 0) === 0 && terranova.matching === context.expected.size,
    terranova: { users: terranova.users, matchingFinalState: terranova.matching, expectedUsers: context.expected.size },
  };
}

async function logProgress(context: BenchContext, port: number, line: string): Promise<void> {
  const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text(), () => '');
  const mb = (name: string) => round(metricSum(text, name) / 1_048_576);
  context.log(`${line}; rss ${mb('processor_process_resident_memory_bytes')} MB, heap ${mb('processor_nodejs_heap_size_used_bytes')}/${mb('processor_nodejs_heap_size_total_bytes')} MB, external ${mb('processor_nodejs_external_memory_bytes')} MB, pending ${metricSum(text, 'processor_events_pending')}`);
}

/** The naive baseline: kafkajs `eachMessage`, one message at a time per partition, the same handler, for `seconds`. */
export async function runBaseline(context: BenchContext, latencyMs: number, seconds: number) {
  const { config, name, cleanup } = await prepareRun(context, 'baseline', latencyMs, 0);
  const tenants = await loadTenants(config.tenantsFile, {});
  const pipeline = await openPipeline(config, { logger: silentLogger(), instanceId: `baseline-${name}`, tenants, engineStats: () => undefined, defaultMetrics: false });
  const consumer = context.kafka.consumer({ groupId: config.kafka.groupId, maxWaitTimeInMs: 100 });
  const durations: number[] = [];
  const signal = new AbortController().signal;
  await consumer.connect();
  await consumer.subscribe({ topic: context.inputTopic, fromBeginning: true });
  const started = performance.now();
  await consumer.run({
    partitionsConsumedConcurrently: context.partitions,
    eachMessage: async ({ topic, partition, message }) => {
      const key = String(message.key);
      const item: WorkItem = { topic, partition, offset: Number(message.offset), key, group: key.split(':')[0] ?? '', message, receivedAt: Date.now() };
      const begun = performance.now();
      while ((await pipeline.handler(item, { signal, attempt: 0 })) !== 'done');
      durations.push(performance.now() - begun);
    },
  });
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const elapsed = (performance.now() - started) / 1000;
  const handled = durations.length;
  const redisCalls = pipeline.scripts.callCount;
  await consumer.disconnect();
  await pipeline.close();
  const scimCalls = context.sim.admin.requestLog(context.tenantId, 0).total;
  await cleanup();
  return {
    events: handled,
    seconds: round(elapsed, 2),
    eventsPerSecond: round(handled / elapsed),
    processingLatencyMs: percentiles(durations),
    scimCallsPerEvent: round(scimCalls / Math.max(1, handled), 3),
    redisRoundTripsPerEvent: round(redisCalls / Math.max(1, handled), 3),
  };
}
