import { join } from 'node:path';
import { startJumpCloudSim, type JumpCloudSim, type SimTenantSpec } from '../src/index.ts';

/** The shared sample tenants (read-only). */
export const FIXTURES_DIR = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'jumpcloud');
export const fixtureDir = (tenantId: string) => join(FIXTURES_DIR, tenantId);

export const API_KEYS: Record<string, string> = { acme: 'acme-key', globex: 'globex-key' };

export async function startFixtureSim(overrides: Partial<SimTenantSpec> = {}, tenantIds = ['acme', 'globex']): Promise<JumpCloudSim> {
  return startJumpCloudSim({
    tenants: tenantIds.map((tenantId) => ({ tenantId, apiKey: API_KEYS[tenantId] ?? 'key', fixtureDir: fixtureDir(tenantId), ...overrides })),
  });
}

/** A small client for the emulator's API, as a JumpCloud integration would call it. */
export function apiClient(sim: JumpCloudSim, tenantId: string) {
  const headers = { 'x-api-key': API_KEYS[tenantId] ?? 'key', 'x-org-id': sim.tenant(tenantId).organization, 'content-type': 'application/json' };
  return {
    events: (body: unknown) => fetch(`${sim.url}/insights/directory/v1/events`, { method: 'POST', headers, body: JSON.stringify(body) }),
    get: (path: string) => fetch(`${sim.url}${path}`, { headers }),
    post: (path: string, body: unknown) => fetch(`${sim.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }),
    admin: (method: string, path: string, body?: unknown) =>
      fetch(`${sim.url}/admin${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) }),
  };
}

/** Every page of a query, following X-Search_after until a page is shorter than X-Limit. */
export async function allPages(client: ReturnType<typeof apiClient>, query: Record<string, unknown>) {
  const rows: Record<string, unknown>[] = [];
  let searchAfter: unknown;
  for (let pages = 1; ; pages++) {
    const response = await client.events({ ...query, ...(searchAfter ? { search_after: searchAfter } : {}) });
    if (response.status !== 200) throw new Error(`events answered ${response.status}: ${await response.text()}`);
    const page = (await response.json()) as Record<string, unknown>[];
    rows.push(...page);
    searchAfter = JSON.parse(response.headers.get('x-search_after') ?? '[]');
    if (Number(response.headers.get('x-result-count')) < Number(response.headers.get('x-limit'))) return { rows, pages };
  }
}
