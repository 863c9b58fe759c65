import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EngineStats } from '../engine/ordered-consumer.ts';

/**
 * The processor's Prometheus metrics, on a registry of its own (two processors in one test process must
 * not share counters). Engine gauges are read from the engine when scraped.
 */
export class ProcessorMetrics {
  readonly registry = new Registry();
  readonly consumed: Counter<string>;
  readonly applied: Counter<'action'>;
  readonly skipped: Counter<'reason'>;
  readonly failed: Counter<'code'>;
  readonly deadLettered: Counter<'code'>;
  readonly scimLatency: Histogram<'operation' | 'outcome'>;
  readonly rateLimitWait: Histogram<'tenant'>;
  readonly rateLimited: Counter<'tenant'>;
  readonly redisCalls: Counter<'script'>;
  readonly parked: Gauge<'tenant' | 'reason'>;
  readonly configReloads: Counter<'outcome'>;
  readonly held: Counter<'tenant'>;
  readonly removalRefused: Gauge<'tenant'>;

  constructor(engineStats: () => EngineStats | undefined, options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'processor_' });
    this.consumed = new Counter({ name: 'processor_events_consumed_total', help: 'Events taken from Kafka into the engine (a redelivery after a restart or rebalance counts again).', registers });
    this.applied = new Counter({ name: 'processor_events_applied_total', help: 'Events applied to Terranova, by SCIM action.', labelNames: ['action'], registers });
    this.skipped = new Counter({ name: 'processor_events_skipped_total', help: 'Events skipped on purpose, by reason.', labelNames: ['reason'], registers });
    this.failed = new Counter({ name: 'processor_events_failed_total', help: 'Events that failed for good, by error code.', labelNames: ['code'], registers });
    this.deadLettered = new Counter({ name: 'processor_events_dead_lettered_total', help: 'Events sent to the DLQ, by error code.', labelNames: ['code'], registers });
    this.scimLatency = new Histogram({
      name: 'processor_scim_request_duration_seconds',
      help: 'SCIM operations (retries and rate-limit waits inside the client included), by operation and outcome.',
      labelNames: ['operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.rateLimitWait = new Histogram({
      name: 'processor_rate_limit_wait_seconds',
      help: 'Time spent waiting for a token of the tenant\'s shared bucket.',
      labelNames: ['tenant'],
      buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    });
    this.rateLimited = new Counter({ name: 'processor_scim_rate_limited_total', help: 'Rate-limit answers (429/503) from Terranova.', labelNames: ['tenant'], registers });
    this.redisCalls = new Counter({ name: 'processor_redis_calls_total', help: 'Redis round trips, by script.', labelNames: ['script'], registers });
    this.parked = new Gauge({ name: 'processor_tenant_parked', help: '1 while a tenant\'s events wait: parked (auth, unavailable) or disabled.', labelNames: ['tenant', 'reason'], registers });
    this.configReloads = new Counter({ name: 'processor_tenant_config_reloads_total', help: 'Tenant config reloads, by outcome (ok, error, refused).', labelNames: ['outcome'], registers });
    this.held = new Counter({ name: 'processor_deprovisions_held_total', help: 'Deprovisions held by the mass-deprovision guard until an operator decides.', labelNames: ['tenant'], registers });
    this.removalRefused = new Gauge({
      name: 'processor_tenant_removal_refused',
      help: 'Unprocessed events of a tenant the last reload tried to remove (the removal was refused; 0 once it went through).',
      labelNames: ['tenant'],
      registers,
    });
    this.engineGauges(engineStats);
  }

  private engineGauges(engineStats: () => EngineStats | undefined): void {
    const registers = [this.registry];
    const gauge = (name: string, help: string, read: (stats: EngineStats) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const stats = engineStats();
          if (stats) this.set(read(stats));
        },
      });
    gauge('processor_events_in_flight', 'Events running now.', (s) => s.inFlight);
    gauge('processor_events_pending', 'Events held in memory (queued, running or parked).', (s) => s.pending);
    gauge('processor_events_deferred', 'Offsets deferred to be read again (tenants past their memory budget).', (s) => s.deferred);
    gauge('processor_partitions_paused', 'Partitions paused for memory.', (s) => s.pausedPartitions);
    new Gauge({
      name: 'processor_consumer_lag',
      help: 'Messages between the commit position and the high watermark, per partition.',
      labelNames: ['partition'],
      registers,
      collect() {
        this.reset();
        for (const p of engineStats()?.partitions ?? []) if (p.lag !== undefined) this.set({ partition: String(p.partition) }, p.lag);
      },
    });
  }
}
