import type { Logger } from 'pino';
import type { IngestConfig } from './config/load-config.ts';
import { startHttpServer, type RunningHttpServer } from './http/http-server.ts';
import type { WebhookOptions } from './http/webhook.ts';
import { IngestMetrics } from './metrics.ts';
import { PollSupervisor } from './poller/supervisor.ts';
import { TenantPoller, type AfterPublishHook } from './poller/tenant-poller.ts';
import { openRuntime, type IngestRuntime } from './runtime.ts';
import { TenantLease } from './store/lease.ts';

export interface IngestServiceOptions {
  config: IngestConfig;
  logger: Logger;
  /** Failpoint for crash tests (see `TenantPoller`). */
  afterPublish?: AfterPublishHook;
}

/** A running ingest: pollers under leases, and the HTTP server. */
export interface IngestService {
  url: string;
  runtime: IngestRuntime;
  supervisor: PollSupervisor;
  stop(): Promise<void>;
}

function webhookOptions(runtime: IngestRuntime): WebhookOptions | undefined {
  const tenants = new Map(
    runtime.config.tenants.flatMap((t) => {
      const ctx = runtime.tenants.get(t.tenantId);
      return ctx && t.webhookSecret ? [[t.tenantId, { ctx, secret: t.webhookSecret }] as const] : [];
    }),
  );
  if (tenants.size === 0) return undefined;
  const { http } = runtime.config;
  return { tenants, publisher: runtime.publisher, metrics: runtime.metrics, logger: runtime.logger.child({ component: 'webhook' }), bodyLimitBytes: http.webhookBodyLimitBytes, toleranceSeconds: http.webhookToleranceSeconds };
}

function createSupervisor(runtime: IngestRuntime, afterPublish: AfterPublishHook | undefined): PollSupervisor {
  const { config } = runtime;
  const pollers = config.tenants.flatMap((tenant) => {
    const ctx = runtime.tenants.get(tenant.tenantId);
    if (!ctx) return [];
    const poller = new TenantPoller({
      ctx,
      publisher: runtime.publisher,
      kafka: runtime.kafka,
      settings: config.poll,
      ...(tenant.pollStartTime ? { startTime: tenant.pollStartTime } : {}),
      ...(afterPublish ? { afterPublish } : {}),
    });
    return [{ poller, lease: new TenantLease(runtime.redis, ctx.store.keys.lease, config.instanceId) }];
  });
  return new PollSupervisor({ pollers, settings: { ...config.lease, intervalMs: config.poll.intervalMs }, logger: runtime.logger.child({ component: 'poller' }), metrics: runtime.metrics });
}

/** Starts the ingest: connections, topic, pollers (one replica per tenant at a time), health, metrics and webhook. */
export async function startIngestService(options: IngestServiceOptions): Promise<IngestService> {
  const { config, logger } = options;
  const runtime = await openRuntime(config, logger, new IngestMetrics({ processMetrics: true }));
  const supervisor = createSupervisor(runtime, options.afterPublish);
  let http: RunningHttpServer;
  try {
    http = await startHttpServer({
      host: config.http.host,
      port: config.http.port,
      metrics: runtime.metrics,
      // Request lines are info; the server's own warnings and errors still show.
      logger: logger.child({ component: 'http' }, { level: 'warn' }),
      health: () => ({
        healthy: runtime.redis.status === 'ready' && runtime.publisher.connected,
        instanceId: config.instanceId,
        redis: runtime.redis.status,
        kafka: runtime.publisher.connected ? 'connected' : 'disconnected',
        tenants: supervisor.status(),
      }),
      ...(webhookOptions(runtime) ? { webhook: webhookOptions(runtime) as WebhookOptions } : {}),
    });
  } catch (error) {
    await runtime.close();
    throw error;
  }
  supervisor.start();
  logger.info({ url: http.url, instanceId: config.instanceId, tenants: [...runtime.tenants.keys()] }, 'ingest started');
  return {
    url: http.url,
    runtime,
    supervisor,
    stop: async () => {
      await supervisor.stop();
      await http.close();
      await runtime.close();
    },
  };
}
