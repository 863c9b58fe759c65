import { ProvisioningError } from '@provisioning/errors';

/** Stable codes of JumpCloud call failures; metrics and logs carry them. */
export type JumpCloudErrorCode =
  | 'JUMPCLOUD_RATE_LIMITED'
  | 'JUMPCLOUD_UNAVAILABLE'
  | 'JUMPCLOUD_UNAUTHORIZED'
  | 'JUMPCLOUD_REJECTED'
  | 'JUMPCLOUD_NETWORK'
  | 'JUMPCLOUD_BAD_RESPONSE';

/** A JumpCloud call that failed; 429, 5xx and network failures are retriable, other answers are not. */
export class JumpCloudError extends ProvisioningError {
  override readonly code: JumpCloudErrorCode;
  readonly status: number | undefined;
  /** From `Retry-After`, when the answer had one. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { code: JumpCloudErrorCode; status?: number; retryAfterMs?: number; cause?: unknown }) {
    const retriable = ['JUMPCLOUD_RATE_LIMITED', 'JUMPCLOUD_UNAVAILABLE', 'JUMPCLOUD_NETWORK'].includes(options.code);
    super(message, { code: options.code, retriable, cause: options.cause });
    this.name = 'JumpCloudError';
    this.code = options.code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The error for an HTTP answer that is not a success. */
export function errorForStatus(status: number, label: string, retryAfterMs: number | undefined): JumpCloudError {
  const code: JumpCloudErrorCode =
    status === 429 ? 'JUMPCLOUD_RATE_LIMITED'
    : status >= 500 ? 'JUMPCLOUD_UNAVAILABLE'
    : status === 401 || status === 403 ? 'JUMPCLOUD_UNAUTHORIZED'
    : 'JUMPCLOUD_REJECTED';
  return new JumpCloudError(`${label} answered ${status}`, { code, status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
}

/** Reads `Retry-After` as delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
