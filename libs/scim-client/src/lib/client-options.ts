import type { Dispatcher } from 'undici';
import type { Logger } from 'pino';
import type { RetryPolicy, ScimCallStats } from './retry.ts';
import type { TokenSource } from './transport.ts';

/** How to reach one SCIM service provider (one Terranova tenant). Libs never read the environment: pass it all. */
export interface ScimClientOptions {
  /** The SCIM base URL without `/Users`, e.g. `https://host/tenants/acme/scim/v2`; http or https. */
  baseUrl: string;
  /** The bearer token, or a function returning the current one (read before every request, so rotation works). */
  token: TokenSource;
  /** Time allowed for one request, response body included. @defaultValue 10_000 */
  timeoutMs?: number;
  /** Retry policy for every call; a call may override or disable it. @defaultValue {@link DEFAULT_RETRY_POLICY} */
  retry?: Partial<RetryPolicy>;
  /** Where the client logs (debug per request, warn per retry); never the token. @defaultValue a silent logger */
  logger?: Logger;
  /**
   * The undici dispatcher to share a connection pool between clients (e.g. one `Agent` for all tenants).
   * @defaultValue an `Agent` of this client's own, with keep-alive, closed by `close()`
   */
  dispatcher?: Dispatcher;
  /** Connections per origin of the client's own `Agent` (ignored with `dispatcher`). @defaultValue 16 */
  maxConnections?: number;
  /**
   * Told whenever the server answers with a rate limit (429, 503, or a 5xx that says so), with the wait it
   * asked for (undefined without `Retry-After`), even when the call does not retry: the processor slows its
   * shared token bucket with it.
   */
  onRateLimited?: (retryAfterMs: number | undefined) => void;
  /** Users per page when listing. @defaultValue 100 */
  pageSize?: number;
  /** Pages at most in one listing, so pagination ends even against a server that never says it is done. @defaultValue 10_000 */
  maxPages?: number;
}

/** Per-call options. */
export interface ScimCallOptions {
  /** Override parts of the retry policy for this call, or `false` for exactly one attempt (no waiting at all). */
  retry?: Partial<RetryPolicy> | false;
  /** Cancels the call, waits included. */
  signal?: AbortSignal;
  /** Counters to add this call's attempts and requests to. */
  stats?: ScimCallStats;
}
