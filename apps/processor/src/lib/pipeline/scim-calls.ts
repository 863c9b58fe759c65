import { performance } from 'node:perf_hooks';
import { errorCode } from '@provisioning/errors';
import type { ScimCallV1, ScimOperation, ScimPatchRequest } from '@provisioning/schemas';
import type { ScimCallOptions } from '@provisioning/scim-client';
import type { ProcessorMetrics } from '../ops/metrics.ts';
import type { TenantRuntime } from '../tenants/tenant-registry.ts';

/** What a SCIM operation is, for the result's `scimCalls` and the latency metric. */
export interface ScimCallSpec {
  operation: ScimOperation;
  method: ScimCallV1['method'];
  path: string;
  attributes?: string[];
}

/** The calls the provisioner makes, described before they are sent. */
export const SCIM_CALL = {
  find: (userName: string): ScimCallSpec => ({ operation: 'find', method: 'GET', path: `/Users?filter=userName eq ${JSON.stringify(userName)}` }),
  get: (id: string): ScimCallSpec => ({ operation: 'get', method: 'GET', path: `/Users/${id}` }),
  create: (): ScimCallSpec => ({ operation: 'create', method: 'POST', path: '/Users' }),
  patch: (id: string, patch: ScimPatchRequest): ScimCallSpec => ({ operation: 'patch', method: 'PATCH', path: `/Users/${id}`, attributes: patch.Operations.map((op) => op.path ?? '(root)') }),
  delete: (id: string): ScimCallSpec => ({ operation: 'delete', method: 'DELETE', path: `/Users/${id}` }),
};

/**
 * Runs SCIM operations for one event of one tenant: each operation first takes a token from the tenant's
 * shared bucket, is timed into the SCIM latency histogram, and is recorded for the event's result.
 */
export class ScimCalls {
  readonly tenant: TenantRuntime;
  readonly call: ScimCallOptions;
  /** The operations sent for this event, in order. */
  readonly made: ScimCallV1[] = [];
  private readonly metrics: ProcessorMetrics;

  constructor(tenant: TenantRuntime, call: ScimCallOptions, metrics: ProcessorMetrics) {
    this.tenant = tenant;
    this.call = call;
    this.metrics = metrics;
  }

  async run<T>(spec: ScimCallSpec, send: () => Promise<T>): Promise<T> {
    const waitedMs = await this.tenant.bucket.take();
    this.metrics.rateLimitWait.observe({ tenant: this.tenant.config.id }, waitedMs / 1000);
    const started = performance.now();
    try {
      const result = await send();
      this.record(spec, 'ok', started);
      return result;
    } catch (error) {
      this.record(spec, errorCode(error), started, (error as { httpStatus?: number }).httpStatus);
      throw error;
    }
  }

  private record(spec: ScimCallSpec, outcome: string, started: number, httpStatus?: number): void {
    const seconds = (performance.now() - started) / 1000;
    this.metrics.scimLatency.observe({ operation: spec.operation, outcome }, seconds);
    this.made.push({ ...spec, outcome, ...(httpStatus === undefined ? {} : { httpStatus }), durationMs: Math.round(seconds * 10_000) / 10 });
  }
}
