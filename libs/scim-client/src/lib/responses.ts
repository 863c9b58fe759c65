import { z } from 'zod';
import { scimListResponseOf, scimUserSchema, type ScimUser } from '@provisioning/schemas';
import { SCIM_ERROR_CODES } from './error-table.ts';
import type { ParsedBody } from './media.ts';
import { ScimRequestError } from './scim-request-error.ts';

const listOfAnything = scimListResponseOf(z.unknown());

function invalid(label: string, what: string): ScimRequestError {
  return new ScimRequestError(`SCIM ${label}: the response is not ${what}`, {
    code: SCIM_ERROR_CODES.invalidResponse, retriable: false, request: label,
  });
}

/** The user in a 2xx body, or undefined when the body was empty. Ids come back as strings (P14). */
export function readUser(body: ParsedBody, label: string): ScimUser | undefined {
  if (body.kind === 'empty') return undefined;
  const parsed = body.kind === 'json' ? scimUserSchema.safeParse(body.value) : undefined;
  if (parsed?.success !== true || parsed.data.id === undefined) throw invalid(label, 'a SCIM User with an id');
  return parsed.data;
}

/** One page of a user list, read leniently (P11, P13, P14); unreadable items are counted, not fatal. */
export interface UserPage {
  totalResults: number;
  /** Items the server returned, readable or not: what pagination advances by (P12). */
  received: number;
  users: ScimUser[];
  unreadable: number;
}

/**
 * Reads a ListResponse of users. An empty body or a missing `Resources` is an empty page. A single item that
 * is not a user (no userName) is skipped and counted, so one odd record does not stop a full listing.
 */
export function readUserPage(body: ParsedBody, label: string): UserPage {
  if (body.kind === 'empty') return { totalResults: 0, received: 0, users: [], unreadable: 0 };
  const parsed = body.kind === 'json' ? listOfAnything.safeParse(body.value) : undefined;
  if (parsed?.success !== true) throw invalid(label, 'a SCIM ListResponse');
  const users: ScimUser[] = [];
  for (const item of parsed.data.Resources) {
    const user = scimUserSchema.safeParse(item);
    if (user.success && user.data.id !== undefined) users.push(user.data);
  }
  const received = parsed.data.Resources.length;
  return { totalResults: parsed.data.totalResults, received, users, unreadable: received - users.length };
}

/** The user in a 2xx body that must have one (a GET by id). */
export function requireUser(body: ParsedBody, label: string): ScimUser {
  const user = readUser(body, label);
  if (user === undefined) throw invalid(label, 'a SCIM User with an id');
  return user;
}
