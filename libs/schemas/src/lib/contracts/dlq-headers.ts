import { z } from 'zod';

/**
 * Header names added to a dead-lettered message (`jumpcloud.user-changes.v1.dlq`), next to the original
 * key, value and headers. Values are UTF-8 strings; numbers are written in decimal.
 */
export const DLQ_HEADERS = {
  /** Stable error code, e.g. `SCHEMA_INVALID`, `SCIM_REJECTED`. */
  errorCode: 'dlq-error-code',
  /** Human-readable reason; never carries secrets. */
  errorMessage: 'dlq-error-message',
  /** How many attempts were made before giving up. */
  attempts: 'dlq-attempts',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  /** When the message was dead-lettered (ISO instant). */
  failedAt: 'dlq-failed-at',
} as const;

const decimal = z.string().regex(/^\d+$/, 'a non-negative decimal integer');

/**
 * The DLQ headers as decoded strings. Other (original) headers are kept, so a redrive can restore them.
 * `failedAt` is optional: it is informative only.
 */
export const dlqHeadersV1Schema = z
  .looseObject({
    [DLQ_HEADERS.errorCode]: z.string().min(1),
    [DLQ_HEADERS.errorMessage]: z.string(),
    [DLQ_HEADERS.attempts]: decimal,
    [DLQ_HEADERS.originalTopic]: z.string().min(1),
    [DLQ_HEADERS.originalPartition]: decimal,
    [DLQ_HEADERS.originalOffset]: decimal,
    [DLQ_HEADERS.failedAt]: z.iso.datetime().optional(),
  })
  .describe('Headers of a message on jumpcloud.user-changes.v1.dlq (values decoded as UTF-8 strings).');

export type DlqHeadersV1 = z.infer<typeof dlqHeadersV1Schema>;

/** What a DLQ writer knows about a failure; `toDlqHeaders` turns it into header strings. */
export interface DlqFailure {
  errorCode: string;
  errorMessage: string;
  attempts: number;
  originalTopic: string;
  originalPartition: number;
  originalOffset: string;
  failedAt?: string;
}

/** Builds the DLQ headers (string values) for a failure, validated against the contract. */
export function toDlqHeaders(failure: DlqFailure): Record<string, string> {
  const headers: Record<string, string> = {
    [DLQ_HEADERS.errorCode]: failure.errorCode,
    [DLQ_HEADERS.errorMessage]: failure.errorMessage,
    [DLQ_HEADERS.attempts]: String(failure.attempts),
    [DLQ_HEADERS.originalTopic]: failure.originalTopic,
    [DLQ_HEADERS.originalPartition]: String(failure.originalPartition),
    [DLQ_HEADERS.originalOffset]: failure.originalOffset,
  };
  if (failure.failedAt !== undefined) headers[DLQ_HEADERS.failedAt] = failure.failedAt;
  dlqHeadersV1Schema.parse(headers);
  return headers;
}
