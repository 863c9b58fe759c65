import { Agent, type Dispatcher } from 'undici';
import { pino, type Logger } from 'pino';
import type { ScimUser } from '@provisioning/schemas';
import type { ScimCallOptions, ScimClientOptions } from './client-options.ts';
import { createUserAttempt, type CreateUserResult } from './create-user.ts';
import { SCIM_ERROR_CODES } from './error-table.ts';
import { getById, lookupByUserName, userPath, type Send } from './lookup.ts';
import { paginateUsers, type PaginationLimits } from './pagination.ts';
import { normalizePatch, type PatchRequest } from './patch.ts';
import { readUser, readUserPage } from './responses.ts';
import { createCallStats, DEFAULT_RETRY_POLICY, runWithRetry, type AttemptContext, type RetryPolicy } from './retry.ts';
import { isScimErrorCode, ScimRequestError } from './scim-request-error.ts';
import { ScimTransport, type ScimHttpResponse } from './transport.ts';
import { mergeForReplace, userBody, type ScimUserInput } from './user-body.ts';
import { patchSupportedHint, verifyFailure, verifyListAnswer, type VerifyResult } from './verify.ts';

function parseBaseUrl(baseUrl: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ScimRequestError('SCIM base URL must be an absolute http(s) URL', { code: SCIM_ERROR_CODES.invalidConfig, retriable: false });
  }
  return url;
}

function notFound(label: string): ScimRequestError {
  return new ScimRequestError(`SCIM ${label}: the user does not exist`, { code: SCIM_ERROR_CODES.notFound, retriable: false, httpStatus: 404, request: label });
}

// A write answered 204 or an empty 200 (P15): read the result back.
async function userAfterWrite(send: Send, response: ScimHttpResponse, id: string, label: string): Promise<ScimUser> {
  const user = readUser(response.body, label) ?? (await getById(send, id));
  if (user === undefined) throw notFound(label);
  return user;
}

/**
 * A SCIM 2.0 client for one service provider (one Terranova tenant): find, get, create, patch, replace,
 * delete and list users, plus `verify()`. Every call is retried by the client's policy unless the call says
 * otherwise; every failure is a `ScimRequestError` with a stable code.
 */
export class ScimClient {
  readonly #transport: ScimTransport;
  readonly #logger: Logger;
  readonly #retry: RetryPolicy;
  readonly #limits: PaginationLimits;
  readonly #ownAgent: Agent | undefined;
  readonly #onRateLimited: ScimClientOptions['onRateLimited'];
  readonly #where: string;

  constructor(options: ScimClientOptions) {
    const baseUrl = parseBaseUrl(options.baseUrl);
    this.#where = `${baseUrl.origin}${baseUrl.pathname.replace(/\/+$/, '')}`;
    this.#logger = (options.logger ?? pino({ level: 'silent' })).child({ component: 'scim-client' });
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#limits = { pageSize: options.pageSize ?? 100, maxPages: options.maxPages ?? 10_000 };
    this.#onRateLimited = options.onRateLimited;
    this.#ownAgent = options.dispatcher === undefined
      ? new Agent({ connections: options.maxConnections ?? 16, keepAliveTimeout: 10_000 })
      : undefined;
    const dispatcher: Dispatcher = options.dispatcher ?? (this.#ownAgent as Agent);
    this.#transport = new ScimTransport({ baseUrl, token: options.token, timeoutMs: options.timeoutMs ?? 10_000, dispatcher, logger: this.#logger });
  }

  /** The user with this userName (compared case-insensitively), or undefined. */
  findUserByUserName(userName: string, call: ScimCallOptions = {}): Promise<ScimUser | undefined> {
    return this.#run('GET /Users?filter', call, (send) => lookupByUserName(send, userName));
  }

  /** The user with this id, or undefined when the server says 404. */
  getUser(id: string, call: ScimCallOptions = {}): Promise<ScimUser | undefined> {
    return this.#run('GET /Users/{id}', call, (send) => getById(send, id));
  }

  /** Creates the user; when it exists already (409 or similar), hands back the existing one instead. */
  createUser<T extends ScimUserInput>(user: T, call: ScimCallOptions = {}): Promise<CreateUserResult> {
    return this.#run('POST /Users', call, (send, context) => createUserAttempt(send, user, context));
  }

  /** Applies a PatchOp (normalized for strict servers) and returns the user as it is afterwards. */
  async patchUser(id: string, patch: PatchRequest, call: ScimCallOptions = {}): Promise<ScimUser> {
    const body = normalizePatch(patch);
    return this.#run('PATCH /Users/{id}', call, async (send) => {
      const response = await send({ method: 'PATCH', path: userPath(id), body });
      return userAfterWrite(send, response, id, 'PATCH /Users/{id}');
    });
  }

  /**
   * Replaces the user with PUT, after reading it and laying `desired` over it, so attributes we do not
   * manage (Terranova's `role`, extensions, sub-attributes) survive (P5).
   */
  replaceUser<T extends ScimUserInput>(id: string, desired: T, call: ScimCallOptions = {}): Promise<ScimUser> {
    return this.#run('PUT /Users/{id}', call, async (send) => {
      const current = await getById(send, id);
      if (current === undefined) throw notFound('PUT /Users/{id}');
      const response = await send({ method: 'PUT', path: userPath(id), body: userBody(mergeForReplace(current, desired)) });
      return userAfterWrite(send, response, id, 'PUT /Users/{id}');
    });
  }

  /** Deletes the user; a 404 means it is gone already, which is success (P21). */
  deleteUser(id: string, call: ScimCallOptions = {}): Promise<'deleted' | 'absent'> {
    return this.#run('DELETE /Users/{id}', call, async (send) => {
      try {
        await send({ method: 'DELETE', path: userPath(id) });
        return 'deleted' as const;
      } catch (error) {
        if (isScimErrorCode(error, SCIM_ERROR_CODES.notFound)) return 'absent' as const;
        throw error;
      }
    });
  }

  /** Every user, page by page (each page retried on its own); always ends (P12). */
  listUsers(call: ScimCallOptions = {}): AsyncGenerator<ScimUser> {
    const fetchPage = (startIndex: number, count: number) =>
      this.#run('GET /Users', call, async (send) =>
        readUserPage((await send({ method: 'GET', path: '/Users', query: { startIndex, count } })).body, 'GET /Users'));
    return paginateUsers(fetchPage, this.#limits, this.#logger);
  }

  /** {@link listUsers} collected into an array. */
  async listAllUsers(call: ScimCallOptions = {}): Promise<ScimUser[]> {
    const users: ScimUser[] = [];
    for await (const user of this.listUsers(call)) users.push(user);
    return users;
  }

  /**
   * Checks base URL and token like an IdP's "verify integration" step: one `GET /Users?count=1`, no retries.
   * Never throws for a reachable-or-not problem; says which one it is.
   */
  async verify(call: Omit<ScimCallOptions, 'retry'> = {}): Promise<VerifyResult> {
    const once: ScimCallOptions = { ...call, retry: false };
    let result: VerifyResult;
    try {
      result = await this.#run('GET /Users', once, async (send) =>
        verifyListAnswer(await send({ method: 'GET', path: '/Users', query: { startIndex: 1, count: 1 } }), this.#where));
    } catch (error) {
      return verifyFailure(error, this.#where);
    }
    if (!result.ok) return result;
    const config = await this.#run('GET /ServiceProviderConfig', once, (send) => send({ method: 'GET', path: '/ServiceProviderConfig' })).catch(() => undefined);
    return { ...result, patchSupported: config === undefined ? undefined : patchSupportedHint(config) };
  }

  /** Closes the client's own connection pool (a dispatcher passed in is the caller's to close). */
  async close(): Promise<void> {
    await this.#ownAgent?.close();
  }

  #run<T>(label: string, call: ScimCallOptions, operation: (send: Send, context: AttemptContext) => Promise<T>): Promise<T> {
    const stats = call.stats ?? createCallStats();
    const send: Send = (request) => {
      stats.requests += 1;
      return this.#transport.send(call.signal === undefined ? request : { ...request, signal: call.signal });
    };
    const policy = call.retry === false ? false : { ...this.#retry, ...call.retry };
    return runWithRetry(
      { policy, label, stats, logger: this.#logger, signal: call.signal, onRateLimited: this.#onRateLimited },
      (context) => operation(send, context),
    );
  }
}
