import { describe, expect, it } from 'vitest';
import { provisioningResultV1Schema, type ProvisioningResultV1 } from './provisioning-result.ts';
import { DLQ_HEADERS, dlqHeadersV1Schema, toDlqHeaders } from './dlq-headers.ts';

const result: ProvisioningResultV1 = {
  schemaVersion: 1,
  eventId: 'ef77e0702f39577d66fdb3d1',
  tenantId: 'acme',
  userId: '873c59eafea12777a80e4062',
  userName: 'jane.johansson',
  scimId: '2819c223-7f76-453a-919d-413861904646',
  action: 'deactivate',
  outcome: 'applied',
  httpStatus: 200,
  attempts: 1,
  startedAt: '2026-11-23T08:09:08.001Z',
  finishedAt: '2026-11-23T08:09:08.120Z',
  latencyMs: 119,
};

describe('provisioningResultV1Schema', () => {
  it('accepts a complete result and one skipped without a SCIM call', () => {
    expect(provisioningResultV1Schema.parse(result)).toEqual(result);
    const { scimId: _scimId, httpStatus: _status, ...skipped } = result;
    const parsed = provisioningResultV1Schema.parse({ ...skipped, action: 'none', outcome: 'skipped', reason: 'stale', attempts: 0 });
    expect(parsed.reason).toBe('stale');
  });

  it.each([
    ['an unknown field', { ...result, token: 'secret' }],
    ['an unknown action', { ...result, action: 'upsert' }],
    ['a fractional attempt count', { ...result, attempts: 1.5 }],
    ['a status that is not HTTP', { ...result, httpStatus: 42 }],
    ['a negative latency', { ...result, latencyMs: -1 }],
  ])('rejects %s', (_label, value) => {
    expect(provisioningResultV1Schema.safeParse(value).success).toBe(false);
  });
});

describe('DLQ headers', () => {
  it('builds string headers that the contract accepts and keeps original headers', () => {
    const headers = toDlqHeaders({
      errorCode: 'SCHEMA_INVALID',
      errorMessage: 'user.email: Required',
      attempts: 1,
      originalTopic: 'jumpcloud.user-changes.v1',
      originalPartition: 3,
      originalOffset: '1024',
    });
    expect(headers[DLQ_HEADERS.originalPartition]).toBe('3');
    expect(dlqHeadersV1Schema.parse({ ...headers, traceparent: '00-abc' })).toMatchObject({ traceparent: '00-abc' });
  });

  it('rejects a non-numeric offset', () => {
    const headers = toDlqHeaders({
      errorCode: 'X', errorMessage: '', attempts: 0, originalTopic: 't', originalPartition: 0, originalOffset: '0',
    });
    expect(dlqHeadersV1Schema.safeParse({ ...headers, [DLQ_HEADERS.originalOffset]: 'ten' }).success).toBe(false);
  });
});

describe('scimCalls (optional, added within v1)', () => {
  it('accepts the calls made, in order, and rejects an unknown operation or field', () => {
    const scimCalls = [
      { operation: 'find', method: 'GET', path: '/Users?filter=userName eq "jane.johansson"', outcome: 'ok', durationMs: 3 },
      { operation: 'patch', method: 'PATCH', path: '/Users/2819c223', outcome: 'ok', attributes: ['active'], durationMs: 5.5 },
    ];
    expect(provisioningResultV1Schema.parse({ ...result, scimCalls }).scimCalls).toEqual(scimCalls);
    expect(provisioningResultV1Schema.safeParse({ ...result, scimCalls: [{ ...scimCalls[0], operation: 'upsert' }] }).success).toBe(false);
    expect(provisioningResultV1Schema.safeParse({ ...result, scimCalls: [{ ...scimCalls[0], token: 'x' }] }).success).toBe(false);
  });
});
