import { NonRetriableError } from '@provisioning/errors';

/** Why an operator command stopped; `exitCode` is what scripts can rely on. */
export type OpsErrorCode = 'FAILED' | 'USAGE' | 'REFUSED' | 'NOT_FOUND' | 'INVALID_EVENT';

const EXIT_CODES: Record<OpsErrorCode, number> = { FAILED: 1, USAGE: 2, REFUSED: 3, NOT_FOUND: 4, INVALID_EVENT: 5 };

/** A command that cannot go on, with a message that says what to do. */
export class OpsError extends NonRetriableError {
  readonly exitCode: number;

  constructor(message: string, code: OpsErrorCode, cause?: unknown) {
    super(message, { code, cause });
    this.name = 'OpsError';
    this.exitCode = EXIT_CODES[code];
  }
}
