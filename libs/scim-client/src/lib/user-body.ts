import { SCIM_SCHEMA_URNS, type ScimUser } from '@provisioning/schemas';

/**
 * A user as we send it: `userName` plus any SCIM attributes (name, emails, active, preferredLanguage,
 * extensions keyed by URN, …). `id` and `meta` are the server's and are not sent.
 */
export interface ScimUserInput {
  userName: string;
  schemas?: readonly string[] | undefined;
}

function attributesOf(user: ScimUserInput): Record<string, unknown> {
  return user as unknown as Record<string, unknown>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const lowered = value.trim().toLowerCase();
  return lowered === 'true' ? true : lowered === 'false' ? false : value;
}

function unionSchemas(...lists: (readonly string[] | undefined)[]): string[] {
  const seen = new Map<string, string>();
  for (const urn of [SCIM_SCHEMA_URNS.user, ...lists.flatMap((list) => list ?? [])]) {
    if (!seen.has(urn.toLowerCase())) seen.set(urn.toLowerCase(), urn);
  }
  return [...seen.values()];
}

/** The body of a POST or PUT: the core User URN in `schemas`, `active` as a JSON boolean (P1), no `meta`. */
export function userBody(user: ScimUserInput): Record<string, unknown> {
  const { meta: _meta, ...rest } = attributesOf(user);
  const body: Record<string, unknown> = { ...rest, schemas: unionSchemas(user.schemas) };
  if ('active' in body) body['active'] = jsonBoolean(body['active']);
  return body;
}

/**
 * What a PUT must carry so nothing we do not manage is lost (P5): the server's current representation, with
 * our attributes laid over it. Complex attributes (`name`, extension objects) are merged one level deep, so
 * e.g. `name.middleName` survives; multi-valued ones (`emails`) are ours to replace whole. `schemas` is the
 * union, so an extension the server added stays declared.
 */
export function mergeForReplace(current: ScimUser, desired: ScimUserInput): ScimUserInput {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(attributesOf(desired))) {
    const existing = merged[key];
    merged[key] = isPlainObject(existing) && isPlainObject(value) ? { ...existing, ...value } : value;
  }
  merged['schemas'] = unionSchemas(current.schemas, desired.schemas);
  return { ...merged, userName: desired.userName } as ScimUserInput;
}
