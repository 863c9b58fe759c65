/**
 * `npm run bench:processor`: the processor's throughput benchmark. Prints one JSON document on stdout
 * (progress goes to stderr).
 *
 * A deterministic synthetic tenant (users created and changed, whole-state events) is put in Kafka first;
 * then, for each emulator latency, one processor process (the key-ordered engine) works through all of it,
 * and a naive baseline (kafkajs `eachMessage`, one message at a time per partition, the same event handler)
 * runs for `--baseline-seconds` on the same data. Both against real Kafka, real Redis and the Terranova
 * emulator (in this process, no rate limit).
 *
 * Flags: --users 50000 --changes 100000 --partitions 12 --latencies 0,200 --baseline-seconds 30
 *        --max-in-flight 1000 --timeout-minutes 30 --profile (CPU profiles of the processor into the temp dir)
 *        --node-args="<flags for the processor's node>" --config-override='{"engine":{…}}' --keep-files
 *        --bundle (run the deployable bundle, built first, instead of the TypeScript sources)
 * Environment: KAFKA_BROKERS (127.0.0.1:9092), REDIS_URL (redis://127.0.0.1:6379).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { silentLogger } from '@provisioning/observability';
import { createKafkaClient } from '@provisioning/kafka';
import { startTerranovaSim } from '@provisioning/terranova-sim';
import { generateBenchData } from './bench-data.ts';
import { runBaseline, runPipeline, type BenchContext } from './bench-runs.ts';
import { produceAll, round } from './bench-support.ts';

const TENANT = 'bench';

function options() {
  const { values } = parseArgs({
    options: {
      users: { type: 'string', default: '50000' },
      changes: { type: 'string', default: '100000' },
      partitions: { type: 'string', default: '12' },
      latencies: { type: 'string', default: '0,200' },
      'baseline-seconds': { type: 'string', default: '30' },
      'max-in-flight': { type: 'string', default: '1000' },
      'timeout-minutes': { type: 'string', default: '30' },
      profile: { type: 'boolean', default: false },
      'node-args': { type: 'string', default: '' },
      'config-override': { type: 'string', default: '{}' },
      'keep-files': { type: 'boolean', default: false },
      bundle: { type: 'boolean', default: false },
    },
  });
  return {
    users: Number(values.users),
    changes: Number(values.changes),
    partitions: Number(values.partitions),
    latencies: values.latencies.split(',').map(Number),
    baselineSeconds: Number(values['baseline-seconds']),
    maxInFlight: Number(values['max-in-flight']),
    timeoutMs: Number(values['timeout-minutes']) * 60_000,
    profile: values.profile,
    nodeArgs: values['node-args'].split(' ').filter(Boolean),
    configOverride: JSON.parse(values['config-override']) as Record<string, unknown>,
    keepFiles: values['keep-files'],
    bundle: values.bundle,
  };
}

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

/** Builds the processor's deployable bundle, which `--bundle` runs. */
function buildBundle(): void {
  log('building apps/processor/dist/main.js');
  const built = spawnSync('npm', ['run', 'build', '-w', '@provisioning/processor'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) throw new Error('npm run build -w @provisioning/processor failed');
}

async function main(): Promise<void> {
  const opts = options();
  const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const dir = await mkdtemp(join(tmpdir(), 'processor-bench-'));
  const kafka = createKafkaClient({ brokers, clientId: 'processor-bench', logger: silentLogger() });
  const admin = kafka.admin();
  await admin.connect();
  const sim = await startTerranovaSim({ tenants: [{ id: TENANT, token: `token-${TENANT}` }], requestLogCapacity: 100 });
  const runId = randomUUID().slice(0, 8);
  const inputTopic = `bench-changes-${runId}`;
  try {
    if (opts.bundle) buildBundle();
    log(`generating ${opts.users} users, ${opts.changes} changes`);
    const data = generateBenchData(TENANT, opts.users, opts.changes);
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: inputTopic, numPartitions: opts.partitions }] });
    const produceStarted = performance.now();
    await produceAll(kafka, inputTopic, data.messages);
    const produceSeconds = (performance.now() - produceStarted) / 1000;
    log(`produced in ${produceSeconds.toFixed(1)} s; working dir ${dir}`);
    const context: BenchContext = {
      kafka, admin, brokers, redisUrl, sim, tenantId: TENANT, inputTopic, partitions: opts.partitions, events: data.messages.length,
      expected: data.expected, dir, runId, maxInFlight: opts.maxInFlight, configOverride: opts.configOverride, log,
    };
    data.messages.length = 0;
    const runs = [];
    for (const latencyMs of opts.latencies) {
      log(`pipeline, emulator latency ${latencyMs} ms`);
      const pipeline = await runPipeline(context, latencyMs, { profileDir: opts.profile ? join(dir, `profile-${latencyMs}`) : undefined, nodeArgs: opts.nodeArgs, timeoutMs: opts.timeoutMs, bundle: opts.bundle });
      log(`pipeline ${latencyMs} ms: ${pipeline.eventsPerSecond} events/s; baseline for ${opts.baselineSeconds} s`);
      const baseline = await runBaseline(context, latencyMs, opts.baselineSeconds);
      runs.push({ emulatorLatencyMs: latencyMs, pipeline, baseline, ratio: round(pipeline.eventsPerSecond / Math.max(0.001, baseline.eventsPerSecond)) });
    }
    const report = {
      command: `npm run bench:processor -- ${process.argv.slice(2).join(' ')}`.trim(),
      machine: { cpus: availableParallelism(), node: process.version },
      data: { tenant: TENANT, users: opts.users, changes: opts.changes, partitions: opts.partitions, changesByKind: data.changesByKind, produceSeconds: round(produceSeconds, 2) },
      processor: { entry: opts.bundle ? 'dist/main.js (npm run build)' : 'src/main.ts', maxInFlight: opts.maxInFlight, nodeArgs: opts.nodeArgs, configOverride: opts.configOverride, rateLimit: 'none (bucket at 1,000,000/s)' },
      runs,
      workingDir: opts.keepFiles || opts.profile ? dir : undefined,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await admin.deleteTopics({ topics: [inputTopic] }).catch(() => undefined);
    await admin.disconnect();
    await sim.close();
    if (!opts.keepFiles && !opts.profile) await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
