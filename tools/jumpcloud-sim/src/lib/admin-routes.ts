import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { adminActionSchema } from './fixture-schemas.ts';
import { faultSpecSchema, type FaultPlan } from './faults.ts';
import { parseInstantNs } from './instant.ts';
import { InvalidActionError } from './org-state.ts';
import type { SimTenant } from './sim-tenant.ts';

/** What the admin routes act on. */
export interface AdminContext {
  tenant(tenantId: string): SimTenant | undefined;
  tenants(): Iterable<SimTenant>;
  reset(tenantId: string): Promise<SimTenant>;
  faults: FaultPlan;
}

type TenantParams = { Params: { tenantId: string } };

/** An action posted to the admin API may leave out `at`: it then happens now. */
const postedActionSchema = z.preprocess((value) => (typeof value === 'object' && value !== null && !('at' in value) ? { ...value, at: new Date().toISOString() } : value), adminActionSchema);
const postedActionsSchema = z.union([z.object({ actions: z.array(postedActionSchema) }), postedActionSchema.transform((action) => ({ actions: [action] }))]);

const countSchema = z.object({ count: z.int().min(0).default(1) }).default({ count: 1 });
const untilSchema = z.object({ at: z.string().refine((t) => parseInstantNs(t) !== undefined, 'an RFC 3339 time') });
const playSchema = z.object({ speed: z.number().positive() });
const quirksSchema = z.object({ pageOverlap: z.int().min(0).max(100) });

async function badRequest(reply: FastifyReply, message: string) {
  return reply.code(400).send({ error: message });
}

function parsed<S extends z.ZodType>(schema: S, body: unknown): { ok: true; value: z.output<S> } | { ok: false; message: string } {
  const result = schema.safeParse(body ?? undefined);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, message: result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ') };
}

function registerTenantReads(app: FastifyInstance, context: AdminContext, find: (id: string, reply: FastifyReply) => SimTenant | undefined) {
  app.get('/admin/tenants', async () => [...context.tenants()].map((t) => ({ tenantId: t.tenantId, organization: t.organization, applicationId: t.org.application.id, timeline: t.status() })));
  app.get<TenantParams>('/admin/tenants/:tenantId', async (request, reply) => find(request.params.tenantId, reply)?.status() ?? reply);
  app.get<TenantParams>('/admin/tenants/:tenantId/state', async (request, reply) => find(request.params.tenantId, reply)?.org.snapshot() ?? reply);
  app.get<TenantParams>('/admin/tenants/:tenantId/events', async (request, reply) => find(request.params.tenantId, reply)?.feed.exportRows() ?? reply);
}

function registerTimeline(app: FastifyInstance, find: (id: string, reply: FastifyReply) => SimTenant | undefined) {
  app.post<TenantParams>('/admin/tenants/:tenantId/timeline/next', async (request, reply) => {
    const tenant = find(request.params.tenantId, reply);
    const body = parsed(countSchema, request.body);
    if (!tenant) return reply;
    return body.ok ? tenant.applyNext(body.value.count) : badRequest(reply, body.message);
  });
  app.post<TenantParams>('/admin/tenants/:tenantId/timeline/all', async (request, reply) => find(request.params.tenantId, reply)?.applyAll() ?? reply);
  app.post<TenantParams>('/admin/tenants/:tenantId/timeline/until', async (request, reply) => {
    const tenant = find(request.params.tenantId, reply);
    const body = parsed(untilSchema, request.body);
    if (!tenant) return reply;
    return body.ok ? tenant.applyUntil(parseInstantNs(body.value.at) as bigint) : badRequest(reply, body.message);
  });
  app.post<TenantParams>('/admin/tenants/:tenantId/timeline/play', async (request, reply) => {
    const tenant = find(request.params.tenantId, reply);
    const body = parsed(playSchema, request.body);
    if (!tenant) return reply;
    return body.ok ? tenant.play(body.value.speed) : badRequest(reply, body.message);
  });
  app.post<TenantParams>('/admin/tenants/:tenantId/timeline/pause', async (request, reply) => {
    const tenant = find(request.params.tenantId, reply);
    tenant?.pause();
    return tenant?.status() ?? reply;
  });
}

function registerChanges(app: FastifyInstance, context: AdminContext, find: (id: string, reply: FastifyReply) => SimTenant | undefined) {
  app.post<TenantParams>('/admin/tenants/:tenantId/actions', async (request, reply) => {
    const tenant = find(request.params.tenantId, reply);
    const body = parsed(postedActionsSchema, request.body);
    if (!tenant) return reply;
    if (!body.ok) return badRequest(reply, body.message);
    try {
      return { events: tenant.applyActions(body.value.actions) };
    } catch (error) {
      if (error instanceof InvalidActionError) return reply.code(409).send({ error: error.message });
      throw error;
    }
  });
  app.put<TenantParams>('/admin/tenants/:tenantId/quirks', async (request, reply) => {
    const tenant = find(request.params.tenantId, reply);
    const body = parsed(quirksSchema, request.body);
    if (!tenant) return reply;
    if (!body.ok) return badRequest(reply, body.message);
    tenant.feed.quirks = body.value;
    return tenant.feed.quirks;
  });
  app.post<TenantParams>('/admin/tenants/:tenantId/reset', async (request, reply) => {
    if (!find(request.params.tenantId, reply)) return reply;
    return (await context.reset(request.params.tenantId)).status();
  });
}

function registerFaults(app: FastifyInstance, faults: FaultPlan) {
  app.post('/admin/faults', async (request, reply) => {
    const body = parsed(faultSpecSchema, request.body);
    if (!body.ok) return badRequest(reply, body.message);
    faults.add(body.value);
    return reply.code(201).send({ pending: faults.pending() });
  });
  app.delete('/admin/faults', async () => {
    faults.clear();
    return { pending: 0 };
  });
  app.get('/admin/stats', async () => ({ ...faults.snapshot(), pendingFaults: faults.pending() }));
  app.delete('/admin/stats', async () => {
    faults.resetStats();
    return faults.snapshot();
  });
}

/**
 * The emulator's own API (not JumpCloud's): drive the timeline, apply actions, read the org state and the feed,
 * inject faults. No authentication: the emulator listens on loopback by default.
 */
export function registerAdminRoutes(app: FastifyInstance, context: AdminContext): void {
  const find = (tenantId: string, reply: FastifyReply) => {
    const tenant = context.tenant(tenantId);
    if (!tenant) void reply.code(404).send({ error: `no tenant ${tenantId}` });
    return tenant;
  };
  registerTenantReads(app, context, find);
  registerTimeline(app, find);
  registerChanges(app, context, find);
  registerFaults(app, context.faults);
}
