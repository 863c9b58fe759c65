import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { parseConfig, readJsonFile, type DeepReadonly } from '@provisioning/config';
import { PROCESSOR_DEFAULTS } from '@provisioning/processor-controls';
import { TOPICS } from '@provisioning/schemas';
import { DEFAULT_CONSUMER_SETTINGS, DEFAULT_ENGINE_LIMITS } from '../engine/engine-options.ts';

const positiveInt = z.int().positive();

const engineSchema = z.strictObject({
  maxInFlight: positiveInt.default(DEFAULT_ENGINE_LIMITS.maxInFlight),
  maxInFlightPerTenant: positiveInt.default(DEFAULT_ENGINE_LIMITS.maxInFlightPerTenant),
  maxPending: positiveInt.default(DEFAULT_ENGINE_LIMITS.maxPending),
  maxPendingPerPartition: positiveInt.default(DEFAULT_ENGINE_LIMITS.maxPendingPerPartition),
  maxPendingPerTenant: positiveInt.default(DEFAULT_ENGINE_LIMITS.maxPendingPerTenant),
  stuckAfterMs: positiveInt.default(DEFAULT_ENGINE_LIMITS.stuckAfterMs),
  maxDeferredPerPartition: positiveInt.default(DEFAULT_ENGINE_LIMITS.maxDeferredPerPartition),
  commitIntervalMs: positiveInt.default(DEFAULT_ENGINE_LIMITS.commitIntervalMs),
  retryInitialMs: positiveInt.default(DEFAULT_ENGINE_LIMITS.retryInitialMs),
  retryMaxMs: positiveInt.default(DEFAULT_ENGINE_LIMITS.retryMaxMs),
});

const consumerSchema = z.strictObject({
  sessionTimeoutMs: positiveInt.default(DEFAULT_CONSUMER_SETTINGS.sessionTimeoutMs),
  rebalanceTimeoutMs: positiveInt.default(DEFAULT_CONSUMER_SETTINGS.rebalanceTimeoutMs),
  heartbeatIntervalMs: positiveInt.default(DEFAULT_CONSUMER_SETTINGS.heartbeatIntervalMs),
  maxWaitTimeMs: positiveInt.default(DEFAULT_CONSUMER_SETTINGS.maxWaitTimeMs),
  maxBytesPerPartition: positiveInt.default(DEFAULT_CONSUMER_SETTINGS.maxBytesPerPartition),
  maxBytes: positiveInt.default(DEFAULT_CONSUMER_SETTINGS.maxBytes),
  fromBeginning: z.boolean().default(DEFAULT_CONSUMER_SETTINGS.fromBeginning),
});

/** The processor's config file (everything but the tenants, which live in their own reloadable file). */
export const processorConfigSchema = z.strictObject({
  kafka: z.strictObject({
    brokers: z.array(z.string().min(1)).min(1),
    clientId: z.string().min(1).default('provisioning-processor'),
    groupId: z.string().min(1).default(PROCESSOR_DEFAULTS.groupId),
    topics: z
      .strictObject({ userChanges: z.string().min(1), results: z.string().min(1), dlq: z.string().min(1) })
      .default({ ...TOPICS }),
    /** Create the three topics at startup when they are missing (development and tests). */
    createTopics: z.boolean().default(false),
    partitions: positiveInt.default(12),
    consumer: consumerSchema.default(consumerSchema.parse({})),
  }),
  redis: z.strictObject({
    url: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL'),
    keyPrefix: z.string().min(1).default(PROCESSOR_DEFAULTS.keyPrefix),
  }),
  http: z
    .strictObject({ host: z.string().min(1).default('0.0.0.0'), port: z.int().min(0).max(65_535).default(9464) })
    .default({ host: '0.0.0.0', port: 9464 }),
  engine: engineSchema.default(engineSchema.parse({})),
  idempotency: z
    .strictObject({
      leaseMs: positiveInt
        .default(15_000)
        .describe('How long a claim holds unless renewed (a running event renews it every half lease); a crashed worker\'s claims expire after it.'),
      doneTtlHours: positiveInt.default(168).describe('How long a done marker is kept.'),
      stateTtlDays: positiveInt.default(400).describe('How long an untouched user state is kept.'),
    })
    .default({ leaseMs: 15_000, doneTtlHours: 168, stateTtlDays: 400 }),
  parking: z
    .strictObject({
      probeIntervalMs: positiveInt.default(30_000).describe('How often a parked tenant\'s token is tried again.'),
      unavailableAfterFailures: positiveInt.default(5).describe('Events in a row that exhausted their retries before the tenant is parked as unavailable.'),
    })
    .default({ probeIntervalMs: 30_000, unavailableAfterFailures: 5 }),
  results: z
    .strictObject({ maxBatch: positiveInt.default(2_000).describe('Result and DLQ messages per produce request at most.') })
    .default({ maxBatch: 2_000 }),
  controls: z
    .strictObject({ refreshMs: positiveInt.default(5_000).describe('How often operator controls (disabled tenants, forced replays) are read from Redis.') })
    .default({ refreshMs: 5_000 }),
  shutdownTimeoutMs: positiveInt.default(20_000).describe('How long SIGTERM waits for running events.'),
  tenantsFile: z.string().min(1).describe('Path of the tenants file, relative to this file.'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type ProcessorConfig = DeepReadonly<z.output<typeof processorConfigSchema>>;

/** Validates a processor config value (every problem listed in one ConfigError). */
export function parseProcessorConfig(input: unknown, source: string): ProcessorConfig {
  return parseConfig(processorConfigSchema, input, source);
}

/** Reads the config file; `tenantsFile` comes back as an absolute path resolved against the file's folder. */
export async function loadProcessorConfig(path: string): Promise<ProcessorConfig> {
  const input = await readJsonFile(path);
  const withAbsoluteTenants =
    typeof input === 'object' && input !== null && typeof (input as { tenantsFile?: unknown }).tenantsFile === 'string'
      ? { ...input, tenantsFile: resolve(dirname(path), (input as { tenantsFile: string }).tenantsFile) }
      : input;
  return parseProcessorConfig(withAbsoluteTenants, path);
}
