import type { Logger } from 'pino';
import { ProvisioningError } from '@provisioning/errors';
import type { TenantsFile } from '../config/tenants-config.ts';
import type { ProcessorMetrics } from '../ops/metrics.ts';
import type { TenantRegistry } from './tenant-registry.ts';

/** A reload that would drop tenants that still have unprocessed events: refused, the tenants in force stay. */
export class TenantRemovalRefused extends ProvisioningError {
  readonly tenants: { tenantId: string; unprocessed: number }[];

  constructor(tenants: { tenantId: string; unprocessed: number }[], cause?: unknown) {
    const list = tenants.map((t) => (Number.isFinite(t.unprocessed) ? `${t.tenantId} (${t.unprocessed} unprocessed events)` : `${t.tenantId} (could not be checked)`)).join(', ');
    super(
      `removing ${list} is refused: enable the tenant and let its events finish, approve or reject its held deprovisions, ` +
        'or list it in forceRemove to drop them (they are then dead-lettered as TENANT_UNKNOWN)',
      { code: 'TENANT_REMOVAL_REFUSED', retriable: false, cause },
    );
    this.name = 'TenantRemovalRefused';
    this.tenants = tenants;
  }
}

export interface TenantReloadDeps {
  tenants: TenantRegistry;
  metrics: ProcessorMetrics;
  logger: Logger;
  /** Unprocessed events per tenant (see `countUnprocessedEvents`). */
  countUnprocessed(tenantIds: readonly string[]): Promise<Map<string, number>>;
}

/** The tenants a file drops without forcing it. */
function removedTenants(current: readonly string[], file: TenantsFile): string[] {
  const kept = new Set(file.tenants.map((tenant) => tenant.id));
  return current.filter((id) => !kept.has(id) && !file.forceRemove.includes(id));
}

async function assertRemovable(deps: TenantReloadDeps, removed: readonly string[]): Promise<void> {
  if (removed.length === 0) return;
  let counts: Map<string, number>;
  try {
    counts = await deps.countUnprocessed(removed);
  } catch (error) {
    // Not knowing is no licence to drop events: refuse, and say the check itself failed.
    throw new TenantRemovalRefused(removed.map((tenantId) => ({ tenantId, unprocessed: Number.NaN })), error);
  }
  const blocked = removed.map((tenantId) => ({ tenantId, unprocessed: counts.get(tenantId) ?? 0 })).filter((t) => t.unprocessed > 0);
  for (const tenantId of removed) deps.metrics.removalRefused.set({ tenant: tenantId }, counts.get(tenantId) ?? 0);
  if (blocked.length > 0) throw new TenantRemovalRefused(blocked);
}

/**
 * What a tenants-file reload does: a tenant dropped from the file is removed only once it has no unprocessed
 * events (or when the file lists it in `forceRemove`); otherwise the whole reload is refused, logged and counted.
 */
export function tenantReloadHandlers(deps: TenantReloadDeps): { onLoad(file: TenantsFile): Promise<void>; onError(error: unknown): void } {
  return {
    async onLoad(file) {
      await assertRemovable(deps, removedTenants(deps.tenants.tenantIds(), file));
      const forced = file.forceRemove.filter((id) => deps.tenants.get(id) !== undefined);
      deps.tenants.update(file.tenants);
      deps.metrics.configReloads.inc({ outcome: 'ok' });
      if (forced.length > 0) deps.logger.warn({ tenants: forced }, 'tenants removed by forceRemove: their remaining events will be dead-lettered as TENANT_UNKNOWN');
      deps.logger.info({ tenants: file.tenants.map((t) => t.id) }, 'tenants reloaded');
    },
    onError(error) {
      if (error instanceof TenantRemovalRefused) {
        deps.metrics.configReloads.inc({ outcome: 'refused' });
        deps.logger.error({ err: error, tenants: error.tenants }, 'tenants reload refused; the previous tenants stay in force');
        return;
      }
      deps.metrics.configReloads.inc({ outcome: 'error' });
      deps.logger.error({ err: error }, 'tenants reload failed; the previous tenants stay in force');
    },
  };
}
