import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { errorCode } from '@provisioning/errors';
import { directoryInsightsEventSchema, describeIssues, type DirectoryInsightsEvent } from '@provisioning/schemas';
import { publishDirectoryEvents } from '../commands/import.ts';
import type { TenantContext } from '../events/state-builder.ts';
import type { EventPublisher } from '../kafka/publisher.ts';
import type { IngestMetrics } from '../metrics.ts';
import { SIGNATURE_HEADERS, verifyWebhook } from './signature.ts';

export interface WebhookOptions {
  /** Tenants that accept webhooks, with their HMAC secrets. */
  tenants: ReadonlyMap<string, { ctx: TenantContext; secret: string }>;
  publisher: EventPublisher;
  metrics: IngestMetrics;
  logger: Logger;
  bodyLimitBytes: number;
  toleranceSeconds: number;
  /** Events waiting per tenant before calls are refused with 503. @defaultValue 10_000 */
  maxBacklog?: number;
}

const bodySchema = z.union([directoryInsightsEventSchema.transform((e) => [e]), z.array(directoryInsightsEventSchema).min(1)]);

/** Runs a tenant's webhook batches one after another, so its events are published in arrival order. */
class TenantQueue {
  backlog = 0;
  private tail: Promise<void> = Promise.resolve();

  push(size: number, work: () => Promise<void>): Promise<void> {
    this.backlog += size;
    this.tail = this.tail.then(work).finally(() => {
      this.backlog -= size;
    });
    return this.tail;
  }
}

async function refuse(reply: FastifyReply, metrics: IngestMetrics, status: number, outcome: string, message: string, details?: string[]) {
  metrics.webhookRequests.inc({ outcome });
  return reply.code(status).send({ error: outcome, message, ...(details ? { details } : {}) });
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

/**
 * `POST /v1/events`: Directory Insights events pushed by JumpCloud-side automation, one or an array, for the tenant
 * named in `x-tenant-id` and signed with its secret (see `signWebhook`). The signature is checked on the raw bytes
 * in constant time before anything is parsed. 202 once queued; the events are published as the poller would, with
 * ids `webhook:<eventId>`.
 */
export function registerWebhook(app: FastifyInstance, options: WebhookOptions): void {
  const queues = new Map<string, TenantQueue>();
  const maxBacklog = options.maxBacklog ?? 10_000;
  app.register(async (scope) => {
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: options.bodyLimitBytes }, (_request, body, done) => done(null, body));
    scope.post('/v1/events', async (request: FastifyRequest, reply: FastifyReply) => {
      const tenantId = request.headers[SIGNATURE_HEADERS.tenant];
      const tenant = typeof tenantId === 'string' ? options.tenants.get(tenantId) : undefined;
      const body = request.body as Buffer | undefined;
      if (!tenant || !Buffer.isBuffer(body)) return refuse(reply, options.metrics, 401, 'unauthorized', 'unknown tenant or unsigned call');
      const check = verifyWebhook({ secret: tenant.secret, body, timestamp: header(request, SIGNATURE_HEADERS.timestamp), signature: header(request, SIGNATURE_HEADERS.signature), toleranceSeconds: options.toleranceSeconds });
      if (!check.ok) return refuse(reply, options.metrics, 401, 'unauthorized', `signature ${check.reason}`);
      const json = parseJson(body);
      if (!json.ok) return refuse(reply, options.metrics, 400, 'bad-request', 'the body is not JSON');
      const parsed = bodySchema.safeParse(json.value);
      if (!parsed.success) return refuse(reply, options.metrics, 422, 'invalid-events', 'not Directory Insights events', describeIssues(parsed.error.issues).slice(0, 20));
      const foreign = parsed.data.filter((e) => e.organization !== undefined && e.organization !== tenant.ctx.orgId);
      if (foreign.length > 0) return refuse(reply, options.metrics, 422, 'other-organization', `${foreign.length} events belong to another organization`);
      const queue = queues.get(tenant.ctx.tenantId) ?? new TenantQueue();
      queues.set(tenant.ctx.tenantId, queue);
      if (queue.backlog + parsed.data.length > maxBacklog) {
        void reply.header('retry-after', '5');
        return refuse(reply, options.metrics, 503, 'busy', 'too many events waiting; retry later');
      }
      void queue.push(parsed.data.length, () => publishQueued(options, tenant.ctx, parsed.data));
      options.metrics.webhookRequests.inc({ outcome: 'accepted' });
      return reply.code(202).send({ accepted: parsed.data.length });
    });
  });
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** How long a delivered event id is remembered, so a redelivery within it is not published again. */
const REDELIVERY_WINDOW_SECONDS = 24 * 3600;

/**
 * Publishes one accepted call. Event ids are claimed first, so an event delivered twice (JumpCloud-side retries,
 * overlapping exports) is published once; a failure gives the claims back, is logged and counted, and the poller
 * reads the same events later anyway.
 */
async function publishQueued(options: WebhookOptions, ctx: TenantContext, events: DirectoryInsightsEvent[]): Promise<void> {
  const ids = [...new Set(events.map((e) => e.id))];
  let claimed = new Set<string>();
  try {
    claimed = await ctx.store.claimEventIds('webhook', ids, REDELIVERY_WINDOW_SECONDS);
    const redelivered = events.filter((e) => !claimed.has(e.id));
    if (redelivered.length > 0) ctx.metrics.eventsDropped.inc({ tenant: ctx.tenantId, reason: 'duplicate' }, redelivered.length);
    await publishDirectoryEvents(ctx, options.publisher, events.filter((e) => claimed.has(e.id)), 'webhook');
  } catch (error) {
    await ctx.store.releaseEventIds('webhook', [...claimed]).catch(() => undefined);
    options.metrics.webhookRequests.inc({ outcome: 'failed-after-accept' });
    options.logger.error({ err: error, tenantId: ctx.tenantId, code: errorCode(error), events: events.length }, 'webhook events could not be published');
  }
}
