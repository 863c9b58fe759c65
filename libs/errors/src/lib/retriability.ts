import { ProvisioningError } from './provisioning-error.ts';

// Programming errors: retrying the same code path gives the same bug, so they are never retried.
const PROGRAMMING_ERRORS = [TypeError, RangeError, ReferenceError, SyntaxError];

/** Whether an error is worth another attempt. Unknown errors are retriable; programming errors are not. */
export function isRetriable(error: unknown): boolean {
  if (error instanceof ProvisioningError) return error.retriable;
  if (PROGRAMMING_ERRORS.some((kind) => error instanceof kind)) return false;
  return true;
}

/** The stable code of an error, or `UNKNOWN` for errors that are not ours. */
export function errorCode(error: unknown): string {
  return error instanceof ProvisioningError ? error.code : 'UNKNOWN';
}

/** Turns anything thrown into an Error, so callers can rely on `message` and `stack`. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : JSON.stringify(value));
}
