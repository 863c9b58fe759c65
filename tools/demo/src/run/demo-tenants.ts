import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A sample tenant as the fixtures describe it, plus the demo's own settings for it. */
export interface DemoTenant {
  tenantId: string;
  organization: string;
  applicationId: string;
  fixtureDir: string;
  /** The time of the first timeline action: the poller starts just before it. */
  weekStartsAt: string;
  weekEndsAt: string;
  jumpcloudApiKey: string;
  terranovaToken: string;
  rateLimit: { ratePerSecond: number; burst: number };
}

interface Manifest {
  tenants: { tenantId: string; organization: string; applicationId: string }[];
}

// Each tenant gets its own Terranova token and rate limit, as separate Terranova tenants would.
const RATE_LIMITS: Record<string, DemoTenant['rateLimit']> = {
  acme: { ratePerSecond: 200, burst: 100 },
  globex: { ratePerSecond: 50, burst: 20 },
};

async function timelineSpan(fixtureDir: string): Promise<{ first: string; last: string }> {
  const actions = JSON.parse(await readFile(join(fixtureDir, 'admin-timeline.json'), 'utf8')) as { at: string }[];
  return { first: actions[0]?.at ?? new Date().toISOString(), last: actions.at(-1)?.at ?? new Date().toISOString() };
}

/** Reads `manifest.json` and each tenant's timeline span from the fixtures folder. */
export async function loadDemoTenants(fixturesDir: string, runId: string): Promise<DemoTenant[]> {
  const manifest = JSON.parse(await readFile(join(fixturesDir, 'manifest.json'), 'utf8')) as Manifest;
  return Promise.all(
    manifest.tenants.map(async (entry) => {
      const fixtureDir = join(fixturesDir, entry.tenantId);
      const span = await timelineSpan(fixtureDir);
      return {
        ...entry,
        fixtureDir,
        weekStartsAt: span.first,
        weekEndsAt: span.last,
        jumpcloudApiKey: `jc-key-${entry.tenantId}-${runId}`,
        terranovaToken: `tn-token-${entry.tenantId}-${runId}`,
        rateLimit: RATE_LIMITS[entry.tenantId] ?? { ratePerSecond: 50, burst: 20 },
      };
    }),
  );
}

/** The environment variable that carries a tenant's secret to the apps (config files only name it). */
export function secretVariable(kind: 'JUMPCLOUD_API_KEY' | 'TERRANOVA_TOKEN', tenantId: string): string {
  return `${kind}_${tenantId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}
