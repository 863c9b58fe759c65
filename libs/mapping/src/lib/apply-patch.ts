import { NonRetriableError } from '@provisioning/errors';
import { lenientBooleanSchema, scimEmailSchema, type ScimPatchOperation, type ScimPatchRequest } from '@provisioning/schemas';
import { z } from 'zod';
import { MANAGED_PATHS, type ManagedPath } from './diff.ts';
import type { TerranovaEmail, TerranovaUser } from './terranova-user.ts';

/** A PatchOp that cannot be applied to the managed attributes (unknown path, wrong value type). */
export class UnsupportedPatchError extends NonRetriableError {
  constructor(message: string) {
    super(message, { code: 'SCIM_PATCH_UNSUPPORTED' });
    this.name = 'UnsupportedPatchError';
  }
}

const pathsByLowerCase = new Map<string, ManagedPath>(MANAGED_PATHS.map((path) => [path.toLowerCase(), path]));
const emailListSchema = z.array(scimEmailSchema);

function managedPath(path: string): ManagedPath {
  const found = pathsByLowerCase.get(path.toLowerCase());
  if (found === undefined) throw new UnsupportedPatchError(`PATCH path "${path}" is not a managed attribute`);
  return found;
}

function stringValue(path: string, value: unknown): string {
  if (typeof value !== 'string') throw new UnsupportedPatchError(`PATCH value for "${path}" must be a string`);
  return value;
}

function booleanValue(value: unknown): boolean {
  const parsed = lenientBooleanSchema.safeParse(value);
  if (!parsed.success) throw new UnsupportedPatchError('PATCH value for "active" must be a boolean');
  return parsed.data;
}

function emailsValue(value: unknown): TerranovaEmail[] {
  const parsed = emailListSchema.safeParse(Array.isArray(value) ? value : [value]);
  if (!parsed.success) throw new UnsupportedPatchError('PATCH value for "emails" must be a list of emails');
  return parsed.data.map(({ value: address, type, primary }) => {
    const email: TerranovaEmail = { value: address };
    if (type !== undefined) email.type = type;
    if (primary !== undefined) email.primary = primary;
    return email;
  });
}

/** Sets (or, with undefined, clears) one managed attribute; `add` to `emails` appends, as RFC 7644 says. */
function setAttribute(user: TerranovaUser, op: ScimPatchOperation['op'], path: ManagedPath, value: unknown): TerranovaUser {
  const cleared = op === 'remove';
  switch (path) {
    case 'userName':
    case 'active':
      if (cleared) throw new UnsupportedPatchError(`"${path}" is required and cannot be removed`);
      return path === 'active'
        ? { ...user, active: booleanValue(value) }
        : { ...user, userName: stringValue(path, value) };
    case 'name.givenName':
    case 'name.familyName': {
      const key = path === 'name.givenName' ? 'givenName' : 'familyName';
      const { [key]: _previous, ...rest } = user.name;
      return { ...user, name: cleared ? rest : { ...rest, [key]: stringValue(path, value) } };
    }
    case 'emails':
      if (cleared) return { ...user, emails: [] };
      return { ...user, emails: op === 'add' ? [...user.emails, ...emailsValue(value)] : emailsValue(value) };
    case 'externalId':
    case 'preferredLanguage': {
      const { [path]: _previous, ...rest } = user;
      return cleared ? rest : { ...rest, [path]: stringValue(path, value) };
    }
  }
}

/** A pathless add/replace: `value` maps attribute names (and `name` to an object) to new values. */
function applyPathless(user: TerranovaUser, operation: ScimPatchOperation): TerranovaUser {
  if (typeof operation.value !== 'object' || operation.value === null || Array.isArray(operation.value)) {
    throw new UnsupportedPatchError('a PATCH operation without a path needs an object value');
  }
  let next = user;
  for (const [key, value] of Object.entries(operation.value)) {
    if (key.toLowerCase() === 'name' && typeof value === 'object' && value !== null) {
      for (const [sub, subValue] of Object.entries(value)) {
        next = setAttribute(next, operation.op, managedPath(`name.${sub}`), subValue);
      }
    } else {
      next = setAttribute(next, operation.op, managedPath(key), value);
    }
  }
  return next;
}

/**
 * Applies a PatchOp to a user's managed attributes, in order, without changing the input: what Terranova
 * will hold after a successful PATCH. Throws UnsupportedPatchError for paths outside the managed attributes.
 */
export function applyScimPatch(user: TerranovaUser, patch: ScimPatchRequest): TerranovaUser {
  return patch.Operations.reduce(
    (current, operation) =>
      operation.path === undefined
        ? applyPathless(current, operation)
        : setAttribute(current, operation.op, managedPath(operation.path), operation.value),
    user,
  );
}
