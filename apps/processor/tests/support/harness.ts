import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Message } from 'kafkajs';
import { silentLogger } from '@provisioning/observability';
import { createRedisClient, waitForRedis } from '@provisioning/redis';
import { deleteKeysWithPrefix, testRedisUrl, uniqueKeyPrefix } from '@provisioning/redis/testing';
import type { UserChangeEventV1 } from '@provisioning/schemas';
import { startTerranovaSim, type TerranovaSim } from '@provisioning/terranova-sim';
import { parseProcessorConfig, type ProcessorConfig } from '../../src/lib/config/processor-config.ts';
import { startProcessor, type Processor } from '../../src/lib/processor.ts';
import { toMessage } from './events.ts';
import { KafkaFixture } from './kafka-fixture.ts';
import { ResultCollector, TopicCollector } from './topic-collector.ts';

export interface HarnessTenant {
  id: string;
  deprovisionMode?: 'deactivate' | 'delete';
  rateLimit?: { ratePerSecond: number; burst: number };
  mapping?: Record<string, unknown>;
  enabled?: boolean;
  massDeprovisionGuard?: { enabled?: boolean; maxUsers?: number; maxPercent?: number };
}

export interface HarnessOptions {
  tenants: HarnessTenant[];
  partitions?: number;
  /** Overrides merged into the processor config (engine, idempotency, parking, …). */
  config?: Record<string, unknown>;
}

const FAST_KAFKA = { maxWaitTimeMs: 100, heartbeatIntervalMs: 500, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 15_000 };

/**
 * One processor scenario against the real broker and Redis and an in-process Terranova emulator: its own
 * topics, group, key prefix, tenants file and token files, all removed by `close`.
 */
export class ProcessorHarness {
  readonly kafka = new KafkaFixture();
  readonly processors: Processor[] = [];
  sim!: TerranovaSim;
  dir!: string;
  topics!: { userChanges: string; results: string; dlq: string };
  groupId!: string;
  keyPrefix!: string;
  results!: ResultCollector;
  dlq!: TopicCollector;
  redis!: Redis;
  private options!: HarnessOptions;

  static async create(options: HarnessOptions): Promise<ProcessorHarness> {
    const harness = new ProcessorHarness();
    await harness.setUp(options);
    return harness;
  }

  private async setUp(options: HarnessOptions): Promise<void> {
    this.options = options;
    await this.kafka.connect();
    const partitions = options.partitions ?? 3;
    this.topics = {
      userChanges: await this.kafka.topic('changes', partitions),
      results: await this.kafka.topic('results', partitions),
      dlq: await this.kafka.topic('dlq', 1),
    };
    this.groupId = this.kafka.group('processor');
    this.keyPrefix = uniqueKeyPrefix('processor');
    this.dir = await mkdtemp(join(tmpdir(), 'processor-test-'));
    this.sim = await startTerranovaSim({ tenants: options.tenants.map((t) => ({ id: t.id, token: this.initialToken(t.id) })), requestLogCapacity: 10 });
    for (const tenant of options.tenants) await this.writeToken(tenant.id, this.initialToken(tenant.id));
    await this.writeTenants(options.tenants);
    this.redis = createRedisClient({ url: testRedisUrl(), logger: silentLogger() });
    await waitForRedis(this.redis);
    this.results = new ResultCollector(this.kafka.kafka, this.topics.results);
    this.dlq = new TopicCollector(this.kafka.kafka, this.topics.dlq);
    await Promise.all([this.results.start(), this.dlq.start()]);
  }

  initialToken(tenantId: string): string {
    return `token-${tenantId}-1`;
  }

  tokenFile(tenantId: string): string {
    return join(this.dir, `${tenantId}.token`);
  }

  async writeToken(tenantId: string, token: string): Promise<void> {
    await writeFile(this.tokenFile(tenantId), `${token}\n`);
  }

  get tenantsFile(): string {
    return join(this.dir, 'tenants.json');
  }

  async writeTenants(tenants: HarnessTenant[], forceRemove?: string[]): Promise<void> {
    const file = {
      ...(forceRemove ? { forceRemove } : {}),
      tenants: tenants.map((t) => ({
        id: t.id,
        enabled: t.enabled ?? true,
        terranova: { baseUrl: this.sim.scimBaseUrl(t.id), token: { file: this.tokenFile(t.id) }, timeoutMs: 5_000 },
        rateLimit: t.rateLimit ?? { ratePerSecond: 1_000, burst: 200 },
        deprovisionMode: t.deprovisionMode ?? 'deactivate',
        ...(t.mapping ? { mapping: t.mapping } : {}),
        ...(t.massDeprovisionGuard ? { massDeprovisionGuard: t.massDeprovisionGuard } : {}),
      })),
    };
    await writeFile(this.tenantsFile, JSON.stringify(file, null, 2));
  }

  /** The processor config of this scenario (also written to `processor.json` for child processes). */
  config(): ProcessorConfig {
    const overrides = this.options.config ?? {};
    return parseProcessorConfig(
      {
        kafka: { brokers: this.kafka.brokers, clientId: 'processor-test', groupId: this.groupId, topics: this.topics, consumer: FAST_KAFKA },
        redis: { url: testRedisUrl(), keyPrefix: this.keyPrefix },
        http: { host: '127.0.0.1', port: 0 },
        idempotency: { leaseMs: 3_000, doneTtlHours: 1, stateTtlDays: 1 },
        parking: { probeIntervalMs: 300, unavailableAfterFailures: 3 },
        controls: { refreshMs: 200 },
        shutdownTimeoutMs: 5_000,
        tenantsFile: this.tenantsFile,
        logLevel: 'silent',
        ...overrides,
        engine: { commitIntervalMs: 200, retryInitialMs: 50, retryMaxMs: 1_000, ...(overrides['engine'] as object | undefined) },
      },
      'test config',
    );
  }

  /** Writes the config for a child process; `overrides` replace top-level keys (e.g. `logLevel`). */
  async writeConfigFile(overrides: Record<string, unknown> = {}): Promise<string> {
    const path = join(this.dir, 'processor.json');
    await writeFile(path, JSON.stringify({ ...this.config(), logLevel: 'warn', ...overrides }));
    return path;
  }

  async startProcessor(instanceId?: string): Promise<Processor> {
    const processor = await startProcessor(this.config(), { logger: silentLogger(), env: {}, instanceId, defaultMetrics: false });
    this.processors.push(processor);
    return processor;
  }

  async send(events: readonly (UserChangeEventV1 | Message)[]): Promise<void> {
    await this.kafka.produce(this.topics.userChanges, events.map((e) => ('schemaVersion' in e ? toMessage(e) : e)));
  }

  /** SCIM writes (POST, PUT, PATCH, DELETE) Terranova received for a tenant. */
  writes(tenantId: string): number {
    return this.sim.admin.requestLog(tenantId, 0).writes;
  }

  async close(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.stop()));
    await Promise.all([this.results?.stop(), this.dlq?.stop()]);
    await this.sim?.close();
    if (this.redis) {
      await deleteKeysWithPrefix(this.redis, this.keyPrefix);
      await this.redis.quit();
    }
    await this.kafka.close();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
