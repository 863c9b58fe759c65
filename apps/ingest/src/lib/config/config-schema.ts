import { z } from 'zod';
import { secretRefSchema } from '@provisioning/config';
import { TOPICS, tenantIdSchema } from '@provisioning/schemas';

const ms = (description: string) => z.int().min(0).describe(description);

/** One JumpCloud organization provisioned into one Terranova tenant. */
export const tenantConfigSchema = z.strictObject({
  tenantId: tenantIdSchema,
  orgId: z.string().min(1).describe('JumpCloud organization id (sent as x-org-id)'),
  applicationId: z.string().min(1).describe('id of the Terranova application in JumpCloud'),
  apiKey: secretRefSchema.describe('JumpCloud admin API key: { "env": NAME } or { "file": path }'),
  webhookSecret: secretRefSchema.optional().describe('HMAC secret of POST /v1/events for this tenant; no webhook without it'),
  apiBaseUrl: z.url().optional().describe('overrides jumpcloud.apiBaseUrl (v1 and v2 APIs)'),
  insightsBaseUrl: z.url().optional().describe('overrides jumpcloud.insightsBaseUrl (Directory Insights)'),
  pollStartTime: z.iso.datetime({ offset: true }).optional().describe('where the poller starts when the tenant has no cursor yet'),
  enabled: z.boolean().default(true),
});

const httpSchema = z.strictObject({
  host: z.string().min(1).default('0.0.0.0'),
  port: z.int().min(0).max(65_535).default(8080),
  webhookBodyLimitBytes: z.int().min(1024).default(1024 * 1024),
  webhookToleranceSeconds: z.int().min(1).default(300).describe('how old a signed webhook timestamp may be'),
});

const kafkaSchema = z.strictObject({
  brokers: z.array(z.string().min(1)).min(1),
  clientId: z.string().min(1).default('ingest'),
  topic: z.string().min(1).default(TOPICS.userChanges),
  partitions: z.int().min(1).default(12).describe('used when the topic has to be created'),
  replicationFactor: z.int().min(1).default(3),
});

const redisSchema = z.strictObject({
  url: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL'),
  password: secretRefSchema.optional(),
  keyPrefix: z.string().min(1).regex(/^[^{}]+$/, 'may not contain { or }').default('ingest'),
});

const pollSchema = z.strictObject({
  intervalMs: ms('pause between two polls of a tenant').min(10).default(5_000),
  overlapMs: ms('how far back each poll re-reads, deduplicated by event id').default(2_000),
  lagMs: ms('how far behind now the poll window ends, so late events are not missed').default(30_000),
  pageSize: z.int().min(1).max(10_000).default(1_000),
  initialLookbackMs: ms('where a tenant without cursor or pollStartTime starts, back from now').default(3_600_000),
});

const leaseSchema = z
  .strictObject({
    ttlMs: ms('how long a tenant lease lives without renewal: the takeover time after a crash').min(200).default(15_000),
    renewIntervalMs: ms('how often leases are renewed and free tenants claimed').min(50).default(5_000),
  })
  .refine((lease) => lease.renewIntervalMs * 2 <= lease.ttlMs, 'renewIntervalMs must be at most half of ttlMs');

const jumpcloudSchema = z.strictObject({
  apiBaseUrl: z.url().default('https://console.jumpcloud.com'),
  insightsBaseUrl: z.url().default('https://api.jumpcloud.com'),
  timeoutMs: ms('per request').min(100).default(15_000),
  retries: z.int().min(0).max(20).default(5).describe('retries of a 429, 5xx or network failure'),
  minRetryDelayMs: ms('first backoff delay').default(250),
  maxRetryDelayMs: ms('largest backoff delay (and largest Retry-After honoured)').default(30_000),
  concurrency: z.int().min(1).max(64).default(8).describe('parallel user reads per tenant'),
});

/** The ingest config file: many tenants, one Kafka, one Redis. Secrets are references, never values. */
export const ingestConfigSchema = z
  .strictObject({
    instanceId: z.string().min(1).optional().describe('names this replica in leases and logs; hostname-pid by default'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    http: httpSchema.prefault({}),
    kafka: kafkaSchema,
    redis: redisSchema,
    poll: pollSchema.prefault({}),
    lease: leaseSchema.prefault({}),
    jumpcloud: jumpcloudSchema.prefault({}),
    tenants: z.array(tenantConfigSchema).min(1),
  })
  .superRefine(
    (config, context) => {
      // Runs even when other fields are invalid (`when`), so duplicates are listed with every other problem.
      const tenants: unknown[] = Array.isArray(config.tenants) ? config.tenants : [];
      for (const key of ['tenantId', 'orgId'] as const) {
        const seen = new Set<unknown>();
        tenants.forEach((tenant, index) => {
          const value = (tenant as Record<string, unknown> | null)?.[key];
          if (typeof value === 'string' && seen.has(value)) context.addIssue({ code: 'custom', path: ['tenants', index, key], message: `${key} ${value} appears twice` });
          seen.add(value);
        });
      }
    },
    { when: () => true },
  );

export type IngestConfigInput = z.input<typeof ingestConfigSchema>;
export type IngestConfigFile = z.output<typeof ingestConfigSchema>;
export type TenantConfigFile = z.output<typeof tenantConfigSchema>;
