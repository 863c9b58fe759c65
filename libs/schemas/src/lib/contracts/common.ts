import { z } from 'zod';

/**
 * An instant as an RFC 3339 UTC string (`…Z`) with any sub-second precision: Directory Insights timestamps carry
 * milliseconds or nanoseconds and are passed on as they came.
 */
export const isoInstantSchema = z.iso.datetime();

/** A tenant id: the key prefix, so it may not contain `:`. */
export const tenantIdSchema = z
  .string()
  .min(1)
  .regex(/^[^:]+$/, 'a tenant id may not contain ":"')
  .describe('The tenant (one JumpCloud organization provisioned into one Terranova tenant); never contains ":".');

/** A JumpCloud object id (24 hex digits in practice; treated as opaque). */
export const jumpCloudIdSchema = z.string().min(1).describe('The JumpCloud systemuser id (`_id`).');

/** Lifecycle states of a JumpCloud systemuser. */
export const JUMPCLOUD_USER_STATES = ['ACTIVATED', 'SUSPENDED', 'STAGED'] as const;
export const jumpCloudUserStateValueSchema = z.enum(JUMPCLOUD_USER_STATES);
export type JumpCloudUserStateValue = z.infer<typeof jumpCloudUserStateValueSchema>;
