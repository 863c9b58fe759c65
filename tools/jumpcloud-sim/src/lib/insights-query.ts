import type { EventQuery } from './event-store.ts';
import { parseInstantNs } from './instant.ts';

/** The `service` values the real API accepts. */
export const DI_SERVICES = [
  'alerts', 'all', 'directory', 'ldap', 'mdm', 'notifications', 'object_storage', 'password_manager', 'radius',
  'reports', 'saas_app_management', 'software', 'sso', 'systems', 'access_management', 'asset_management',
] as const;

export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 10_000;

/** A request the real API would refuse with 400; the message says why. */
export class BadQueryError extends Error {
  override readonly name = 'BadQueryError';
}

type Body = Record<string, unknown>;

function parseServices(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((s) => typeof s === 'string')) {
    throw new BadQueryError('service is required: an array of strings');
  }
  const unknown = value.filter((s) => !(DI_SERVICES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new BadQueryError(`invalid service ${unknown.join(', ')}; supported values: ${DI_SERVICES.join(', ')}`);
  return value;
}

function parseTime(value: unknown, name: string): bigint {
  const ns = typeof value === 'string' ? parseInstantNs(value) : undefined;
  if (ns === undefined) throw new BadQueryError(`${name} must be an RFC3339 time, e.g. 2020-01-01T14:00:00Z`);
  return ns;
}

/** Like the real API: a nonsensical limit falls back to the default, a too large one to the maximum. */
function parseLimit(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) return DEFAULT_LIMIT;
  return Math.min(value, MAX_LIMIT);
}

/** Like the real API: the sort is case-insensitive and an invalid one silently means ASC. */
function parseSort(value: unknown): 'ASC' | 'DESC' {
  return typeof value === 'string' && value.toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
}

function parseSearchAfter(value: unknown): readonly [number, string] | undefined {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return undefined;
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'string') {
    return [value[0], value[1]];
  }
  throw new BadQueryError('search_after must be the X-Search_after value of the previous response');
}

/** Turns a `POST /events` body into a query; throws BadQueryError where the real API answers 400. */
export function parseEventQuery(body: unknown): EventQuery & { fields?: string[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadQueryError('the body must be a JSON object');
  const b = body as Body;
  const startNs = parseTime(b['start_time'], 'start_time');
  const endNs = b['end_time'] === undefined ? undefined : parseTime(b['end_time'], 'end_time');
  if (endNs !== undefined && endNs <= startNs) throw new BadQueryError('end_time must be after start_time');
  const searchAfter = parseSearchAfter(b['search_after']);
  const query: EventQuery & { fields?: string[] } = {
    services: parseServices(b['service']),
    startNs,
    limit: parseLimit(b['limit']),
    sort: parseSort(b['sort']),
    ...(endNs === undefined ? {} : { endNs }),
    ...(searchAfter ? { searchAfter } : {}),
    ...(b['search_term'] === undefined ? {} : { searchTerm: b['search_term'] }),
  };
  if (b['fields'] !== undefined) query.fields = parseFields(b['fields']);
  return query;
}

const KNOWN_FIELDS = new Set([
  'id', 'event_type', 'service', 'timestamp', 'organization', 'initiated_by', 'resource', 'changes', 'association',
  'correlation', 'client_ip', 'geoip', 'useragent', 'auth_method', 'success', 'provider', 'application',
  'idm_client_id', 'message_chain', 'error_message', '@version',
]);

function parseFields(value: unknown): string[] {
  const fields = Array.isArray(value) ? value.filter((f): f is string => typeof f === 'string') : [];
  if (!fields.some((f) => KNOWN_FIELDS.has(f.split('.')[0] ?? f))) throw new BadQueryError('fields names no known field');
  return fields;
}

/** Keeps only the requested top-level fields (plus timestamp, which every row has). */
export function project(row: Record<string, unknown>, fields: readonly string[] | undefined): Record<string, unknown> {
  if (!fields) return row;
  const keep = new Set(['timestamp', ...fields.map((f) => f.split('.')[0] ?? f)]);
  return Object.fromEntries(Object.entries(row).filter(([key]) => keep.has(key)));
}
