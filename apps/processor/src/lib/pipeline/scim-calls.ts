import { performance } from 'node:perf_hooks';
import { errorCode } from '@provisioning/errors';
import type { ScimCallOptions } from '@provisioning/scim-client';
import type { ProcessorMetrics } from '../ops/metrics.ts';
import type { TenantRuntime } from '../tenants/tenant-registry.ts';

/**
 * Runs SCIM operations for one event of one tenant: each operation first takes a token from the tenant's
 * shared bucket, and is timed into the SCIM latency histogram.
 */
export class ScimCalls {
  readonly tenant: TenantRuntime;
  readonly call: ScimCallOptions;
  private readonly metrics: ProcessorMetrics;

  constructor(tenant: TenantRuntime, call: ScimCallOptions, metrics: ProcessorMetrics) {
    this.tenant = tenant;
    this.call = call;
    this.metrics = metrics;
  }

  async run<T>(operation: string, send: () => Promise<T>): Promise<T> {
    const waitedMs = await this.tenant.bucket.take();
    this.metrics.rateLimitWait.observe({ tenant: this.tenant.config.id }, waitedMs / 1000);
    const started = performance.now();
    try {
      const result = await send();
      this.metrics.scimLatency.observe({ operation, outcome: 'ok' }, (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      this.metrics.scimLatency.observe({ operation, outcome: errorCode(error) }, (performance.now() - started) / 1000);
      throw error;
    }
  }
}
