/** What every error of ours carries, so a caller can decide to retry, park or dead-letter it. */
export interface ProvisioningErrorOptions {
  /** Stable machine-readable code, e.g. `SCIM_RATE_LIMITED`; result events and DLQ headers carry it. */
  code: string;
  /**
   * Whether trying again may succeed.
   * @defaultValue true — an unknown failure is retried rather than lost (only explicit marking makes it final).
   */
  retriable?: boolean;
  /** The underlying error, kept for logs and for walking the chain. */
  cause?: unknown;
}

/** Base class for the errors this project throws. */
export class ProvisioningError extends Error {
  readonly code: string;
  readonly retriable: boolean;

  constructor(message: string, options: ProvisioningErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProvisioningError';
    this.code = options.code;
    this.retriable = options.retriable ?? true;
  }
}

/** An error that no retry can fix: bad input, a rejected request, a broken contract. */
export class NonRetriableError extends ProvisioningError {
  constructor(message: string, options: Omit<ProvisioningErrorOptions, 'retriable'>) {
    super(message, { ...options, retriable: false });
    this.name = 'NonRetriableError';
  }
}
