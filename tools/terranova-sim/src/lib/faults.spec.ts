import { describe, expect, it } from 'vitest';
import { FaultState } from './faults.ts';

describe('terranova-sim > faults', () => {
  it('hits exactly the next N requests with a count, then none', () => {
    const state = new FaultState({ rateLimit: { count: 2, retryAfterSeconds: 3 } });
    expect([state.decide(), state.decide(), state.decide()]).toEqual([
      { kind: 'status', status: 429, fault: 'rateLimit', retryAfter: '3' },
      { kind: 'status', status: 429, fault: 'rateLimit', retryAfter: '3' },
      { kind: 'none' },
    ]);
  });

  it('repeats a seeded rate exactly and differs for another seed', () => {
    const run = (seed: number) => {
      const state = new FaultState({ seed, serverError: { rate: 0.3 } });
      return Array.from({ length: 50 }, () => state.decide().kind).join(',');
    };
    expect(run(7)).toBe(run(7));
    expect(run(7)).not.toBe(run(8));
  });

  it('answers 503 during a time window and not after it', () => {
    const state = new FaultState({ unavailable: { durationMs: 1000, retryAfterSeconds: 2 } }, 10_000);
    expect(state.decide(10_500)).toMatchObject({ kind: 'status', status: 503, retryAfter: '2' });
    expect(state.decide(11_001)).toEqual({ kind: 'none' });
  });

  it('limits requests per second and tells how long to wait', () => {
    const state = new FaultState({ rateLimit: { perSecond: 2 } });
    const at = 5_000_000;
    expect([state.decide(at), state.decide(at + 1), state.decide(at + 2)].map((decision) => decision.kind)).toEqual(['none', 'none', 'status']);
    expect(state.decide(at + 1000)).toEqual({ kind: 'none' });
  });

  it('sends Retry-After as an HTTP-date when asked', () => {
    const state = new FaultState({ rateLimit: { count: 1, retryAfterSeconds: 5, retryAfterAsDate: true } });
    expect(state.decide(Date.parse('2026-01-01T00:00:00Z'))).toMatchObject({ retryAfter: 'Thu, 01 Jan 2026 00:00:05 GMT' });
  });
});
