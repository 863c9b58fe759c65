import type { ProvisioningResultV1 } from '@provisioning/schemas';

/** What the demo shows per tenant while the stream runs. */
export interface TenantCounters {
  ingested: number;
  results: number;
  applied: Record<ProvisioningResultV1['action'], number>;
  skipped: number;
  failed: number;
}

export function emptyCounters(): TenantCounters {
  return {
    ingested: 0,
    results: 0,
    applied: { create: 0, update: 0, deactivate: 0, reactivate: 0, delete: 0, none: 0 },
    skipped: 0,
    failed: 0,
  };
}

/** Adds one result event to a tenant's counters. */
export function countResult(counters: TenantCounters, result: Pick<ProvisioningResultV1, 'action' | 'outcome'>): void {
  counters.results += 1;
  if (result.outcome === 'applied') counters.applied[result.action] += 1;
  else if (result.outcome === 'skipped') counters.skipped += 1;
  else counters.failed += 1;
}

/** One line per tenant, for logs and non-interactive terminals. */
export function describeCounters(tenantId: string, counters: TenantCounters, lag: number): string {
  const applied = Object.entries(counters.applied)
    .filter(([action, count]) => count > 0 || action !== 'none')
    .map(([action, count]) => `${action} ${count}`)
    .join(', ');
  return `${tenantId.padEnd(8)} ingested ${counters.ingested}, results ${counters.results} (applied: ${applied}; skipped ${counters.skipped}; failed ${counters.failed}), lag ${lag}`;
}
