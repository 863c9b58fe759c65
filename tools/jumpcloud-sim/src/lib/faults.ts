import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

/** The API areas a fault can target. */
export const API_AREAS = ['insights', 'systemusers', 'graph'] as const;
export type ApiArea = (typeof API_AREAS)[number];

/** A fault request of the admin API: the next `count` matching calls fail and/or are slow. */
export const faultSpecSchema = z
  .object({
    area: z.enum([...API_AREAS, 'any']).default('any'),
    tenantId: z.string().min(1).optional().describe('only calls of this tenant; all tenants when absent'),
    status: z.int().min(400).max(599).optional().describe('answer with this status instead of the real response'),
    retryAfterSeconds: z.number().min(0).optional().describe('sent as Retry-After with the status'),
    delayMs: z.int().min(0).max(120_000).optional().describe('wait this long before answering (a slow page)'),
    count: z.int().min(1).default(1),
  })
  .refine((f) => f.status !== undefined || f.delayMs !== undefined, 'a fault needs a status, a delayMs or both');
export type FaultSpec = z.input<typeof faultSpecSchema>;
type ParsedFault = z.output<typeof faultSpecSchema>;

export interface FaultOutcome {
  status: number;
  retryAfterSeconds?: number;
}

/** Counters tests read back to check retries: calls per area, and faults served. */
export interface ApiStats {
  calls: Record<ApiArea, number>;
  faultsServed: number;
}

/** Faults waiting to be served, first match first; and what the API has answered so far. */
export class FaultPlan {
  private faults: (ParsedFault & { remaining: number })[] = [];
  private stats: ApiStats = { calls: { insights: 0, systemusers: 0, graph: 0 }, faultsServed: 0 };

  add(spec: FaultSpec): void {
    const fault = faultSpecSchema.parse(spec);
    this.faults.push({ ...fault, remaining: fault.count });
  }

  clear(): void {
    this.faults = [];
  }

  pending(): number {
    return this.faults.reduce((sum, f) => sum + f.remaining, 0);
  }

  snapshot(): ApiStats {
    return structuredClone(this.stats);
  }

  resetStats(): void {
    this.stats = { calls: { insights: 0, systemusers: 0, graph: 0 }, faultsServed: 0 };
  }

  /** Counts the call, waits out a slow fault, and returns the error to answer with, if any. */
  async serve(area: ApiArea, tenantId: string): Promise<FaultOutcome | undefined> {
    this.stats.calls[area]++;
    const fault = this.faults.find((f) => f.remaining > 0 && (f.area === 'any' || f.area === area) && (f.tenantId === undefined || f.tenantId === tenantId));
    if (!fault) return undefined;
    fault.remaining--;
    this.faults = this.faults.filter((f) => f.remaining > 0);
    this.stats.faultsServed++;
    if (fault.delayMs) await sleep(fault.delayMs);
    if (fault.status === undefined) return undefined;
    return { status: fault.status, ...(fault.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: fault.retryAfterSeconds }) };
  }
}
