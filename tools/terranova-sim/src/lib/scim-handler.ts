import { LIST_URN, SimError, scimError, type SimResponse } from './scim-response.ts';
import type { Tenant } from './tenant.ts';
import { userNameFromFilter } from './user-filter.ts';
import type { StoredUser } from './user-store.ts';

/** A SCIM request below a tenant's base path. */
export interface ScimCall {
  method: string;
  /** e.g. `/Users/abc`; decoded. */
  path: string;
  query: URLSearchParams;
  body: unknown;
}

const MAX_COUNT = 200;

const SERVICE_PROVIDER_CONFIG = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
  patch: { supported: true },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: MAX_COUNT },
  changePassword: { supported: false },
  sort: { supported: false },
  etag: { supported: false },
  authenticationSchemes: [{ type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'A static bearer token per tenant' }],
};

function userAnswer(status: number, user: StoredUser): SimResponse {
  return { status, body: user, userName: user.userName };
}

function listAnswer(users: StoredUser[], total: number, startIndex: number, userName?: string): SimResponse {
  // Resources is left out of an empty result, as RFC 7644 §3.4.2 allows: clients must cope.
  const body: Record<string, unknown> = { schemas: [LIST_URN], totalResults: total, startIndex, itemsPerPage: users.length };
  if (users.length > 0) body['Resources'] = users;
  return { status: 200, body, userName };
}

function positiveInt(value: string | null, fallback: number): number {
  const parsed = value === null ? Number.NaN : Number.parseInt(value, 10);
  return Number.isFinite(parsed) ? parsed : fallback;
}

function queryUsers(tenant: Tenant, query: URLSearchParams): SimResponse {
  const filter = query.get('filter');
  if (filter !== null) {
    const userName = userNameFromFilter(filter);
    const user = tenant.users.findByUserName(userName);
    return listAnswer(user === undefined ? [] : [user], user === undefined ? 0 : 1, 1, userName);
  }
  const startIndex = Math.max(1, positiveInt(query.get('startIndex'), 1));
  const count = Math.min(MAX_COUNT, Math.max(0, positiveInt(query.get('count'), 100)));
  const all = tenant.users.list();
  return listAnswer(all.slice(startIndex - 1, startIndex - 1 + count), all.length, startIndex);
}

function userById(tenant: Tenant, call: ScimCall, id: string): SimResponse {
  switch (call.method) {
    case 'GET': {
      const user = tenant.users.get(id);
      return user === undefined ? scimError(404, `user ${id} not found`) : userAnswer(200, user);
    }
    case 'PUT':
      return userAnswer(200, tenant.users.replace(id, call.body));
    case 'PATCH':
      return userAnswer(200, tenant.users.patch(id, call.body));
    case 'DELETE':
      return { status: 204, userName: tenant.users.delete(id).userName };
    default:
      return scimError(405, `${call.method} is not allowed on /Users/{id}`);
  }
}

function users(tenant: Tenant, call: ScimCall): SimResponse {
  if (call.method === 'GET') return queryUsers(tenant, call.query);
  if (call.method === 'POST') {
    const user = tenant.users.create(call.body);
    const answer = userAnswer(201, user);
    return { ...answer, headers: { location: String((user['meta'] as { location: string }).location) } };
  }
  return scimError(405, `${call.method} is not allowed on /Users`);
}

// The userName a failed write was about, so the log counts refused creates too.
function attemptedUserName(tenant: Tenant, call: ScimCall): string | undefined {
  const fromBody = (call.body as { userName?: unknown } | undefined)?.userName;
  if (typeof fromBody === 'string') return fromBody;
  const id = /^\/Users\/([^/]+)$/.exec(call.path)?.[1];
  return id === undefined ? undefined : tenant.users.get(id)?.userName;
}

function route(tenant: Tenant, call: ScimCall): SimResponse {
  if (call.path === '/Users') return users(tenant, call);
  const id = /^\/Users\/([^/]+)$/.exec(call.path)?.[1];
  if (id !== undefined) return userById(tenant, call, id);
  if (call.path === '/ServiceProviderConfig' && call.method === 'GET') return { status: 200, body: SERVICE_PROVIDER_CONFIG };
  // Terranova has no Groups; anything else is unknown too.
  return scimError(404, `${call.path} is not supported`);
}

/** Answers one authenticated SCIM request of a tenant, the way Terranova is known (or assumed) to. */
export function handleScim(tenant: Tenant, call: ScimCall): SimResponse {
  try {
    return route(tenant, call);
  } catch (error) {
    if (!(error instanceof SimError)) throw error;
    return { ...error.response, userName: attemptedUserName(tenant, call) };
  }
}
