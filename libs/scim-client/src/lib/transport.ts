import { performance } from 'node:perf_hooks';
import { request as undiciRequest, type Dispatcher } from 'undici';
import type { Logger } from 'pino';
import { classifyHttpStatus } from './error-table.ts';
import { readErrorBody } from './error-body.ts';
import { ACCEPT_HEADER, SCIM_MEDIA_TYPE, parseBody, type ParsedBody } from './media.ts';
import { networkError } from './network-errors.ts';
import { parseRetryAfter } from './retry-after.ts';
import { ScimRequestError } from './scim-request-error.ts';
import { SecretScrubber } from './secrets.ts';

/** The bearer token, or a function returning the current one (so a rotated token is used without a restart). */
export type TokenSource = string | (() => string | Promise<string>);

/** One SCIM request, relative to the base URL. */
export interface ScimHttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** e.g. `/Users/123`; encoded by the caller. */
  path: string;
  /** Query parameters; each value is encoded with `encodeURIComponent`, so `+` travels as `%2B` (pitfall P9). */
  query?: Readonly<Record<string, string | number>>;
  body?: unknown;
  signal?: AbortSignal;
}

/** A 2xx answer. */
export interface ScimHttpResponse {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: ParsedBody;
}

export interface ScimTransportOptions {
  baseUrl: URL;
  token: TokenSource;
  timeoutMs: number;
  dispatcher: Dispatcher;
  logger: Logger;
}

// A 5xx whose body says it is a rate limit (Databricks-style REQUEST_LIMIT_EXCEEDED; pitfall P23).
const RATE_LIMIT_TEXT = /limit[_ ]exceeded|too many requests|rate[_ ]limit/i;

/** Builds the query string with `encodeURIComponent` (not URLSearchParams, which writes spaces as `+`). */
export function encodeQuery(query: Readonly<Record<string, string | number>> | undefined): string {
  if (query === undefined) return '';
  const parts = Object.entries(query).map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/**
 * One HTTP exchange with the SCIM server: bearer auth, SCIM media type, a timeout per request, keep-alive
 * through the given undici dispatcher. Answers 2xx, or throws a {@link ScimRequestError}; never retries
 * except the one-time `application/json` fallback after a 415 (pitfall P16).
 */
export class ScimTransport {
  readonly #options: ScimTransportOptions;
  readonly #basePath: string;
  readonly #scrubber = new SecretScrubber();
  #contentType = SCIM_MEDIA_TYPE;

  constructor(options: ScimTransportOptions) {
    this.#options = options;
    this.#basePath = options.baseUrl.pathname.replace(/\/+$/, '');
  }

  /** Removes any token this transport has sent from the text. */
  scrub(text: string): string {
    return this.#scrubber.scrub(text);
  }

  async send(req: ScimHttpRequest): Promise<ScimHttpResponse> {
    try {
      return await this.#exchange(req);
    } catch (error) {
      const fallback = error instanceof ScimRequestError && error.httpStatus === 415 && req.body !== undefined;
      if (!fallback || this.#contentType !== SCIM_MEDIA_TYPE) throw error;
      this.#contentType = 'application/json';
      this.#options.logger.warn({ request: `${req.method} ${req.path}` }, 'scim server refused application/scim+json; using application/json');
      return this.#exchange(req);
    }
  }

  async #exchange(req: ScimHttpRequest): Promise<ScimHttpResponse> {
    const label = `${req.method} ${req.path}`;
    const timeout = AbortSignal.timeout(this.#options.timeoutMs);
    const signal = req.signal === undefined ? timeout : AbortSignal.any([timeout, req.signal]);
    const started = performance.now();
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await undiciRequest(this.#url(req), await this.#requestOptions(req, signal));
      text = await response.body.text();
    } catch (error) {
      if (req.signal?.aborted === true) throw req.signal.reason;
      throw networkError(error, label, timeout.aborted, this.#options.timeoutMs);
    }
    const status = response.statusCode;
    const durationMs = Math.round(performance.now() - started);
    this.#options.logger.debug({ method: req.method, path: req.path, status, durationMs }, 'scim request');
    const body = parseBody(text, headerValue(response.headers['content-type']));
    if (status >= 200 && status < 300) return { status, headers: response.headers, body };
    throw this.#httpError(label, status, response.headers, body);
  }

  #url(req: ScimHttpRequest): URL {
    const url = new URL(this.#options.baseUrl);
    url.pathname = `${this.#basePath}${req.path}`;
    url.search = encodeQuery(req.query);
    return url;
  }

  async #requestOptions(req: ScimHttpRequest, signal: AbortSignal) {
    const token = await resolveToken(this.#options.token);
    this.#scrubber.remember(token);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: ACCEPT_HEADER };
    if (req.body !== undefined) headers['content-type'] = this.#contentType;
    return {
      method: req.method,
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      dispatcher: this.#options.dispatcher,
      signal,
    };
  }

  #httpError(label: string, status: number, headers: ScimHttpResponse['headers'], body: ParsedBody): ScimRequestError {
    // Everything the server said is scrubbed: a server may echo our Authorization header back.
    const facts = readErrorBody(body);
    const [scimType, detail, snippet] = [facts.scimType, facts.detail, facts.snippet].map((text) => (text === undefined ? undefined : this.scrub(text)));
    let rule = classifyHttpStatus(status);
    if (status >= 500 && RATE_LIMIT_TEXT.test(`${detail ?? ''} ${snippet ?? ''}`)) rule = classifyHttpStatus(429);
    const said = detail ?? snippet;
    const message = `SCIM ${label}: HTTP ${status}${scimType === undefined ? '' : ` ${scimType}`}${said === undefined ? '' : `: ${said.slice(0, 200)}`}`;
    return new ScimRequestError(message, {
      code: rule.code, retriable: rule.retriable, rateLimited: rule.rateLimit, httpStatus: status, request: label,
      scimType, detail, bodySnippet: snippet, retryAfterMs: parseRetryAfter(headers['retry-after']),
    });
  }
}

async function resolveToken(source: TokenSource): Promise<string> {
  return typeof source === 'string' ? source : source();
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
