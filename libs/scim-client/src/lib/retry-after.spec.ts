import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('scim-client > Retry-After', () => {
  it.each([
    ['delta-seconds', '2', 2000],
    ['zero', '0', 0],
    ['an IMF-fixdate', 'Thu, 01 Jan 2026 00:00:05 GMT', 5000],
    ['an RFC 850 date', 'Thursday, 01-Jan-26 00:00:03 GMT', 3000],
    ['a date in the past', 'Wed, 31 Dec 2025 23:59:00 GMT', 0],
    ['the first of repeated headers', ['4', '9'], 4000],
  ])('reads %s', (_label, header, expected) => {
    expect(parseRetryAfter(header, NOW)).toBe(expected);
  });

  it.each([[undefined], [''], ['soon'], ['-1'], ['1.5'], ['5 minutes']])('ignores %j', (header) => {
    expect(parseRetryAfter(header, NOW)).toBeUndefined();
  });
});
