import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { IngestMetrics } from '../metrics.ts';
import { registerWebhook, type WebhookOptions } from './webhook.ts';

/** What `/healthz` reports; `healthy` decides 200 or 503. */
export interface HealthReport {
  healthy: boolean;
  [detail: string]: unknown;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  metrics: IngestMetrics;
  health: () => HealthReport | Promise<HealthReport>;
  webhook?: WebhookOptions;
  logger: FastifyBaseLogger;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The ingest's HTTP server: `/healthz`, `/metrics` (Prometheus) and, when tenants have secrets, `POST /v1/events`. */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const app = Fastify({ loggerInstance: options.logger });
  app.get('/healthz', async (_request, reply) => {
    const report = await options.health();
    return reply.code(report.healthy ? 200 : 503).send(report);
  });
  app.get('/metrics', async (_request, reply) => reply.header('content-type', options.metrics.registry.contentType).send(await options.metrics.registry.metrics()));
  if (options.webhook) registerWebhook(app, options.webhook);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return { url: `http://${host}:${port}`, port, close: () => app.close() };
}
