import { z } from 'zod';
import { isoInstantSchema, jumpCloudIdSchema, tenantIdSchema } from './common.ts';

/** The SCIM action the processor chose for an event. */
export const PROVISIONING_ACTIONS = ['create', 'update', 'deactivate', 'reactivate', 'delete', 'none'] as const;
/** What became of it: applied in Terranova, skipped on purpose (stale, duplicate, nothing to do), or failed. */
export const PROVISIONING_OUTCOMES = ['applied', 'skipped', 'failed'] as const;

/** The SCIM operations a result lists in `scimCalls`. */
export const SCIM_OPERATIONS = ['find', 'get', 'create', 'patch', 'replace', 'delete'] as const;

/** One SCIM call made for an event (retries of one operation count as one call; `attempts` counts requests). */
export const scimCallV1Schema = z
  .strictObject({
    operation: z.enum(SCIM_OPERATIONS),
    method: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']),
    path: z.string().min(1).describe('The path below the SCIM base URL, e.g. `/Users/2819c223…` or `/Users?filter=userName eq "ann"`.'),
    outcome: z.string().min(1).describe('`ok`, or the stable error code of the failure (e.g. `SCIM_CONFLICT`).'),
    httpStatus: z.int().min(100).max(599).optional().describe('Status of a failed call, when the server answered.'),
    attributes: z.array(z.string().min(1)).optional().describe('For a PATCH: the attributes it changed.'),
    durationMs: z.number().min(0),
  })
  .describe('One SCIM operation the processor sent for the event.');

/** Producer-side schema of `terranova.provisioning-results.v1` values: unknown fields are rejected. */
export const provisioningResultV1Schema = z
  .strictObject({
    schemaVersion: z.literal(1),
    eventId: z.string().min(1).describe('The eventId of the UserChangeEvent this result answers.'),
    tenantId: tenantIdSchema,
    userId: jumpCloudIdSchema,
    userName: z.string().min(1).describe('The Terranova userName the action was about.'),
    scimId: z.string().min(1).optional().describe('The Terranova SCIM id, when known.'),
    action: z.enum(PROVISIONING_ACTIONS),
    outcome: z.enum(PROVISIONING_OUTCOMES),
    reason: z
      .string()
      .min(1)
      .optional()
      .describe('Why the event was skipped or failed, as a stable code (e.g. `stale`, `up-to-date`, `SCIM_CONFLICT`).'),
    httpStatus: z.int().min(100).max(599).optional().describe('Status of the last SCIM response, if a call was made.'),
    attempts: z.int().min(0).describe('SCIM calls made for this event (0 when nothing was sent).'),
    startedAt: isoInstantSchema,
    finishedAt: isoInstantSchema,
    latencyMs: z.number().min(0).describe('From the event being observed in JumpCloud to finishedAt.'),
    scimCalls: z
      .array(scimCallV1Schema)
      .optional()
      .describe('The SCIM calls made for this event, in order; absent when none were made. Optional, added within v1.'),
  })
  .describe('ProvisioningResult v1: what the processor did for one UserChangeEvent (topic terranova.provisioning-results.v1).');

export type ProvisioningResultV1 = z.infer<typeof provisioningResultV1Schema>;
export type ScimCallV1 = z.infer<typeof scimCallV1Schema>;
export type ScimOperation = (typeof SCIM_OPERATIONS)[number];
export type ProvisioningAction = (typeof PROVISIONING_ACTIONS)[number];
export type ProvisioningOutcome = (typeof PROVISIONING_OUTCOMES)[number];
