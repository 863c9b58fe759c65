import { z } from 'zod';

/**
 * A forced replay of one tenant: the processor re-applies the tenant's events below `until` (per partition,
 * exclusive) even when its own records say they were applied, checking Terranova itself instead of trusting them.
 * It is how Terranova is rebuilt after it lost data.
 */
export const replayMarkerSchema = z.strictObject({
  replayId: z.string().min(1),
  tenantId: z.string().min(1),
  topic: z.string().min(1),
  requestedAt: z.iso.datetime(),
  /** partition → offset: the end of the topic when the replay was asked for. Later events are ordinary. */
  until: z.record(z.string().regex(/^\d+$/), z.string().regex(/^\d+$/)),
});
export type ReplayMarker = z.infer<typeof replayMarkerSchema>;

/** Whether an event at (partition, offset) of a tenant falls inside its forced replay. */
export function isForcedReplay(marker: ReplayMarker | undefined, topic: string, partition: number, offset: string | number): boolean {
  if (!marker || marker.topic !== topic) return false;
  const until = marker.until[String(partition)];
  return until !== undefined && BigInt(offset) < BigInt(until);
}
