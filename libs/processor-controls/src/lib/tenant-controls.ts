import { z } from 'zod';

/** An operator's `ops tenant disable`: the processor sends nothing for the tenant and holds its events. */
export const tenantDisabledSchema = z.strictObject({
  tenantId: z.string().min(1),
  disabledAt: z.iso.datetime(),
  /** Why, in the operator's words (shown by `ops tenant status` and logged by the processor). */
  reason: z.string().optional(),
});
export type TenantDisabled = z.infer<typeof tenantDisabledSchema>;

/** What an operator decided about a change the mass-deprovision guard held. */
export const CHANGE_DECISIONS = ['approved', 'rejected'] as const;
export type ChangeDecisionValue = (typeof CHANGE_DECISIONS)[number];

export const changeDecisionSchema = z.strictObject({
  changeId: z.string().min(1),
  decision: z.enum(CHANGE_DECISIONS),
  decidedAt: z.iso.datetime(),
});
export type ChangeDecision = z.infer<typeof changeDecisionSchema>;

/**
 * A deprovision the processor held because its change exceeded the tenant's threshold: enough to report it and,
 * once approved, to publish the very same state again (`message`) so it flows through the normal path.
 */
export const heldDeprovisionSchema = z.strictObject({
  tenantId: z.string().min(1),
  userId: z.string().min(1),
  eventId: z.string().min(1),
  changeId: z.string().min(1),
  action: z.enum(['deactivate', 'delete']),
  userName: z.string().min(1),
  heldAt: z.iso.datetime(),
  /** The change as the event's headers described it. */
  change: z.strictObject({ deprovisions: z.int().min(0), boundUsers: z.int().min(0) }),
  /** The held Kafka message: key, value and headers as strings. */
  message: z.strictObject({ key: z.string().min(1), value: z.string().min(1), headers: z.record(z.string(), z.string()) }),
});
export type HeldDeprovision = z.infer<typeof heldDeprovisionSchema>;

/** Parses a stored JSON value with a schema; undefined when it is not readable (never fatal to the reader). */
export function readStored<S extends z.ZodType>(schema: S, text: string | null | undefined): z.output<S> | undefined {
  if (!text) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
