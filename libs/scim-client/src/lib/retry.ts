import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import type { Logger } from 'pino';
import { isRetriable } from '@provisioning/errors';
import { ScimRequestError } from './scim-request-error.ts';

/** How an operation is retried. */
export interface RetryPolicy {
  /**
   * Attempts in all, the first included; rate-limit waits do not count.
   * @defaultValue 4
   */
  maxAttempts: number;
  /**
   * Time the whole operation may take, waits included; a `Retry-After` longer than what is left ends it.
   * @defaultValue 30_000
   */
  maxElapsedMs: number;
  /** First backoff delay (before jitter, which multiplies by 1–2). @defaultValue 200 */
  minDelayMs: number;
  /** Largest backoff delay. @defaultValue 5_000 */
  maxDelayMs: number;
}

/** The defaults of {@link RetryPolicy}. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 4,
  maxElapsedMs: 30_000,
  minDelayMs: 200,
  maxDelayMs: 5_000,
});

/**
 * Counters a caller passes to one or more calls and reads afterwards, e.g. the `attempts` of a result event.
 * Calls add to them; they are never reset by the client.
 */
export interface ScimCallStats {
  /** Attempts of operations (each may send more than one request, e.g. a lookup after a 409). */
  attempts: number;
  /** HTTP requests sent. */
  requests: number;
  /** Answers that were rate limits (429/503). */
  rateLimited: number;
}

/** Fresh counters for {@link ScimCallStats}. */
export function createCallStats(): ScimCallStats {
  return { attempts: 0, requests: 0, rateLimited: 0 };
}

/** What an attempt knows about the ones before it. */
export interface AttemptContext {
  attemptNumber: number;
  /** Why the previous attempt failed, if there was one. */
  previousError: unknown;
}

export interface RetryRun {
  /** `false`: one attempt, errors (rate limits too) go straight to the caller. */
  policy: RetryPolicy | false;
  label: string;
  stats: ScimCallStats;
  logger: Logger;
  signal?: AbortSignal | undefined;
  onRateLimited?: ((retryAfterMs: number | undefined) => void) | undefined;
}

function isRateLimit(error: unknown): error is ScimRequestError {
  return error instanceof ScimRequestError && error.rateLimited;
}

/** Exponential backoff with full jitter ×(1–2), capped. */
export function backoffDelay(policy: RetryPolicy, waitsSoFar: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** waitsSoFar);
  return Math.round(Math.min(policy.maxDelayMs, base * (1 + random())));
}

/**
 * Runs an operation with the retry policy: retriable errors are retried with exponential backoff and jitter
 * (p-retry); rate limits wait as long as `Retry-After` says (or back off when it is absent) inside the same
 * attempt, so they never use one up; everything is bounded by `maxElapsedMs`. With the policy `false` there
 * is exactly one try. The error finally thrown carries `attempts`.
 */
export async function runWithRetry<T>(run: RetryRun, operation: (context: AttemptContext) => Promise<T>): Promise<T> {
  const firstAttempt = run.stats.attempts;
  let previousError: unknown;
  const once = async (attemptNumber: number): Promise<T> => {
    run.stats.attempts += 1;
    try {
      return await operation({ attemptNumber, previousError });
    } catch (error) {
      previousError = error;
      if (isRateLimit(error)) {
        run.stats.rateLimited += 1;
        run.onRateLimited?.(error.retryAfterMs);
      }
      throw error;
    }
  };
  try {
    return run.policy === false ? await once(1) : await retrying(run, run.policy, once);
  } catch (error) {
    if (error instanceof ScimRequestError) error.attempts = run.stats.attempts - firstAttempt;
    throw error;
  }
}

async function retrying<T>(run: RetryRun, policy: RetryPolicy, once: (attemptNumber: number) => Promise<T>): Promise<T> {
  const started = performance.now();
  let rateLimitWaits = 0;
  // Rate limits are waited out here, inside one p-retry attempt: p-retry's budget is for real failures.
  const attempt = async (attemptNumber: number): Promise<T> => {
    for (;;) {
      try {
        return await once(attemptNumber);
      } catch (error) {
        if (!isRateLimit(error)) throw error;
        // `Retry-After: 0` still waits a little, so a server that keeps saying 0 is not hammered.
        const waitMs = Math.max(policy.minDelayMs, error.retryAfterMs ?? backoffDelay(policy, rateLimitWaits));
        rateLimitWaits += 1;
        // Waiting past the budget would only fail later; hand the rate limit to the caller now.
        if (waitMs > policy.maxElapsedMs - (performance.now() - started)) throw error;
        run.logger.warn({ request: run.label, code: error.code, attemptNumber, delayMs: waitMs }, 'scim rate limited; waiting');
        await sleep(waitMs, undefined, run.signal === undefined ? {} : { signal: run.signal });
      }
    }
  };
  return pRetry(attempt, {
    retries: Math.max(0, policy.maxAttempts - 1),
    factor: 2,
    minTimeout: policy.minDelayMs,
    maxTimeout: policy.maxDelayMs,
    randomize: true,
    maxRetryTime: policy.maxElapsedMs,
    ...(run.signal === undefined ? {} : { signal: run.signal }),
    // A rate limit that reaches p-retry has outlasted the time budget already.
    shouldRetry: ({ error }) => isRetriable(error) && !isRateLimit(error),
    onFailedAttempt: ({ error, attemptNumber, retryDelay }) => {
      if (retryDelay > 0 && isRetriable(error) && !isRateLimit(error)) {
        const code = error instanceof ScimRequestError ? error.code : 'UNKNOWN';
        run.logger.warn({ request: run.label, code, attemptNumber, delayMs: retryDelay }, 'scim request failed; retrying');
      }
    },
  });
}
