import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiArea, FaultPlan } from './faults.ts';
import { BadQueryError, parseEventQuery, project } from './insights-query.ts';
import { SearchTermError } from './search-term.ts';
import { registerApiWrites } from './api-writes.ts';
import type { SimTenant } from './sim-tenant.ts';

/** How the API routes find a tenant and its faults. */
export interface ApiContext {
  tenants(): Iterable<SimTenant>;
  faults: FaultPlan;
}

const V1_DEFAULT_LIMIT = 10;
const V1_MAX_LIMIT = 100;

/**
 * The tenant a call is for: `x-org-id` names the organization and `x-api-key` must be its key. A key alone is
 * enough when it belongs to exactly one organization (a non-MTP admin key).
 */
function authenticate(context: ApiContext, request: FastifyRequest): SimTenant | { status: number; message: string } {
  const apiKey = request.headers['x-api-key'];
  const orgId = request.headers['x-org-id'];
  if (typeof apiKey !== 'string' || apiKey === '') return { status: 401, message: 'Unauthorized: x-api-key is missing' };
  const withKey = [...context.tenants()].filter((t) => t.apiKey === apiKey);
  if (orgId === undefined) {
    return withKey.length === 1 ? (withKey[0] as SimTenant) : { status: withKey.length ? 400 : 401, message: withKey.length ? 'x-org-id is required' : 'Unauthorized' };
  }
  const tenant = withKey.find((t) => t.organization === orgId);
  return tenant ?? { status: 401, message: 'Unauthorized' };
}

/** Authenticates, serves a pending fault, and hands the tenant to the route; undefined when already answered. */
export async function admit(context: ApiContext, area: ApiArea, request: FastifyRequest, reply: FastifyReply): Promise<SimTenant | undefined> {
  const tenant = authenticate(context, request);
  if (!('org' in tenant)) {
    await reply.code(tenant.status).send({ message: tenant.message });
    return undefined;
  }
  const fault = await context.faults.serve(area, tenant.tenantId);
  if (!fault) return tenant;
  if (fault.retryAfterSeconds !== undefined) void reply.header('retry-after', String(fault.retryAfterSeconds));
  await reply.code(fault.status).send({ message: fault.status === 429 ? 'Too Many Requests' : 'injected fault' });
  return undefined;
}

export function pagingOf(query: unknown, defaultLimit: number, maxLimit: number): { limit: number; skip: number } | string {
  const q = (query ?? {}) as Record<string, string | undefined>;
  const limit = q['limit'] === undefined ? defaultLimit : Number(q['limit']);
  const skip = q['skip'] === undefined ? 0 : Number(q['skip']);
  if (!Number.isInteger(limit) || limit < 0 || limit > maxLimit) return `limit must be an integer from 0 to ${maxLimit}`;
  if (!Number.isInteger(skip) || skip < 0) return 'skip must be a non-negative integer';
  return { limit: limit === 0 ? defaultLimit : limit, skip };
}

function projectUser(user: Record<string, unknown>, fields: string | undefined): Record<string, unknown> {
  if (!fields) return user;
  const keep = new Set(['_id', ...fields.split(/[\s,]+/).filter(Boolean)]);
  return Object.fromEntries(Object.entries(user).filter(([key]) => keep.has(key)));
}

/** Directory Insights `POST /events`: a bare array, paged with search_after, metadata in X- headers. */
function registerInsights(app: FastifyInstance, context: ApiContext): void {
  app.post('/insights/directory/v1/events', async (request, reply) => {
    const tenant = await admit(context, 'insights', request, reply);
    if (!tenant) return reply;
    try {
      const query = parseEventQuery(request.body);
      const page = tenant.feed.query(query);
      return reply
        .header('x-result-count', String(page.rows.length))
        .header('x-limit', String(query.limit))
        .header('x-sort', query.sort)
        .header('x-search_after', JSON.stringify(page.searchAfter))
        .header('x-request-id', randomUUID())
        .send(page.rows.map((row) => project(row, query.fields)));
    } catch (error) {
      if (error instanceof BadQueryError || error instanceof SearchTermError) return reply.code(400).send({ message: error.message });
      throw error;
    }
  });
}

/**
 * v1 `filter` terms `field:$eq:value` (several joined with `,` all apply; strings compare case-insensitively, as
 * JumpCloud does for usernames); other operators are refused with 400 rather than ignored.
 */
function filterUsers(users: Record<string, unknown>[], filter: string | undefined): Record<string, unknown>[] | string {
  if (!filter) return users;
  const terms = filter.split(',').map((term) => /^([A-Za-z_]+):\$eq:(.*)$/.exec(term));
  if (terms.some((term) => term === null)) return `filter ${filter}: only field:$eq:value terms are supported`;
  return users.filter((user) => terms.every((term) => String(user[term![1]!] ?? '').toLowerCase() === term![2]!.toLowerCase()));
}

/** v1 `sort`: `_id` or another field, `-` for descending; JumpCloud's advice is `sort=_id` for stable paging. */
function sortUsers(users: Record<string, unknown>[], sort: string | undefined): Record<string, unknown>[] {
  if (!sort) return users;
  const field = sort.replace(/^-/, '');
  const direction = sort.startsWith('-') ? -1 : 1;
  return [...users].sort((a, b) => (String(a[field] ?? '') < String(b[field] ?? '') ? -direction : String(a[field] ?? '') > String(b[field] ?? '') ? direction : 0));
}

/** v1 `GET /api/systemusers` (`{totalCount, results}`) and `GET /api/systemusers/{id}` (404 after a delete). */
function registerSystemUsers(app: FastifyInstance, context: ApiContext): void {
  app.get('/api/systemusers', async (request, reply) => {
    const tenant = await admit(context, 'systemusers', request, reply);
    if (!tenant) return reply;
    const paging = pagingOf(request.query, V1_DEFAULT_LIMIT, V1_MAX_LIMIT);
    if (typeof paging === 'string') return reply.code(400).send({ message: paging });
    const query = request.query as Record<string, string | undefined>;
    const fields = query['fields'];
    const filtered = filterUsers(tenant.org.listUsers(), query['filter']);
    if (typeof filtered === 'string') return reply.code(400).send({ message: filtered });
    const users = sortUsers(filtered, query['sort']);
    const results = users.slice(paging.skip, paging.skip + paging.limit).map((u) => projectUser(u, fields));
    return { totalCount: users.length, results };
  });
  app.get<{ Params: { id: string } }>('/api/systemusers/:id', async (request, reply) => {
    const tenant = await admit(context, 'systemusers', request, reply);
    if (!tenant) return reply;
    const user = tenant.org.getUser(request.params.id);
    if (!user) return reply.code(404).send({ message: 'Not Found' });
    return projectUser(user, (request.query as Record<string, string | undefined>)['fields']);
  });
}

/** v2 `GET /api/v2/applications/{id}/users`: every bound user, through groups too, with the binding paths. */
function registerGraph(app: FastifyInstance, context: ApiContext): void {
  app.get<{ Params: { id: string } }>('/api/v2/applications/:id/users', async (request, reply) => {
    const tenant = await admit(context, 'graph', request, reply);
    if (!tenant) return reply;
    if (request.params.id !== tenant.org.application.id) return reply.code(404).send({ message: 'Not Found' });
    const paging = pagingOf(request.query, V1_DEFAULT_LIMIT, V1_MAX_LIMIT);
    if (typeof paging === 'string') return reply.code(400).send({ message: paging });
    const bound = tenant.org.boundUsers();
    return reply.header('x-total-count', String(bound.length)).send(bound.slice(paging.skip, paging.skip + paging.limit));
  });
}

/** The JumpCloud API surface the pipeline uses: the ingest's reads, and the operator commands' writes. */
export function registerApiRoutes(app: FastifyInstance, context: ApiContext): void {
  registerInsights(app, context);
  registerSystemUsers(app, context);
  registerGraph(app, context);
  registerApiWrites(app, context);
}
