import { describe, expect, it } from 'vitest';
import { classifyHttpStatus, HTTP_STATUS_TABLE, SCIM_ERROR_CODES } from './error-table.ts';

describe('scim-client > HTTP status table', () => {
  it('maps every status to a rule, first match wins', () => {
    expect(classifyHttpStatus(418)).toMatchObject({ code: SCIM_ERROR_CODES.rejected, retriable: false });
    expect(classifyHttpStatus(502)).toMatchObject({ code: SCIM_ERROR_CODES.serverError, retriable: true });
    expect(classifyHttpStatus(302)).toMatchObject({ code: SCIM_ERROR_CODES.unexpectedStatus, retriable: false });
  });

  it('treats exactly 429 and 503 as rate limits', () => {
    const rateLimits = HTTP_STATUS_TABLE.filter((rule) => rule.rateLimit).map((rule) => rule.status);
    expect(rateLimits).toEqual([429, 503]);
  });

  it('makes every rate limit and timeout retriable and auth failures final', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) expect(classifyHttpStatus(status).retriable).toBe(true);
    for (const status of [400, 401, 403, 404, 409, 415, 422, 501]) expect(classifyHttpStatus(status).retriable).toBe(false);
  });
});
