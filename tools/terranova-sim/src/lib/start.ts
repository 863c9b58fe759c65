import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { SimAdmin } from './admin.ts';
import { SimHttpServer } from './http-server.ts';
import type { TenantConfig } from './tenant.ts';

/** How to start the emulator. */
export interface TerranovaSimOptions {
  /** @defaultValue 0 (any free port) */
  port?: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** Tenants to serve from the start; more can be added through `admin.addTenant`. */
  tenants?: TenantConfig[];
  /** @defaultValue a silent logger */
  logger?: Logger;
  /** Recent requests kept per tenant in the log ring. @defaultValue 1000 */
  requestLogCapacity?: number;
}

/** A running emulator. */
export interface TerranovaSim {
  /** e.g. `http://127.0.0.1:8081` */
  url: string;
  port: number;
  /** The SCIM base URL of a tenant, e.g. `http://127.0.0.1:8081/tenants/acme/scim/v2`. */
  scimBaseUrl(tenantId: string): string;
  /** Inspect and steer the emulator in-process (the same operations as the `/admin` HTTP API). */
  admin: SimAdmin;
  close(): Promise<void>;
}

/** Starts the Terranova SCIM emulator on a real HTTP port. */
export async function startTerranovaSim(options: TerranovaSimOptions = {}): Promise<TerranovaSim> {
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ component: 'terranova-sim' });
  let url = '';
  const admin = new SimAdmin(() => url, options.requestLogCapacity ?? 1000);
  for (const tenant of options.tenants ?? []) admin.addTenant(tenant);
  const http = new SimHttpServer(admin, logger);
  await new Promise<void>((resolve, reject) => {
    http.server.once('error', reject);
    http.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = http.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${host}:${address.port}`;
  logger.info({ url, tenants: admin.listTenants().map((tenant) => tenant.id) }, 'terranova-sim listening');
  return {
    url,
    port: address.port,
    scimBaseUrl: (tenantId) => `${url}${admin.tenant(tenantId).basePath}`,
    admin,
    close: () => http.close(),
  };
}
