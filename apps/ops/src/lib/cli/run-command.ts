import type { Admin, Kafka } from 'kafkajs';
import { createKafkaClient } from '@provisioning/kafka';
import { createRootLogger } from '@provisioning/observability';
import { createRedisClient, waitForRedis, type Redis } from '@provisioning/redis';
import { configuredTenantIds, loadOpsConfig, type OpsConfig } from '../config/ops-config.ts';
import { listDlq, redriveDlq } from '../dlq/dlq-commands.ts';
import { replay } from '../replay/replay-command.ts';
import { parseReplayFrom } from '../replay/replay-from.ts';
import { OpsError } from './ops-error.ts';
import { emit, table } from './output.ts';
import { progressBar } from './progress.ts';

interface Connections {
  config: OpsConfig;
  kafka: Kafka;
  admin: Admin;
  redis: () => Promise<Redis>;
  close(): Promise<void>;
}

async function connect(configPath: unknown): Promise<Connections> {
  if (typeof configPath !== 'string') throw new OpsError('--config <processor.json> is required', 'USAGE');
  const config = await loadOpsConfig(configPath);
  const logger = createRootLogger({ name: 'ops', level: 'warn', destination: process.stderr });
  const kafka = createKafkaClient({ brokers: config.kafka.brokers, clientId: 'provisioning-ops', logger });
  const admin = kafka.admin();
  await admin.connect();
  let redis: Redis | undefined;
  return {
    config,
    kafka,
    admin,
    async redis() {
      redis ??= createRedisClient({ url: config.redis.url, logger });
      await waitForRedis(redis);
      return redis;
    },
    async close() {
      await admin.disconnect();
      await redis?.quit();
    },
  };
}

type Values = Record<string, unknown>;

async function replayCommand(c: Connections, values: Values): Promise<number> {
  const tenant = values['tenant'] as string | undefined;
  if (!tenant === !values['all']) throw new OpsError('name one tenant with --tenant <id>, or all of them with --all', 'USAGE');
  if (typeof values['from'] !== 'string') throw new OpsError('--from is required (earliest, an ISO timestamp, an offset or p:o pairs)', 'USAGE');
  const request = { tenantIds: tenant ? [tenant] : [], from: parseReplayFrom(values['from']), force: values['force'] === true };
  const summary = await replay(c.admin, await c.redis(), c.config, request, () => configuredTenantIds(c.config));
  emit(values['json'] === true, summary, () =>
    [
      `replay ${summary.replayId}: group ${summary.groupId} moved back on ${summary.topic} (${summary.force ? 'forced' : 'not forced'}, tenants ${summary.tenants === 'all' ? 'all' : summary.tenants.join(', ')})`,
      table(['partition', 'from', 'to', 'events'], summary.partitions.map((p) => [String(p.partition), p.from, p.to, p.events])),
      `${summary.eventsToReplay} events will be read again when the processors start.`,
    ].join('\n'),
  );
  return 0;
}

async function dlqListCommand(c: Connections, values: Values): Promise<number> {
  const bar = progressBar('reading the DLQ');
  const entries = await listDlq(c.kafka, c.admin, c.config.kafka.topics.dlq, values['tenant'] as string | undefined, (n) => bar.update(n));
  bar.stop();
  emit(values['json'] === true, entries, () =>
    entries.length === 0
      ? 'the DLQ is empty'
      : `${table(['entry', 'key', 'error', 'attempts', 'failed at', 'reason'], entries.map((e) => [e.id, e.key ?? '', e.errorCode ?? '', e.attempts ?? '', e.failedAt ?? '', (e.errorMessage ?? '').slice(0, 120)]))}\n${entries.length} entries`,
  );
  return 0;
}

async function dlqRedriveCommand(c: Connections, values: Values): Promise<number> {
  const entryIds = (values['entry'] as string[] | undefined) ?? [];
  if ((entryIds.length > 0) === (values['all'] === true)) throw new OpsError('name entries with --entry <partition:offset>, or take every one with --all', 'USAGE');
  const bar = progressBar('redriving');
  const outcome = await redriveDlq(c.kafka, c.admin, c.config.kafka.topics, { entryIds, all: values['all'] === true, tenantId: values['tenant'] as string | undefined }, values['value-file'] as string | undefined, (done, total) => bar.update(done, total));
  bar.stop();
  emit(values['json'] === true, outcome, () =>
    [
      ...outcome.redriven.map((r) => `redriven ${r.id} → ${r.key} as ${r.eventId}`),
      ...outcome.refused.map((r) => `refused  ${r.id}: ${r.reason}`),
      `${outcome.redriven.length} redriven, ${outcome.refused.length} refused`,
    ].join('\n'),
  );
  return outcome.refused.length > 0 ? 5 : 0;
}

const HANDLERS: Record<string, (c: Connections, values: Values) => Promise<number>> = {
  replay: replayCommand,
  'dlq list': dlqListCommand,
  'dlq redrive': dlqRedriveCommand,
};

/** Runs one parsed command with its connections, closing them whatever happens. */
export async function runCommand(name: string, values: Values): Promise<number> {
  const connections = await connect(values['config']);
  try {
    return await HANDLERS[name]!(connections, values);
  } finally {
    await connections.close();
  }
}
