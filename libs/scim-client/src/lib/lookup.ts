import type { ScimUser } from '@provisioning/schemas';
import { SCIM_ERROR_CODES } from './error-table.ts';
import { sameUserName, userNameEqFilter } from './filter.ts';
import { readUserPage, requireUser } from './responses.ts';
import { isScimErrorCode } from './scim-request-error.ts';
import type { ScimHttpRequest, ScimHttpResponse } from './transport.ts';

/** Sends one request (counted, with the call's signal); what operations are built from. */
export type Send = (request: ScimHttpRequest) => Promise<ScimHttpResponse>;

/** Label used in errors and logs for a filter query; the userName itself stays out of messages. */
export const FIND_LABEL = 'GET /Users?filter';

/**
 * Finds the user whose userName equals the given one, case-insensitively (P8), with `userName eq`.
 * A 404 on the query means "no results" (P10). Among several answers, only a real case-insensitive match
 * counts, so a server that ignores or loosens the filter cannot hand back the wrong user.
 */
export async function lookupByUserName(send: Send, userName: string): Promise<ScimUser | undefined> {
  let response: ScimHttpResponse;
  try {
    response = await send({ method: 'GET', path: '/Users', query: { filter: userNameEqFilter(userName) } });
  } catch (error) {
    if (isScimErrorCode(error, SCIM_ERROR_CODES.notFound)) return undefined;
    throw error;
  }
  return readUserPage(response.body, FIND_LABEL).users.find((user) => sameUserName(user.userName, userName));
}

/** GET /Users/{id}; a 404 means the user is gone (undefined). */
export async function getById(send: Send, id: string): Promise<ScimUser | undefined> {
  try {
    const response = await send({ method: 'GET', path: userPath(id) });
    return requireUser(response.body, 'GET /Users/{id}');
  } catch (error) {
    if (isScimErrorCode(error, SCIM_ERROR_CODES.notFound)) return undefined;
    throw error;
  }
}

/** `/Users/{id}` with the id encoded, so an id with `/` or `?` cannot change the request. */
export function userPath(id: string): string {
  return `/Users/${encodeURIComponent(id)}`;
}
