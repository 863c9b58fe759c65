import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The ingest's Prometheus metrics, on their own registry (served at `/metrics`). */
export class IngestMetrics {
  readonly registry = new Registry();
  readonly eventsRead: Counter<'tenant' | 'source'>;
  readonly eventsDropped: Counter<'tenant' | 'reason'>;
  readonly eventsPublished: Counter<'tenant' | 'source'>;
  readonly pollLagSeconds: Gauge<'tenant'>;
  readonly pollFailures: Counter<'tenant' | 'code'>;
  readonly jumpcloudErrors: Counter<'tenant' | 'code'>;
  readonly leaseHeld: Gauge<'tenant'>;
  readonly webhookRequests: Counter<'outcome'>;
  readonly publishSeconds: Histogram<'source'>;
  readonly pendingRecovered: Counter<'tenant'>;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.eventsRead = new Counter({ name: 'ingest_di_events_read_total', help: 'Directory Insights events read, before dedupe and filtering', labelNames: ['tenant', 'source'], registers });
    this.eventsDropped = new Counter({ name: 'ingest_di_events_dropped_total', help: 'Events that produced no state event, by reason (noise, duplicate, invalid…)', labelNames: ['tenant', 'reason'], registers });
    this.eventsPublished = new Counter({ name: 'ingest_events_published_total', help: 'UserChangeEvents published to Kafka', labelNames: ['tenant', 'source'], registers });
    this.pollLagSeconds = new Gauge({ name: 'ingest_poll_lag_seconds', help: 'How far behind now the last completely read poll window ends', labelNames: ['tenant'], registers });
    this.pollFailures = new Counter({ name: 'ingest_poll_failures_total', help: 'Polls that failed, by error code', labelNames: ['tenant', 'code'], registers });
    this.jumpcloudErrors = new Counter({ name: 'ingest_jumpcloud_errors_total', help: 'Failed JumpCloud calls (each attempt), by error code', labelNames: ['tenant', 'code'], registers });
    this.leaseHeld = new Gauge({ name: 'ingest_tenant_lease_held', help: '1 while this replica polls the tenant', labelNames: ['tenant'], registers });
    this.webhookRequests = new Counter({ name: 'ingest_webhook_requests_total', help: 'Webhook requests, by outcome', labelNames: ['outcome'], registers });
    this.publishSeconds = new Histogram({ name: 'ingest_publish_seconds', help: 'Time to publish one batch to Kafka', labelNames: ['source'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers });
    this.pendingRecovered = new Counter({ name: 'ingest_pending_batches_recovered_total', help: 'Batches left pending by a crash and completed (missing events published, cursor committed)', labelNames: ['tenant'], registers });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'ingest_' });
  }
}
