import { ProvisioningError } from '@provisioning/errors';
import type { ScimErrorCode } from './error-table.ts';

/** What a {@link ScimRequestError} carries besides its message. */
export interface ScimRequestErrorOptions {
  code: ScimErrorCode;
  retriable: boolean;
  /** The HTTP status, when the server answered. */
  httpStatus?: number;
  /** The SCIM `scimType` from the error body (best-effort), e.g. `uniqueness`, `invalidFilter`. */
  scimType?: string;
  /** The SCIM `detail` from the error body (best-effort), with any secret scrubbed. */
  detail?: string;
  /** How long the server asked us to wait (from `Retry-After`), when it did. */
  retryAfterMs?: number;
  /** The answer was a rate limit (429/503): waiting it out does not use up an attempt. */
  rateLimited?: boolean;
  /** The first characters of a non-SCIM error body (an HTML page from a proxy, plain text), scrubbed. */
  bodySnippet?: string;
  /** What was being done, e.g. `POST /Users`; never carries query strings (they hold user names). */
  request?: string;
  cause?: unknown;
}

/**
 * The one error the SCIM client throws for a failed request. `code` is stable (see `SCIM_ERROR_CODES`);
 * `retriable` says whether trying again may help; `attempts` is set once the retry loop gave up.
 * Never holds the bearer token: messages and fields are built from status, SCIM body and scrubbed text only.
 */
export class ScimRequestError extends ProvisioningError {
  override readonly code: ScimErrorCode;
  readonly httpStatus: number | undefined;
  readonly scimType: string | undefined;
  readonly detail: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly rateLimited: boolean;
  readonly bodySnippet: string | undefined;
  readonly request: string | undefined;
  /** Attempts made before giving up (1 when retries were disabled); set by the retry loop. */
  attempts = 1;

  constructor(message: string, options: ScimRequestErrorOptions) {
    super(message, { code: options.code, retriable: options.retriable, cause: options.cause });
    this.name = 'ScimRequestError';
    this.code = options.code;
    this.httpStatus = options.httpStatus;
    this.scimType = options.scimType;
    this.detail = options.detail;
    this.retryAfterMs = options.retryAfterMs;
    this.rateLimited = options.rateLimited ?? false;
    this.bodySnippet = options.bodySnippet;
    this.request = options.request;
  }
}

/** Whether an error is a {@link ScimRequestError} with the given code. */
export function isScimErrorCode(error: unknown, code: ScimErrorCode): error is ScimRequestError {
  return error instanceof ScimRequestError && error.code === code;
}
