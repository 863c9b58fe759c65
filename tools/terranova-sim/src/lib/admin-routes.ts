import type { SimAdmin } from './admin.ts';
import type { FaultPlan } from './faults.ts';
import { SimError, type SimResponse } from './scim-response.ts';

type Body = Record<string, unknown>;
type Route = { method: string; pattern: RegExp; run: (admin: SimAdmin, params: string[], body: Body, query: URLSearchParams) => SimResponse };

const ok = (body: unknown, status = 200): SimResponse => ({ status, body });

/** The admin HTTP API (JSON, no auth: the emulator binds to localhost). Paths below `/admin`. */
const ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/tenants$/, run: (admin) => ok({ tenants: admin.listTenants() }) },
  { method: 'POST', pattern: /^\/tenants$/, run: (admin, _p, body) => ok(admin.addTenant(body as never), 201) },
  { method: 'GET', pattern: /^\/tenants\/([^/]+)\/users$/, run: (admin, [id]) => ok({ users: admin.users(id ?? '') }) },
  {
    method: 'POST', pattern: /^\/tenants\/([^/]+)\/users$/,
    run: (admin, [id], body) => ok(admin.seedUser(id ?? '', (body['user'] ?? body) as Body, { hidden: body['hidden'] === true }), 201),
  },
  { method: 'PUT', pattern: /^\/tenants\/([^/]+)\/users\/([^/]+)\/role$/, run: (admin, [id, userId], body) => ok(admin.setRole(id ?? '', userId ?? '', body['role'] as string)) },
  {
    method: 'GET', pattern: /^\/tenants\/([^/]+)\/requests$/,
    run: (admin, [id], _b, query) => ok(admin.requestLog(id ?? '', query.has('recent') ? Number(query.get('recent')) : undefined)),
  },
  { method: 'POST', pattern: /^\/tenants\/([^/]+)\/reset$/, run: (admin, [id]) => (admin.reset(id ?? ''), { status: 204 }) },
  { method: 'PUT', pattern: /^\/tenants\/([^/]+)\/faults$/, run: (admin, [id], body) => (admin.setFaults(id ?? '', body as FaultPlan), { status: 204 }) },
  { method: 'DELETE', pattern: /^\/tenants\/([^/]+)\/faults$/, run: (admin, [id]) => (admin.clearFaults(id ?? ''), { status: 204 }) },
  { method: 'PUT', pattern: /^\/tenants\/([^/]+)\/token$/, run: (admin, [id], body) => (admin.setToken(id ?? '', body['token'] as string), { status: 204 }) },
];

/** Answers one admin request; `path` is below `/admin`, decoded segment by segment. */
export function handleAdmin(admin: SimAdmin, method: string, path: string, body: unknown, query: URLSearchParams): SimResponse {
  const record = typeof body === 'object' && body !== null ? (body as Body) : {};
  for (const route of ROUTES) {
    const match = route.method === method ? route.pattern.exec(path) : null;
    if (match === null) continue;
    try {
      return route.run(admin, match.slice(1), record, query);
    } catch (error) {
      if (error instanceof SimError) return error.response;
      throw error;
    }
  }
  return { status: 404, body: { error: `no admin route ${method} ${path}` } };
}
