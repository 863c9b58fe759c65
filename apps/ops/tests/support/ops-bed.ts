import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Kafka } from 'kafkajs';
import { createKafkaClient, ensureTopics } from '@provisioning/kafka';
import { testKafkaBrokers, uniqueName } from '@provisioning/kafka/testing';
import { startJumpCloudSim, type JumpCloudSim } from '@provisioning/jumpcloud-sim';
import { silentLogger } from '@provisioning/observability';
import { createRedisClient, waitForRedis, type Redis } from '@provisioning/redis';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from '@provisioning/redis/testing';
import { startTerranovaSim, type TerranovaSim } from '@provisioning/terranova-sim';

const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
const OPS_MAIN = join(ROOT, 'apps', 'ops', 'src', 'main.ts');
const PROCESSOR_MAIN = join(ROOT, 'apps', 'processor', 'src', 'main.ts');
const FIXTURES = join(ROOT, '..', 'shared', 'fixtures', 'jumpcloud');
/** The sample tenant the operator tests run on (60 users, an application with groups and direct bindings). */
export const TENANT = 'globex';

export interface OpsResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/**
 * One operator-command scenario: both emulators in-process, real Kafka (own topics) and Redis (own prefix), the
 * three config files an operator would have, and the processor as a real process when the commands need it.
 * Commands run as the operator runs them: `node apps/ops/src/main.ts …`, judged by exit code and output.
 */
export class OpsBed {
  jumpcloud!: JumpCloudSim;
  terranova!: TerranovaSim;
  kafka!: Kafka;
  redis!: Redis;
  dir!: string;
  keyPrefix = uniqueKeyPrefix('ops');
  topics = { userChanges: uniqueName('ops-changes'), results: uniqueName('ops-results'), dlq: uniqueName('ops-dlq') };
  groupId = uniqueName('ops-processor');
  env: Record<string, string> = {};
  processorPort = 0;
  private processor: ChildProcess | undefined;
  private guard: Record<string, unknown> = {};

  static async create(options: { guard?: Record<string, unknown> } = {}): Promise<OpsBed> {
    const bed = new OpsBed();
    bed.guard = options.guard ?? {};
    await bed.setUp();
    return bed;
  }

  get applicationId(): string {
    return this.jumpcloud.tenant(TENANT).org.application.id;
  }

  file(name: string): string {
    return join(this.dir, name);
  }

  private async setUp(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'ops-test-'));
    this.jumpcloud = await startJumpCloudSim({ tenants: [{ tenantId: TENANT, apiKey: 'jc-key', fixtureDir: join(FIXTURES, TENANT) }] });
    this.terranova = await startTerranovaSim({ tenants: [{ id: TENANT, token: 'tn-token' }] });
    this.kafka = createKafkaClient({ brokers: testKafkaBrokers(), clientId: uniqueName('ops-test'), logger: silentLogger() });
    const admin = this.kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [
      { topic: this.topics.userChanges, numPartitions: 3 },
      { topic: this.topics.results, numPartitions: 3 },
      { topic: this.topics.dlq, numPartitions: 1 },
    ]);
    await admin.disconnect();
    this.redis = createRedisClient({ url: testRedisUrl(), logger: silentLogger() });
    await waitForRedis(this.redis);
    this.processorPort = await freePort();
    this.env = { ...process.env, OPS_TEST_JC_KEY: 'jc-key', OPS_TEST_TN_TOKEN: 'tn-token' } as Record<string, string>;
    await this.writeConfigs();
  }

  /** Writes processor.json, tenants.json and ingest.json; `ingest` and `tenant` override parts of them. */
  async writeConfigs(overrides: { ingestTenant?: Record<string, unknown>; terranova?: Record<string, unknown> } = {}): Promise<void> {
    const write = (name: string, value: unknown) => writeFile(this.file(name), JSON.stringify(value, null, 2));
    await write('processor.json', {
      kafka: { brokers: testKafkaBrokers(), groupId: this.groupId, topics: this.topics, consumer: { maxWaitTimeMs: 100, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 15_000, heartbeatIntervalMs: 500 } },
      redis: { url: testRedisUrl(), keyPrefix: this.keyPrefix },
      http: { host: '127.0.0.1', port: this.processorPort },
      engine: { commitIntervalMs: 200 },
      controls: { refreshMs: 200 },
      shutdownTimeoutMs: 5_000,
      tenantsFile: 'tenants.json',
      logLevel: 'warn',
    });
    await write('tenants.json', {
      tenants: [{
        id: TENANT,
        terranova: { baseUrl: this.terranova.scimBaseUrl(TENANT), token: { env: 'OPS_TEST_TN_TOKEN' }, timeoutMs: 5_000, ...overrides.terranova },
        rateLimit: { ratePerSecond: 1_000, burst: 200 },
        massDeprovisionGuard: this.guard,
      }],
    });
    const organization = this.jumpcloud.tenant(TENANT).organization;
    await write('ingest.json', {
      kafka: { brokers: testKafkaBrokers(), topic: this.topics.userChanges },
      redis: { url: testRedisUrl() },
      jumpcloud: { apiBaseUrl: this.jumpcloud.url, insightsBaseUrl: this.jumpcloud.url, retries: 1, minRetryDelayMs: 10, maxRetryDelayMs: 50, timeoutMs: 5_000 },
      tenants: [{ tenantId: TENANT, orgId: organization, applicationId: this.applicationId, apiKey: { env: 'OPS_TEST_JC_KEY' }, ...overrides.ingestTenant }],
    });
  }

  /** Runs an operator command; `--config` and `--ingest-config` are added unless `bare`. */
  async ops(args: readonly string[], options: { bare?: boolean; env?: Record<string, string> } = {}): Promise<OpsResult> {
    const configs = options.bare ? [] : ['--config', this.file('processor.json'), ...(needsIngest(args) ? ['--ingest-config', this.file('ingest.json')] : [])];
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--disable-warning=TimeoutNegativeWarning', OPS_MAIN, ...args, ...configs], { env: { ...this.env, ...options.env }, timeout: 120_000 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof failed.code === 'number' ? failed.code : 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }

  /** Starts the processor as a process and waits until it is ready. */
  async startProcessor(): Promise<void> {
    const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', PROCESSOR_MAIN, '--config', this.file('processor.json')], { env: this.env, stdio: ['ignore', 'ignore', 'inherit'] });
    this.processor = child;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the processor exited with ${child.exitCode}`);
      const ready = await fetch(`http://127.0.0.1:${this.processorPort}/readyz`).then((r) => r.ok, () => false);
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the processor did not become ready');
  }

  async stopProcessor(): Promise<void> {
    const child = this.processor;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  async close(): Promise<void> {
    await this.stopProcessor();
    await this.jumpcloud?.close();
    await this.terranova?.close();
    if (this.kafka) {
      const admin = this.kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: Object.values(this.topics) }).catch(() => undefined);
      await admin.deleteGroups([this.groupId]).catch(() => undefined);
      await admin.disconnect();
    }
    if (this.redis) {
      await deleteKeysWithPrefix(this.redis, this.keyPrefix);
      await this.redis.quit();
    }
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

const WITH_INGEST = new Set(['verify', 'import', 'provision', 'reconcile']);

function needsIngest(args: readonly string[]): boolean {
  return WITH_INGEST.has(args[0] ?? '') && !args.includes('--ingest-config');
}
