import Fastify, { type FastifyBaseLogger } from 'fastify';
import { registerAdminRoutes } from './admin-routes.ts';
import { registerApiRoutes } from './api-routes.ts';
import type { SynthesisQuirks } from './event-synthesizer.ts';
import { FaultPlan } from './faults.ts';
import { loadTenantFixture, type TenantFixture } from './fixtures.ts';
import { SimTenant, type EventSource } from './sim-tenant.ts';

/** One emulated organization: a fixture folder (or an already loaded fixture) and the API key it accepts. */
export interface SimTenantSpec {
  tenantId: string;
  apiKey: string;
  /** A folder in the fixtures' format (`org-initial.json`, `admin-timeline.json`, …). */
  fixtureDir?: string;
  /** The fixture itself, instead of `fixtureDir`. */
  fixture?: TenantFixture;
  /** @defaultValue `recorded` when the fixture has a Directory Insights export, else `synthesized` */
  events?: EventSource;
  synthesisQuirks?: Partial<SynthesisQuirks>;
}

export interface JumpCloudSimOptions {
  tenants: readonly SimTenantSpec[];
  /** @defaultValue 0 (any free port) */
  port?: number;
  /** @defaultValue 127.0.0.1 */
  host?: string;
  /** Request logs go here (a pino logger); none when absent. */
  logger?: FastifyBaseLogger;
}

/** A running emulator. */
export interface JumpCloudSim {
  /** Base URL, e.g. `http://127.0.0.1:8082`: the API is at `/insights/directory/v1`, `/api` and `/api/v2`. */
  url: string;
  port: number;
  tenant(tenantId: string): SimTenant;
  /** Back to `org-initial.json` with an empty feed and the timeline at its start. */
  reset(tenantId: string): Promise<SimTenant>;
  faults: FaultPlan;
  close(): Promise<void>;
}

async function buildTenant(spec: SimTenantSpec): Promise<SimTenant> {
  const fixture = spec.fixture ?? (spec.fixtureDir ? await loadTenantFixture(spec.fixtureDir) : undefined);
  if (!fixture) throw new Error(`tenant ${spec.tenantId} needs a fixtureDir or a fixture`);
  return new SimTenant({
    tenantId: spec.tenantId,
    apiKey: spec.apiKey,
    fixture,
    ...(spec.events ? { events: spec.events } : {}),
    ...(spec.synthesisQuirks ? { synthesisQuirks: spec.synthesisQuirks } : {}),
  });
}

function checkUnique(specs: readonly SimTenantSpec[], tenants: readonly SimTenant[]): void {
  const ids = new Set(specs.map((s) => s.tenantId));
  const orgs = new Set(tenants.map((t) => t.organization));
  if (ids.size !== specs.length) throw new Error('tenant ids must be unique');
  if (orgs.size !== tenants.length) throw new Error('each tenant needs its own organization');
}

/** Starts the JumpCloud emulator on a real HTTP port with the given tenants loaded. */
export async function startJumpCloudSim(options: JumpCloudSimOptions): Promise<JumpCloudSim> {
  const specs = new Map(options.tenants.map((spec) => [spec.tenantId, spec]));
  const loaded = await Promise.all(options.tenants.map(buildTenant));
  checkUnique(options.tenants, loaded);
  const tenants = new Map(loaded.map((t) => [t.tenantId, t]));
  const faults = new FaultPlan();
  const reset = async (tenantId: string) => {
    tenants.get(tenantId)?.pause();
    const tenant = await buildTenant(specs.get(tenantId) as SimTenantSpec);
    tenants.set(tenantId, tenant);
    return tenant;
  };
  const app = Fastify({ ...(options.logger ? { loggerInstance: options.logger } : { logger: false }), bodyLimit: 10 * 1024 * 1024 });
  registerApiRoutes(app, { tenants: () => tenants.values(), faults });
  registerAdminRoutes(app, { tenant: (id) => tenants.get(id), tenants: () => tenants.values(), reset, faults });
  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    tenant: (id) => {
      const tenant = tenants.get(id);
      if (!tenant) throw new Error(`no tenant ${id}`);
      return tenant;
    },
    reset,
    faults,
    close: async () => {
      for (const tenant of tenants.values()) tenant.pause();
      await app.close();
    },
  };
}
