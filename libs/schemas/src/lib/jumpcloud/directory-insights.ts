import { z } from 'zod';

/*
 * Directory Insights events, read tolerantly: a real feed varies by event type and over time, so every object
 * keeps unknown fields, only what the pipeline relies on is required, and `changes` values may be any JSON.
 */

/** RFC 3339 timestamp with millisecond or nanosecond precision (both occur in real feeds). */
export const diTimestampSchema = z.iso.datetime({ offset: true });

/** `resource.type` values that denote a user: real feeds say `user`, the documentation says `systemuser`. */
export const USER_RESOURCE_TYPES = ['user', 'systemuser'] as const;

/** True when a DI `resource.type` (or association node type) names a JumpCloud user. */
export function isUserResourceType(type: string): boolean {
  return (USER_RESOURCE_TYPES as readonly string[]).includes(type);
}

export const diResourceSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string(),
  username: z.string().optional(),
  email: z.string().optional(),
  name: z.string().optional(),
});

export const diInitiatedBySchema = z.looseObject({
  id: z.string().optional(),
  type: z.string().optional(),
  email: z.string().optional(),
  username: z.string().optional(),
  source: z.string().optional(),
});

/** One entry of `changes`: `from`/`to` may be a string, boolean, number, null, or an array of objects. */
export const diChangeSchema = z.looseObject({
  field: z.string(),
  from: z.json().optional(),
  to: z.json().optional(),
});

/** One end of an association edge. */
export const diAssociationNodeSchema = z.looseObject({
  type: z.string(),
  object_id: z.string().min(1),
  name: z.string().optional(),
});

/** An `association_change` edge; `from`/`to` orientation varies, so match either end. */
export const diAssociationSchema = z.looseObject({
  op: z.string(),
  action_source: z.string().optional(),
  connection: z.looseObject({ from: diAssociationNodeSchema, to: diAssociationNodeSchema }),
  attributes: z.json().optional(),
});

/** A Directory Insights event as `POST /insights/directory/v1/events` returns it. */
export const directoryInsightsEventSchema = z.looseObject({
  id: z.string().min(1),
  event_type: z.string().min(1),
  service: z.string().min(1),
  timestamp: diTimestampSchema,
  organization: z.string().optional(),
  initiated_by: diInitiatedBySchema.optional(),
  resource: diResourceSchema.optional(),
  changes: z.array(diChangeSchema).nullish(),
  association: diAssociationSchema.optional(),
  success: z.boolean().optional(),
  correlation: z.json().optional(),
  auth_method: z.string().optional(),
  client_ip: z.string().optional(),
  provider: z.string().nullish(),
});

/** The Directory Insights response body: a bare array of events. */
export const directoryInsightsPageSchema = z.array(directoryInsightsEventSchema);

export type DirectoryInsightsEvent = z.infer<typeof directoryInsightsEventSchema>;
export type DirectoryInsightsChange = z.infer<typeof diChangeSchema>;
export type DirectoryInsightsAssociation = z.infer<typeof diAssociationSchema>;
export type DirectoryInsightsAssociationNode = z.infer<typeof diAssociationNodeSchema>;

/**
 * An RFC 3339 instant as nanoseconds since the epoch, so nanosecond DI timestamps order correctly
 * (a `Date` keeps only milliseconds). Throws a RangeError on a value that is not an RFC 3339 timestamp.
 */
export function instantToEpochNanos(timestamp: string): bigint {
  const match = /^(.+T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i.exec(timestamp);
  if (match === null) throw new RangeError(`not an RFC 3339 timestamp: ${timestamp}`);
  const [, seconds, fraction = '', zone] = match;
  const millis = Date.parse(`${seconds}${zone}`);
  if (Number.isNaN(millis)) throw new RangeError(`not an RFC 3339 timestamp: ${timestamp}`);
  const nanosOfSecond = BigInt(fraction.padEnd(9, '0').slice(0, 9));
  return BigInt(millis) * 1_000_000n + nanosOfSecond;
}
