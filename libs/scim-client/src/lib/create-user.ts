import type { ScimUser } from '@provisioning/schemas';
import { SCIM_ERROR_CODES } from './error-table.ts';
import { lookupByUserName, type Send } from './lookup.ts';
import { readUser } from './responses.ts';
import type { AttemptContext } from './retry.ts';
import { ScimRequestError } from './scim-request-error.ts';
import { userBody, type ScimUserInput } from './user-body.ts';

/** What `createUser` did: made the user, or found it already there (409, or an earlier attempt's create). */
export interface CreateUserResult {
  user: ScimUser;
  outcome: 'created' | 'existing';
}

const CREATE_LABEL = 'POST /Users';
const DUPLICATE_TEXT = /exist|duplicate|unique|already/i;

// The previous POST may have been applied even though we saw no answer (timeout, reset, 5xx; P20/P23).
function mayHaveBeenApplied(error: unknown): boolean {
  if (!(error instanceof ScimRequestError) || error.rateLimited) return false;
  const codes: string[] = [SCIM_ERROR_CODES.timeout, SCIM_ERROR_CODES.network, SCIM_ERROR_CODES.serverError];
  return codes.includes(error.code);
}

/** A 409 with any body, or a 400/500 that says the user exists (P6). */
export function isDuplicateUserError(error: unknown): error is ScimRequestError {
  if (!(error instanceof ScimRequestError)) return false;
  if (error.httpStatus === 409 || error.scimType === 'uniqueness') return true;
  const said = `${error.detail ?? ''} ${error.bodySnippet ?? ''}`;
  return (error.httpStatus === 400 || error.httpStatus === 500) && DUPLICATE_TEXT.test(said);
}

// After a conflict the user must be visible; try the exact and the lowercased userName once each (P7).
async function findAfterConflict(send: Send, userName: string, conflict: ScimRequestError): Promise<ScimUser> {
  const found = (await lookupByUserName(send, userName))
    ?? (userName.toLowerCase() === userName ? undefined : await lookupByUserName(send, userName.toLowerCase()));
  if (found !== undefined) return found;
  throw new ScimRequestError(
    `SCIM ${CREATE_LABEL}: the server says the userName exists, but no lookup finds that user (exists but not visible)`,
    { code: SCIM_ERROR_CODES.conflictNotVisible, retriable: false, httpStatus: conflict.httpStatus, scimType: conflict.scimType, request: CREATE_LABEL, cause: conflict },
  );
}

/**
 * One attempt at creating a user. POST is not idempotent, so an attempt after one that may have been applied
 * looks the user up first; a duplicate answer turns into a lookup and hands back the existing user.
 */
export async function createUserAttempt(send: Send, user: ScimUserInput, context: AttemptContext): Promise<CreateUserResult> {
  if (mayHaveBeenApplied(context.previousError)) {
    const existing = await lookupByUserName(send, user.userName);
    if (existing !== undefined) return { user: existing, outcome: 'existing' };
  }
  try {
    const response = await send({ method: 'POST', path: '/Users', body: userBody(user) });
    // A 201 without a body (P15) still created the user; read it back by userName.
    const created = readUser(response.body, CREATE_LABEL) ?? (await lookupByUserName(send, user.userName));
    if (created === undefined) throw new ScimRequestError(`SCIM ${CREATE_LABEL}: created, but the user cannot be read back`, { code: SCIM_ERROR_CODES.invalidResponse, retriable: false, request: CREATE_LABEL });
    return { user: created, outcome: 'created' };
  } catch (error) {
    if (!isDuplicateUserError(error)) throw error;
    return { user: await findAfterConflict(send, user.userName, error), outcome: 'existing' };
  }
}
