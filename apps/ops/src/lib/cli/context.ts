import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { Environment } from '@provisioning/config';
import { createKafkaClient } from '@provisioning/kafka';
import { createRootLogger } from '@provisioning/observability';
import { createRedisClient, waitForRedis, type Redis } from '@provisioning/redis';
import { loadOpsConfig, type OpsConfig } from '../config/ops-config.ts';
import { OpsError } from './ops-error.ts';

/** Parsed flags of one command. */
export type Values = Record<string, unknown>;

/**
 * What a command runs with: its flags, the processor's config, and connections opened on first use (so `verify`
 * and `import`, which need neither Kafka nor Redis, work while those are down). `close` closes what was opened.
 */
export interface CommandContext {
  values: Values;
  config: OpsConfig;
  env: Environment;
  logger: Logger;
  kafka(): Kafka;
  admin(): Promise<Admin>;
  redis(): Promise<Redis>;
  /** Runs when the command ends (clients the command opened). */
  onClose(close: () => Promise<void>): void;
  close(): Promise<void>;
}

export async function openContext(values: Values, env: Environment): Promise<CommandContext> {
  if (typeof values['config'] !== 'string') throw new OpsError('--config <processor.json> is required', 'USAGE');
  const config = await loadOpsConfig(values['config']);
  const logger = createRootLogger({ name: 'ops', level: 'warn', destination: process.stderr });
  const closers: (() => Promise<void>)[] = [];
  let kafka: Kafka | undefined;
  let admin: Promise<Admin> | undefined;
  let redis: Promise<Redis> | undefined;
  const context: CommandContext = {
    values,
    config,
    env,
    logger,
    kafka: () => (kafka ??= createKafkaClient({ brokers: [...config.kafka.brokers], clientId: 'provisioning-ops', logger })),
    admin: () =>
      (admin ??= (async () => {
        const client = context.kafka().admin();
        await client.connect();
        closers.push(() => client.disconnect());
        return client;
      })()),
    redis: () =>
      (redis ??= (async () => {
        const client = createRedisClient({ url: config.redis.url, logger });
        closers.push(async () => void (await client.quit()));
        await waitForRedis(client);
        return client;
      })()),
    onClose: (close) => void closers.push(close),
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    },
  };
  return context;
}

/** The `--tenant` flag (or the command's positional tenant), required. */
export function tenantOf(values: Values): string {
  const tenant = values['tenant'];
  if (typeof tenant !== 'string' || tenant === '') throw new OpsError('name the tenant with --tenant <id>', 'USAGE');
  return tenant;
}
