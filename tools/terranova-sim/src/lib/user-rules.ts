import { SimError } from './scim-response.ts';

/** The role Terranova gives a user when nobody set one (JumpCloud never sends `role`). */
export const DEFAULT_ROLE = 'Learner';

// Attributes the server owns: whatever a client sends for them is ignored (RFC 7643 §3.1, readOnly).
const SERVER_OWNED = ['id', 'meta'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Terranova refuses `en-US` (JumpCloud's own connector sends `en` instead); that is the one refusal on record.
// Regional tags such as `fr-CA` or `pt-BR` are what tenants configure and are accepted, as are bare codes.
// Anything that is not a language tag at all is refused the same way.
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

function checkPreferredLanguage(value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !LANGUAGE_TAG.test(value) || value.toLowerCase() === 'en-us') {
    throw new SimError(400, `preferredLanguage "${String(value)}" is not supported; Terranova takes "en", not "en-US"`, 'invalidValue');
  }
}

function checkEmails(value: unknown): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value) || !value.every((email) => isPlainObject(email) && typeof email['value'] === 'string')) {
    throw new SimError(400, 'emails must be a list of { value }', 'invalidValue');
  }
  if (value.filter((email: Record<string, unknown>) => email['primary'] === true).length > 1) {
    throw new SimError(400, 'at most one email may be primary', 'invalidValue');
  }
}

/**
 * Checks a user as stored after a create, replace or patch, the way a strict server would: userName present,
 * `active` a JSON boolean (not "true"), valid emails, and Terranova's language rule.
 */
export function checkUser(user: Record<string, unknown>): void {
  if (typeof user['userName'] !== 'string' || user['userName'].trim() === '') {
    throw new SimError(400, 'userName is required', 'invalidValue');
  }
  if (user['active'] !== undefined && typeof user['active'] !== 'boolean') {
    throw new SimError(400, 'active must be a JSON boolean', 'invalidValue');
  }
  if (user['name'] !== undefined && !isPlainObject(user['name'])) throw new SimError(400, 'name must be an object', 'invalidValue');
  checkEmails(user['emails']);
  checkPreferredLanguage(user['preferredLanguage']);
}

/** A request body as a user: a JSON object, with server-owned attributes removed. */
export function userFromBody(body: unknown): Record<string, unknown> {
  if (!isPlainObject(body)) throw new SimError(400, 'the body must be a JSON object', 'invalidSyntax');
  const user = { ...body };
  for (const key of SERVER_OWNED) delete user[key];
  return user;
}
