import { z } from 'zod';
import { isoInstantSchema, jumpCloudIdSchema, jumpCloudUserStateValueSchema, tenantIdSchema } from './common.ts';

/** Where a user-change event came from. */
export const USER_CHANGE_SOURCES = ['directory-insights', 'snapshot', 'import', 'webhook', 'redrive'] as const;

type ObjectFactory = typeof z.strictObject;

/*
 * Every contract object is built twice from one shape: strict for producers (an unknown field is a bug there)
 * and stripping for consumers (a producer one minor step ahead must not send everything to the DLQ).
 */
function userStateShapes(object: ObjectFactory) {
  const known = {
    username: z.string().min(1).describe('JumpCloud username (the Terranova userName by default).'),
    email: z.string().min(1).optional().describe('Primary email.'),
    firstname: z.string().optional(),
    lastname: z.string().optional(),
    employeeIdentifier: z.string().min(1).optional().describe('Becomes the SCIM externalId; absent when not set.'),
    state: jumpCloudUserStateValueSchema.optional(),
    suspended: z.boolean().optional(),
    accountLocked: z.boolean().optional().describe('A temporary login lockout; not a lifecycle change.'),
    preferredLanguage: z.string().optional().describe('Raw value of the `preferredLanguage` custom attribute.'),
  };
  const live = object({
    ...known,
    email: z.string().min(1).describe('Primary email.'),
    state: jumpCloudUserStateValueSchema.describe('JumpCloud lifecycle state.'),
    suspended: z.boolean(),
  }).describe('The JumpCloud fields the mapping needs, as read at observedAt.');
  const deleted = object(known).describe('What is still known of a deleted user: at least the last username.');
  return { live, deleted };
}

function userChangeEventSchema(object: ObjectFactory) {
  const userState = userStateShapes(object);
  const common = {
    schemaVersion: z.literal(1),
    eventId: z
      .string()
      .min(1)
      .describe('Stable id: the Directory Insights event id, or derived deterministically for other sources.'),
    tenantId: tenantIdSchema,
    userId: jumpCloudIdSchema,
    source: z.enum(USER_CHANGE_SOURCES),
    trigger: z.string().min(1).optional().describe('The JumpCloud event type that caused this event, if any.'),
    occurredAt: isoInstantSchema.describe('When the change happened in JumpCloud.'),
    observedAt: isoInstantSchema.describe('When the state was read: orders the states of one user.'),
    bound: z.boolean().describe('Whether the user is bound to the Terranova application (directly or by group).'),
    previousUsernames: z
      .array(z.string().min(1))
      .optional()
      .describe('Earlier usernames when the event shows a rename, to find the Terranova user without our own state.'),
  };
  return z.discriminatedUnion('deleted', [
    object({ ...common, deleted: z.literal(false), user: userState.live }),
    object({ ...common, deleted: z.literal(true), user: userState.deleted }),
  ]);
}

/** Producer-side schema of `jumpcloud.user-changes.v1` values: unknown fields are rejected. */
export const userChangeEventV1Schema = userChangeEventSchema(z.strictObject).describe(
  'UserChangeEvent v1: the whole current JumpCloud state of one user (topic jumpcloud.user-changes.v1).',
);
/** Consumer-side schema: same rules, unknown fields dropped instead of rejected. */
export const userChangeEventV1ReaderSchema = userChangeEventSchema(z.object as ObjectFactory);

export type UserChangeEventV1 = z.infer<typeof userChangeEventV1Schema>;
export type UserChangeSource = (typeof USER_CHANGE_SOURCES)[number];
/** The state of a user that exists in JumpCloud. */
export type JumpCloudUserState = Extract<UserChangeEventV1, { deleted: false }>['user'];
/** What an event about a deleted user still knows (at least the username). */
export type DeletedJumpCloudUserState = Extract<UserChangeEventV1, { deleted: true }>['user'];

/** The outcome of reading a user-change value off Kafka; never throws. */
export type UserChangeEventParseResult =
  | { success: true; event: UserChangeEventV1 }
  | { success: false; code: 'unsupported-schema-version' | 'invalid-event'; issues: string[] };

/** The newest `schemaVersion` this code understands. */
export const USER_CHANGE_EVENT_LATEST_VERSION = 1;

/**
 * Reads a decoded JSON value from the user-changes topic, dispatching on `schemaVersion`: v1 is validated
 * (unknown fields dropped), a newer version is reported as `unsupported-schema-version` so the caller can
 * park it rather than mis-read it, and anything else is `invalid-event` with one line per problem.
 */
export function parseUserChangeEvent(value: unknown): UserChangeEventParseResult {
  const version = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['schemaVersion'] : undefined;
  if (typeof version === 'number' && Number.isInteger(version) && version > USER_CHANGE_EVENT_LATEST_VERSION) {
    return { success: false, code: 'unsupported-schema-version', issues: [`schemaVersion: ${version} is newer than 1`] };
  }
  const parsed = userChangeEventV1ReaderSchema.safeParse(value);
  if (parsed.success) return { success: true, event: parsed.data };
  return { success: false, code: 'invalid-event', issues: describeIssues(parsed.error.issues) };
}

/** One `path: message` line per zod issue, for DLQ reasons and logs. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.')}: ${issue.message}`);
}
