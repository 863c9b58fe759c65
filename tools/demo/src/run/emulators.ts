import { startJumpCloudSim, type JumpCloudSim } from '@provisioning/jumpcloud-sim';
import { startTerranovaSim, type TerranovaSim } from '@provisioning/terranova-sim';
import type { DemoTenant } from './demo-tenants.ts';

export interface Emulators {
  jumpcloud: JumpCloudSim;
  terranova: TerranovaSim;
  close(): Promise<void>;
}

/** JumpCloud loaded with each tenant's fixture (timeline at its start), and an empty Terranova per tenant. */
export async function startEmulators(tenants: readonly DemoTenant[]): Promise<Emulators> {
  const jumpcloud = await startJumpCloudSim({
    host: '127.0.0.1',
    tenants: tenants.map((tenant) => ({ tenantId: tenant.tenantId, apiKey: tenant.jumpcloudApiKey, fixtureDir: tenant.fixtureDir })),
  });
  const terranova = await startTerranovaSim({
    host: '127.0.0.1',
    tenants: tenants.map((tenant) => ({ id: tenant.tenantId, token: tenant.terranovaToken })),
  });
  return {
    jumpcloud,
    terranova,
    async close() {
      await Promise.allSettled([jumpcloud.close(), terranova.close()]);
    },
  };
}
