import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { admit, type ApiContext } from './api-routes.ts';
import type { AdminAction, SystemUserRecord } from './fixture-schemas.ts';
import { InvalidActionError } from './org-state.ts';
import type { SimTenant } from './sim-tenant.ts';

/** The body of v1 `POST /api/systemusers`: what JumpCloud requires (username, email) and a few common fields. */
const newUserSchema = z.looseObject({
  username: z.string().min(1),
  email: z.string().min(3).includes('@'),
  firstname: z.string().optional(),
  lastname: z.string().optional(),
  employeeIdentifier: z.string().min(1).optional(),
  state: z.enum(['ACTIVATED', 'STAGED']).optional(),
});

/** The body of v2 `POST /api/v2/applications/{id}/associations`. */
const associationSchema = z.object({ op: z.enum(['add', 'remove']), type: z.enum(['user', 'user_group']), id: z.string().min(1) });

function problems(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
}

/** Applies an action the way the admin console would, so the feed gets its Directory Insights rows too. */
async function apply(tenant: SimTenant, action: AdminAction, reply: FastifyReply): Promise<boolean> {
  try {
    tenant.applyActions([action]);
    return true;
  } catch (error) {
    if (!(error instanceof InvalidActionError)) throw error;
    await reply.code(409).send({ message: error.message });
    return false;
  }
}

/** A new user record as JumpCloud returns it: a fresh 24-hex id, ACTIVATED unless asked for STAGED. */
function newUserRecord(body: z.output<typeof newUserSchema>): SystemUserRecord {
  const state = body.state ?? 'ACTIVATED';
  const displayname = `${body.firstname ?? ''} ${body.lastname ?? ''}`.trim();
  return { ...body, _id: randomBytes(12).toString('hex'), state, activated: state === 'ACTIVATED', suspended: false, account_locked: false, created: new Date().toISOString(), ...(displayname ? { displayname } : {}) };
}

function taken(tenant: SimTenant, user: { username: string; email: string }): string | undefined {
  const same = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
  const existing = tenant.org.listUsers();
  if (existing.some((u) => same(u.username, user.username))) return `Username ${user.username} already exists`;
  if (existing.some((u) => same(u.email, user.email))) return `Email ${user.email} already exists`;
  return undefined;
}

/** v1 `POST /api/systemusers`: creates a user (409 when the username or email is taken) and logs `user_create`. */
function registerCreateUser(app: FastifyInstance, context: ApiContext): void {
  app.post('/api/systemusers', async (request, reply) => {
    const tenant = await admit(context, 'systemusers', request, reply);
    if (!tenant) return reply;
    const body = newUserSchema.safeParse(request.body);
    if (!body.success) return reply.code(400).send({ message: problems(body.error) });
    const conflict = taken(tenant, body.data);
    if (conflict) return reply.code(409).send({ message: conflict });
    const user = newUserRecord(body.data);
    if (!(await apply(tenant, { at: new Date().toISOString(), action: 'create_user', user }, reply))) return reply;
    return tenant.org.getUser(user._id);
  });
}

/** v2 `POST /api/v2/applications/{id}/associations`: binds or unbinds a user or a user group (204). */
function registerAssociations(app: FastifyInstance, context: ApiContext): void {
  app.post<{ Params: { id: string } }>('/api/v2/applications/:id/associations', async (request, reply) => {
    const tenant = await admit(context, 'graph', request, reply);
    if (!tenant) return reply;
    if (request.params.id !== tenant.org.application.id) return reply.code(404).send({ message: 'Not Found' });
    const body = associationSchema.safeParse(request.body);
    if (!body.success) return reply.code(400).send({ message: problems(body.error) });
    const { op, type, id } = body.data;
    const at = new Date().toISOString();
    const action: AdminAction =
      type === 'user'
        ? { at, action: op === 'add' ? 'bind_user_to_app' : 'unbind_user_from_app', userId: id }
        : { at, action: op === 'add' ? 'bind_group_to_app' : 'unbind_group_from_app', groupId: id };
    if (!(await apply(tenant, action, reply))) return reply;
    return reply.code(204).send();
  });
}

/** The JumpCloud writes the operator commands make (`ops import --create`). */
export function registerApiWrites(app: FastifyInstance, context: ApiContext): void {
  registerCreateUser(app, context);
  registerAssociations(app, context);
}
