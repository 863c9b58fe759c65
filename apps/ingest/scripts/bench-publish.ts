/**
 * Measures how fast the ingest publishes, and prints one JSON object.
 *
 *   node apps/ingest/scripts/bench-publish.ts [--events 50000] [--batch 1000] [--partitions 12]
 *
 * - publisher: UserChangeEvents validated against the v1 contract, serialized and sent by the idempotent producer
 *   (acks from all in-sync replicas) in batches of --batch, as the poller sends a page.
 * - poller: the whole acme fixture week read from the JumpCloud emulator (a separate process on this machine)
 *   through the real poller: Directory Insights pages, one user read per affected user, pending/commit in Redis,
 *   publish. Its rate includes the emulator's answers, so it is a floor for the ingest, not a JumpCloud figure.
 * Uses KAFKA_BROKERS (default 127.0.0.1:9092) and REDIS_URL (default redis://127.0.0.1:6379); cleans up its topics
 * and keys.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { silentLogger } from '@provisioning/observability';
import type { UserChangeEventV1 } from '@provisioning/schemas';
import { resolveIngestConfig } from '../src/lib/config/load-config.ts';
import { TenantPoller } from '../src/lib/poller/tenant-poller.ts';
import { openRuntime, type IngestRuntime } from '../src/lib/runtime.ts';
import { TenantLease } from '../src/lib/store/lease.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');
const FIXTURES = join(REPO, '..', 'shared', 'fixtures', 'jumpcloud');

function syntheticEvent(i: number): UserChangeEventV1 {
  const userId = (0x10000000 + i).toString(16).padStart(24, '0');
  return {
    schemaVersion: 1, eventId: `bench-${i}`, tenantId: 'bench', userId, source: 'directory-insights', trigger: 'user_update',
    occurredAt: '2026-11-23T08:05:38.154Z', observedAt: new Date().toISOString(), deleted: false, bound: i % 3 !== 0,
    user: { username: `user.${i}`, email: `user.${i}@bench.example.com`, firstname: 'Bench', lastname: `User ${i}`, employeeIdentifier: `E-${i}`, state: 'ACTIVATED', suspended: false, accountLocked: false, preferredLanguage: 'fr-CA' },
  };
}

async function benchPublisher(runtime: IngestRuntime, total: number, batch: number) {
  const events = Array.from({ length: total }, (_, i) => syntheticEvent(i));
  const started = performance.now();
  for (let start = 0; start < total; start += batch) {
    await runtime.publisher.send(runtime.publisher.toMessages(events.slice(start, start + batch)), 'bench', 'directory-insights');
  }
  const seconds = (performance.now() - started) / 1000;
  return { events: total, batch, seconds: round(seconds), eventsPerSecond: Math.round(total / seconds) };
}

async function startSim(apiKey: string) {
  const child = spawn(process.execPath, [join(REPO, 'tools', 'jumpcloud-sim', 'src', 'cli.ts'), '--port', '0', '--apply-all', '--tenant', `acme=${join(FIXTURES, 'acme')}:${apiKey}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  const { listening, tenants } = JSON.parse(line) as { listening: string; tenants: { organization: string }[] };
  const apps = (await (await fetch(`${listening}/admin/tenants`)).json()) as { applicationId: string }[];
  return { url: listening, orgId: tenants[0]?.organization ?? '', applicationId: apps[0]?.applicationId ?? '', stop: () => child.kill('SIGTERM') };
}

async function benchPoller(base: Record<string, unknown>, pageSize: number) {
  const sim = await startSim('bench-key');
  const config = await resolveIngestConfig(
    { ...base, poll: { intervalMs: 10, overlapMs: 1000, lagMs: 0, pageSize }, tenants: [{ tenantId: 'acme', orgId: sim.orgId, applicationId: sim.applicationId, apiKey: { env: 'BENCH_KEY' }, apiBaseUrl: sim.url, insightsBaseUrl: sim.url, pollStartTime: '2026-11-20T00:00:00Z' }] },
    'bench',
    { BENCH_KEY: 'bench-key' },
  );
  const runtime = await openRuntime(config, silentLogger());
  try {
    const ctx = runtime.tenant('acme');
    const lease = new TenantLease(runtime.redis, ctx.store.keys.lease, 'bench');
    await lease.tryAcquire(60_000);
    const poller = new TenantPoller({ ctx, publisher: runtime.publisher, kafka: runtime.kafka, settings: config.poll, startTime: '2026-11-20T00:00:00Z' });
    const started = performance.now();
    const outcome = await poller.pollOnce(lease.token as string);
    const seconds = (performance.now() - started) / 1000;
    await runtime.redis.del(...Object.values(ctx.store.keys).filter((k) => !k.endsWith(':')));
    return { diEvents: outcome.read, published: outcome.published, pages: outcome.pages, seconds: round(seconds), eventsPerSecond: Math.round(outcome.published / seconds) };
  } finally {
    await deleteTopic(runtime, config.kafka.topic);
    await runtime.close();
    sim.stop();
  }
}

async function deleteTopic(runtime: IngestRuntime, topic: string) {
  const admin = runtime.kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
}

const round = (n: number) => Math.round(n * 1000) / 1000;

async function main() {
  const { values } = parseArgs({ options: { events: { type: 'string', default: '50000' }, batch: { type: 'string', default: '1000' }, partitions: { type: 'string', default: '12' } } });
  const suffix = `${Date.now().toString(36)}`;
  const base = {
    logLevel: 'silent',
    kafka: { brokers: (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','), clientId: `bench-${suffix}`, topic: `bench-publish-${suffix}`, partitions: Number(values.partitions), replicationFactor: 1 },
    redis: { url: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', keyPrefix: `bench:${suffix}` },
  };
  const publisherConfig = await resolveIngestConfig({ ...base, tenants: [{ tenantId: 'bench', orgId: 'o', applicationId: 'a', apiKey: { env: 'BENCH_KEY' } }] }, 'bench', { BENCH_KEY: 'k' });
  const runtime = await openRuntime(publisherConfig, silentLogger());
  let publisher;
  try {
    publisher = await benchPublisher(runtime, Number(values.events), Number(values.batch));
  } finally {
    await deleteTopic(runtime, publisherConfig.kafka.topic);
    await runtime.close();
  }
  const poller = await benchPoller({ ...base, kafka: { ...base.kafka, topic: `bench-poll-${suffix}` } }, Number(values.batch));
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, partitions: Number(values.partitions) };
  process.stdout.write(`${JSON.stringify({ publisher, poller, machine }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
