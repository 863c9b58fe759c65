import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request, type Dispatcher } from 'undici';
import type { Logger } from 'pino';
import { isRetriable } from '@provisioning/errors';
import { JumpCloudError, errorForStatus, parseRetryAfter } from './jumpcloud-error.ts';

/** How JumpCloud calls are retried. */
export interface RetrySettings {
  retries: number;
  minRetryDelayMs: number;
  maxRetryDelayMs: number;
}

export interface JumpCloudHttpOptions extends RetrySettings {
  apiKey: string;
  orgId: string;
  timeoutMs: number;
  logger: Logger;
  /** Called for every failed attempt, e.g. to count errors per code. */
  onError?: (error: JumpCloudError) => void;
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
}

export interface JsonResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** Keep-alive connections shared by every JumpCloud call of the process. */
const sharedAgent = new Agent({ keepAliveTimeout: 30_000, connections: 32 });

/** Backoff with jitter: min·2^n, ×(1–2), capped; a Retry-After wins when the server sent one. */
export function retryDelayMs(settings: RetrySettings, retryNumber: number, error: JumpCloudError, random = Math.random): number {
  if (error.retryAfterMs !== undefined) return Math.min(settings.maxRetryDelayMs, Math.max(settings.minRetryDelayMs, error.retryAfterMs));
  const base = settings.minRetryDelayMs * 2 ** (retryNumber - 1);
  return Math.round(Math.min(settings.maxRetryDelayMs, base * (1 + random())));
}

function asJumpCloudError(error: unknown, label: string): JumpCloudError {
  if (error instanceof JumpCloudError) return error;
  return new JumpCloudError(`${label} failed: ${(error as Error).message}`, { code: 'JUMPCLOUD_NETWORK', cause: error });
}

/**
 * One JSON call with the tenant's headers. Success and 404 come back as answers; other statuses become
 * JumpCloudErrors. The API key is sent as a header only and never appears in errors or logs.
 */
async function callOnce(options: JumpCloudHttpOptions, method: 'GET' | 'POST', url: string, body: unknown): Promise<JsonResponse> {
  const label = `${method} ${new URL(url).pathname}`;
  const response = await request(url, {
    method,
    dispatcher: options.dispatcher ?? sharedAgent,
    headers: { 'x-api-key': options.apiKey, 'x-org-id': options.orgId, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await response.body.text();
  if (response.statusCode >= 400 && response.statusCode !== 404) throw errorForStatus(response.statusCode, label, parseRetryAfter(response.headers['retry-after']));
  try {
    return { status: response.statusCode, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  } catch (error) {
    throw new JumpCloudError(`${label} answered ${response.statusCode} with a body that is not JSON`, { code: 'JUMPCLOUD_BAD_RESPONSE', status: response.statusCode, cause: error });
  }
}

/** A JSON call retried on 429, 5xx and network failures, honouring Retry-After; other failures are thrown at once. */
export async function callJumpCloud(options: JumpCloudHttpOptions, method: 'GET' | 'POST', url: string, body?: unknown): Promise<JsonResponse> {
  for (let retry = 0; ; retry++) {
    try {
      return await callOnce(options, method, url, body);
    } catch (thrown) {
      const error = asJumpCloudError(thrown, `${method} ${new URL(url).pathname}`);
      options.onError?.(error);
      if (options.signal?.aborted || !isRetriable(error) || retry >= options.retries) throw error;
      const delayMs = retryDelayMs(options, retry + 1, error);
      options.logger.warn({ code: error.code, status: error.status, path: new URL(url).pathname, retry: retry + 1, delayMs }, 'jumpcloud call failed; retrying');
      await sleep(delayMs, undefined, options.signal ? { signal: options.signal } : {});
    }
  }
}
