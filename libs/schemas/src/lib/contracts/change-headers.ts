import { z } from 'zod';

/**
 * Headers a state event on `jumpcloud.user-changes.v1` may carry when it is one of several users one JumpCloud
 * change affects (a group unbound from the application fans out to its members). The processor's mass-deprovision
 * guard reads them; consumers that do not know them ignore them. Values are UTF-8 strings, numbers in decimal.
 */
export const CHANGE_HEADERS = {
  /** The change the event belongs to: the Directory Insights event id (with the source prefix, e.g. `import:`). */
  id: 'change-id',
  /** How many users this change takes out of the application (unbound, deleted): the change's deprovisions at most. */
  deprovisions: 'change-deprovisions',
  /** How many users were bound to the application before the change: the base of the guard's percentage. */
  boundUsers: 'change-bound-users',
  /** Set on an event an operator released from the guard (`ops approve`): the id of the approved change. */
  approved: 'change-approved',
  /**
   * `true` on an event an operator sent (`ops reconcile --apply`, `ops provision`): the processor asks Terranova
   * what it holds instead of trusting its own records, so drift made in Terranova itself is corrected too.
   */
  checkTerranova: 'check-terranova',
} as const;

/** What one JumpCloud change does to the application's users, as the ingest saw it. */
export interface ChangeFacts {
  id: string;
  deprovisions: number;
  boundUsers: number;
}

const decimal = z.string().regex(/^\d+$/, 'a non-negative decimal integer');

/**
 * The change headers as decoded strings; other headers are allowed. Most events belong to a change of one user
 * and carry none; an event of a larger change carries the first three together.
 */
export const changeHeadersV1Schema = z
  .looseObject({
    [CHANGE_HEADERS.id]: z.string().min(1).optional(),
    [CHANGE_HEADERS.deprovisions]: decimal.optional(),
    [CHANGE_HEADERS.boundUsers]: decimal.optional(),
    [CHANGE_HEADERS.approved]: z.string().min(1).optional(),
    [CHANGE_HEADERS.checkTerranova]: z.enum(['true', 'false']).optional(),
  })
  .describe('Headers of a jumpcloud.user-changes.v1 message: change-id, change-deprovisions and change-bound-users together when the event belongs to a change of several users.');

/** The headers for a change (string values). */
export function toChangeHeaders(facts: ChangeFacts): Record<string, string> {
  return {
    [CHANGE_HEADERS.id]: facts.id,
    [CHANGE_HEADERS.deprovisions]: String(facts.deprovisions),
    [CHANGE_HEADERS.boundUsers]: String(facts.boundUsers),
  };
}

/** Kafka headers as kafkajs hands them over. */
export type MessageHeaders = Record<string, string | Buffer | (string | Buffer)[] | undefined>;

function text(headers: MessageHeaders, name: string): string | undefined {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

/** Whether the event asks the processor to check Terranova itself rather than trust its records. */
export function asksToCheckTerranova(headers: MessageHeaders | undefined): boolean {
  return headers !== undefined && text(headers, CHANGE_HEADERS.checkTerranova) === 'true';
}

/** The change an event belongs to, or undefined when its headers do not name one (or name it badly). */
export function readChangeHeaders(headers: MessageHeaders | undefined): ChangeFacts | undefined {
  if (!headers) return undefined;
  const parsed = changeHeadersV1Schema.safeParse({
    [CHANGE_HEADERS.id]: text(headers, CHANGE_HEADERS.id),
    [CHANGE_HEADERS.deprovisions]: text(headers, CHANGE_HEADERS.deprovisions),
    [CHANGE_HEADERS.boundUsers]: text(headers, CHANGE_HEADERS.boundUsers),
  });
  if (!parsed.success) return undefined;
  const id = parsed.data[CHANGE_HEADERS.id];
  const deprovisions = parsed.data[CHANGE_HEADERS.deprovisions];
  const boundUsers = parsed.data[CHANGE_HEADERS.boundUsers];
  if (id === undefined || deprovisions === undefined || boundUsers === undefined) return undefined;
  return { id, deprovisions: Number(deprovisions), boundUsers: Number(boundUsers) };
}
