import { describe, expect, it } from 'vitest';
import { NonRetriableError, ProvisioningError } from './provisioning-error.ts';
import { errorCode, isRetriable, toError } from './retriability.ts';

describe('errors > retriability', () => {
  it.each([
    ['a retriable error of ours', new ProvisioningError('x', { code: 'A' }), true],
    ['a non-retriable error of ours', new NonRetriableError('x', { code: 'B' }), false],
    ['an explicit retriable: false', new ProvisioningError('x', { code: 'C', retriable: false }), false],
    ['an unknown error', new Error('boom'), true],
    ['a TypeError', new TypeError('bug'), false],
    ['a RangeError', new RangeError('bug'), false],
  ])('%s → retriable %s', (_label, error, expected) => {
    expect(isRetriable(error)).toBe(expected);
  });

  it('keeps code and cause', () => {
    const cause = new Error('root');
    const error = new NonRetriableError('wrapped', { code: 'SCHEMA_INVALID', cause });
    expect(error.code).toBe('SCHEMA_INVALID');
    expect(error.cause).toBe(cause);
    expect(errorCode(error)).toBe('SCHEMA_INVALID');
    expect(errorCode(new Error('x'))).toBe('UNKNOWN');
  });

  it('turns thrown non-errors into errors', () => {
    expect(toError('text').message).toBe('text');
    expect(toError({ a: 1 }).message).toBe('{"a":1}');
  });
});
