import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './http.ts';
import { JumpCloudError, errorForStatus, parseRetryAfter } from './jumpcloud-error.ts';

describe('jumpcloud-client > errors and retry timing', () => {
  it.each([
    [429, 'JUMPCLOUD_RATE_LIMITED', true],
    [503, 'JUMPCLOUD_UNAVAILABLE', true],
    [500, 'JUMPCLOUD_UNAVAILABLE', true],
    [401, 'JUMPCLOUD_UNAUTHORIZED', false],
    [403, 'JUMPCLOUD_UNAUTHORIZED', false],
    [400, 'JUMPCLOUD_REJECTED', false],
  ])('status %d is %s (retriable %s)', (status, code, retriable) => {
    const error = errorForStatus(status, 'GET /api/systemusers', undefined);
    expect([error.code, error.retriable, error.status]).toEqual([code, retriable, status]);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });

  it('waits as Retry-After says (within bounds), else backs off exponentially with jitter', () => {
    const settings = { retries: 5, minRetryDelayMs: 100, maxRetryDelayMs: 5_000 };
    const limited = new JumpCloudError('x', { code: 'JUMPCLOUD_RATE_LIMITED', retryAfterMs: 2_000 });
    const down = new JumpCloudError('x', { code: 'JUMPCLOUD_UNAVAILABLE' });
    expect(retryDelayMs(settings, 1, limited)).toBe(2_000);
    expect(retryDelayMs(settings, 1, new JumpCloudError('x', { code: 'JUMPCLOUD_RATE_LIMITED', retryAfterMs: 600_000 }))).toBe(5_000);
    expect(retryDelayMs(settings, 1, down, () => 0)).toBe(100);
    expect(retryDelayMs(settings, 3, down, () => 0.5)).toBe(600);
    expect(retryDelayMs(settings, 10, down, () => 0.99)).toBe(5_000);
  });
});
