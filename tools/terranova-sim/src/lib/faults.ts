/**
 * Which requests a fault hits: the next `count` requests (deterministic), a seeded share `rate` (0–1) of
 * requests, or both (the count first).
 */
export interface FaultSelector {
  count?: number;
  rate?: number;
}

/** Faults of one tenant, applied to its SCIM requests (never to the admin API). */
export interface FaultPlan {
  /** Seed of the generator behind every `rate`, so a run repeats exactly. @defaultValue 1 */
  seed?: number;
  /** Added before every SCIM answer. @defaultValue 0 */
  latencyMs?: number;
  /**
   * 429 with `Retry-After`. `perSecond` is a real limit: past that many requests in the current second, 429
   * with the seconds left. `retryAfterSeconds` defaults to 1; `retryAfterAsDate` sends an HTTP-date instead.
   */
  rateLimit?: FaultSelector & { perSecond?: number; retryAfterSeconds?: number; retryAfterAsDate?: boolean };
  /** A 5xx answer (default 500) before the request is applied. */
  serverError?: FaultSelector & { status?: number };
  /** The connection is destroyed before the request is applied (the client sees a socket error). */
  connectionReset?: FaultSelector;
  /** The request is applied, then the answer waits `delayMs` (longer than the client's timeout, typically). */
  slowResponse?: FaultSelector & { delayMs: number };
  /** 503 with `Retry-After`: for the next `count` requests, or for `durationMs` from when the plan was set. */
  unavailable?: { count?: number; durationMs?: number; retryAfterSeconds?: number };
}

/** What to do with one request. */
export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'reset' }
  | { kind: 'status'; status: number; fault: string; retryAfter?: string }
  | { kind: 'slow'; delayMs: number };

/** mulberry32: a tiny seeded generator; Math.random could not repeat a run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function retryAfterValue(seconds: number, asDate: boolean, nowMs: number): string {
  return asDate ? new Date(nowMs + seconds * 1000).toUTCString() : String(seconds);
}

/** A tenant's fault plan with its counters: decides, per request, which fault (if any) applies. */
export class FaultState {
  readonly plan: FaultPlan;
  readonly #random: () => number;
  readonly #remaining = new Map<string, number>();
  readonly #unavailableUntil: number | undefined;
  #windowSecond = -1;
  #windowCount = 0;

  constructor(plan: FaultPlan, nowMs: number = Date.now()) {
    this.plan = plan;
    this.#random = seededRandom(plan.seed ?? 1);
    for (const [name, selector] of Object.entries(plan)) {
      const count = (selector as FaultSelector | undefined)?.count;
      if (typeof count === 'number') this.#remaining.set(name, count);
    }
    this.#unavailableUntil = plan.unavailable?.durationMs === undefined ? undefined : nowMs + plan.unavailable.durationMs;
  }

  get latencyMs(): number {
    return this.plan.latencyMs ?? 0;
  }

  // Counts first (deterministic), then the seeded rate.
  #hits(name: string, selector: FaultSelector | undefined): boolean {
    if (selector === undefined) return false;
    const left = this.#remaining.get(name) ?? 0;
    if (left > 0) {
      this.#remaining.set(name, left - 1);
      return true;
    }
    return selector.rate !== undefined && selector.rate > 0 && this.#random() < selector.rate;
  }

  #overPerSecond(limit: number | undefined, nowMs: number): number | undefined {
    if (limit === undefined) return undefined;
    const second = Math.floor(nowMs / 1000);
    if (second !== this.#windowSecond) {
      this.#windowSecond = second;
      this.#windowCount = 0;
    }
    this.#windowCount += 1;
    return this.#windowCount > limit ? 1 : undefined;
  }

  decide(nowMs: number = Date.now()): FaultDecision {
    const { plan } = this;
    if (this.#hits('connectionReset', plan.connectionReset)) return { kind: 'reset' };
    const unavailable = plan.unavailable;
    if (unavailable !== undefined && (this.#hits('unavailable', unavailable) || (this.#unavailableUntil ?? 0) > nowMs)) {
      return { kind: 'status', status: 503, fault: 'unavailable', retryAfter: String(unavailable.retryAfterSeconds ?? 1) };
    }
    const rate = plan.rateLimit;
    const overLimit = this.#overPerSecond(rate?.perSecond, nowMs);
    if (rate !== undefined && (overLimit !== undefined || this.#hits('rateLimit', rate))) {
      const seconds = overLimit ?? rate.retryAfterSeconds ?? 1;
      return { kind: 'status', status: 429, fault: 'rateLimit', retryAfter: retryAfterValue(seconds, rate.retryAfterAsDate === true, nowMs) };
    }
    if (this.#hits('serverError', plan.serverError)) return { kind: 'status', status: plan.serverError?.status ?? 500, fault: 'serverError' };
    if (plan.slowResponse !== undefined && this.#hits('slowResponse', plan.slowResponse)) return { kind: 'slow', delayMs: plan.slowResponse.delayMs };
    return { kind: 'none' };
  }
}
