/**
 * Stable error codes of the SCIM client. Result events and DLQ headers carry them, so they never change
 * meaning; new situations get new codes.
 */
export const SCIM_ERROR_CODES = {
  /** 429: Terranova asks us to slow down; wait as `Retry-After` says. */
  rateLimited: 'SCIM_RATE_LIMITED',
  /** 503: the service is (briefly) unavailable; treated like a rate limit. */
  unavailable: 'SCIM_UNAVAILABLE',
  /** Any other 5xx: the server failed; retried with backoff. */
  serverError: 'SCIM_SERVER_ERROR',
  /** 501: the server does not implement this operation; retrying cannot help. */
  notImplemented: 'SCIM_NOT_IMPLEMENTED',
  /** 408 or our own per-request timeout. */
  timeout: 'SCIM_TIMEOUT',
  /** Connection refused or reset, DNS failure, socket closed mid-response. */
  network: 'SCIM_NETWORK',
  /** TLS handshake or certificate problem: a configuration error, not a blip. */
  tls: 'SCIM_TLS',
  /** 401/403: the tenant's token is wrong, expired or lacks rights; the processor parks the tenant. */
  auth: 'SCIM_AUTH',
  /** 404. */
  notFound: 'SCIM_NOT_FOUND',
  /** 409 (or a duplicate reported another way). */
  conflict: 'SCIM_CONFLICT',
  /** POST said the userName exists, but no lookup can see that user (pitfall P7). */
  conflictNotVisible: 'SCIM_CONFLICT_NOT_VISIBLE',
  /** 400: the server rejected the request (invalidValue, invalidFilter, …) or we refused to send it. */
  invalidRequest: 'SCIM_INVALID_REQUEST',
  /** 415 even after falling back to `application/json`. */
  unsupportedMediaType: 'SCIM_UNSUPPORTED_MEDIA_TYPE',
  /** Any other 4xx (405, 412, 413, 422, …): permanent. */
  rejected: 'SCIM_REJECTED',
  /** A status outside 2xx/4xx/5xx (an unfollowed redirect, 1xx). */
  unexpectedStatus: 'SCIM_UNEXPECTED_STATUS',
  /** The client was configured wrongly (a base URL that is not http(s)); nothing was sent. */
  invalidConfig: 'SCIM_CONFIG_INVALID',
  /** A 2xx whose body is not the SCIM resource we asked for. */
  invalidResponse: 'SCIM_INVALID_RESPONSE',
} as const;

/** One of {@link SCIM_ERROR_CODES}. */
export type ScimErrorCode = (typeof SCIM_ERROR_CODES)[keyof typeof SCIM_ERROR_CODES];

/** How one HTTP status (or range of statuses) is treated. */
export interface StatusRule {
  /** A single status, or an inclusive range. */
  readonly status: number | { readonly from: number; readonly to: number };
  readonly code: ScimErrorCode;
  readonly retriable: boolean;
  /**
   * The server asked us to slow down: waiting out `Retry-After` does not use up an attempt, and
   * `onRateLimited` is told.
   */
  readonly rateLimit: boolean;
}

/**
 * The single table from HTTP status to code and retriability, first match wins. The HTTP status line is the
 * truth here; the SCIM error body only adds detail (`scimType`, `detail`).
 */
export const HTTP_STATUS_TABLE: readonly StatusRule[] = [
  { status: 400, code: SCIM_ERROR_CODES.invalidRequest, retriable: false, rateLimit: false },
  { status: 401, code: SCIM_ERROR_CODES.auth, retriable: false, rateLimit: false },
  { status: 403, code: SCIM_ERROR_CODES.auth, retriable: false, rateLimit: false },
  { status: 404, code: SCIM_ERROR_CODES.notFound, retriable: false, rateLimit: false },
  { status: 408, code: SCIM_ERROR_CODES.timeout, retriable: true, rateLimit: false },
  { status: 409, code: SCIM_ERROR_CODES.conflict, retriable: false, rateLimit: false },
  { status: 415, code: SCIM_ERROR_CODES.unsupportedMediaType, retriable: false, rateLimit: false },
  { status: 429, code: SCIM_ERROR_CODES.rateLimited, retriable: true, rateLimit: true },
  { status: { from: 400, to: 499 }, code: SCIM_ERROR_CODES.rejected, retriable: false, rateLimit: false },
  { status: 501, code: SCIM_ERROR_CODES.notImplemented, retriable: false, rateLimit: false },
  { status: 503, code: SCIM_ERROR_CODES.unavailable, retriable: true, rateLimit: true },
  { status: { from: 500, to: 599 }, code: SCIM_ERROR_CODES.serverError, retriable: true, rateLimit: false },
  { status: { from: 0, to: 999 }, code: SCIM_ERROR_CODES.unexpectedStatus, retriable: false, rateLimit: false },
];

function matches(rule: StatusRule, status: number): boolean {
  return typeof rule.status === 'number'
    ? rule.status === status
    : status >= rule.status.from && status <= rule.status.to;
}

/** The rule for a non-2xx HTTP status. */
export function classifyHttpStatus(status: number): StatusRule {
  const rule = HTTP_STATUS_TABLE.find((candidate) => matches(candidate, status));
  // The last row covers every status an HTTP client can report, so this is unreachable in practice.
  if (rule === undefined) throw new RangeError(`HTTP status ${status} is outside every rule`);
  return rule;
}
