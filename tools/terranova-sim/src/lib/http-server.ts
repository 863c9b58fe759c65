import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { handleAdmin } from './admin-routes.ts';
import type { SimAdmin } from './admin.ts';
import { handleScim } from './scim-handler.ts';
import { scimError, type SimResponse } from './scim-response.ts';
import type { Tenant } from './tenant.ts';

const MAX_BODY_BYTES = 1_000_000;
const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

class BodyError extends Error {
  readonly response: SimResponse;
  constructor(response: SimResponse) {
    super(String(response.status));
    this.response = response;
  }
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyError(scimError(413, 'the body is too large'));
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  if (!/json/i.test(req.headers['content-type'] ?? '')) throw new BodyError(scimError(415, 'send application/scim+json or application/json', 'invalidSyntax'));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError(scimError(400, 'the body is not valid JSON', 'invalidSyntax'));
  }
}

function send(res: ServerResponse, response: SimResponse, contentType: string): void {
  const headers: Record<string, string> = { ...response.headers };
  if (response.body === undefined) {
    res.writeHead(response.status, headers).end();
    return;
  }
  headers['content-type'] = contentType;
  res.writeHead(response.status, headers).end(JSON.stringify(response.body));
}

function decodePath(path: string): string {
  return path.split('/').map((segment) => decodeURIComponent(segment)).join('/');
}

function findTenant(admin: SimAdmin, pathname: string): { tenant: Tenant; rest: string } | undefined {
  for (const tenant of admin.tenants) {
    if (pathname.startsWith(`${tenant.basePath}/`)) return { tenant, rest: pathname.slice(tenant.basePath.length) };
  }
  return undefined;
}

/** The HTTP side of the emulator: `/admin/...`, and each tenant's SCIM API below its base path. */
export class SimHttpServer {
  readonly server: Server;
  readonly #admin: SimAdmin;
  readonly #logger: Logger;
  // Aborts pending latency and slow-response waits when the emulator closes, so close() is prompt.
  readonly #closing = new AbortController();

  constructor(admin: SimAdmin, logger: Logger) {
    this.#admin = admin;
    this.#logger = logger;
    this.server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        this.#logger.error({ err: error }, 'terranova-sim: request failed');
        if (!res.headersSent) send(res, scimError(500, 'internal emulator error'), SCIM_CONTENT_TYPE);
      });
    });
    this.server.keepAliveTimeout = 65_000;
  }

  /** Stops accepting, drops open connections and abandons pending waits. */
  async close(): Promise<void> {
    this.#closing.abort();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  async #wait(ms: number): Promise<boolean> {
    try {
      await sleep(ms, undefined, { signal: this.#closing.signal });
      return true;
    } catch {
      return false;
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const method = req.method ?? 'GET';
    let body: unknown;
    try {
      body = await readJsonBody(req);
    } catch (error) {
      if (error instanceof BodyError) return send(res, error.response, SCIM_CONTENT_TYPE);
      throw error;
    }
    if (url.pathname === '/healthz') return send(res, { status: 200, body: { ok: true } }, 'application/json');
    if (url.pathname.startsWith('/admin/')) {
      const answer = handleAdmin(this.#admin, method, decodePath(url.pathname.slice('/admin'.length)), body, url.searchParams);
      return send(res, answer, 'application/json');
    }
    const found = findTenant(this.#admin, url.pathname);
    if (found === undefined) return send(res, scimError(404, 'no SCIM service at this path'), SCIM_CONTENT_TYPE);
    await this.#scim(found.tenant, { method, path: decodePath(found.rest), query: url.searchParams, body }, req, res);
  }

  async #scim(tenant: Tenant, call: Parameters<typeof handleScim>[1], req: IncomingMessage, res: ServerResponse): Promise<void> {
    const faults = tenant.faults;
    const decision = faults?.decide() ?? { kind: 'none' as const };
    if (faults !== undefined && faults.latencyMs > 0 && !(await this.#wait(faults.latencyMs))) return;
    const record = (status: number, userName?: string, fault?: string) =>
      tenant.log.record({ method: call.method, path: call.path, status, userName, fault });
    if (decision.kind === 'reset') {
      record(0, undefined, 'connectionReset');
      req.socket.destroy();
      return;
    }
    if (decision.kind === 'status') {
      record(decision.status, undefined, decision.fault);
      const answer = scimError(decision.status, decision.status === 429 ? 'too many requests' : 'the service failed');
      return send(res, { ...answer, headers: decision.retryAfter === undefined ? {} : { 'retry-after': decision.retryAfter } }, SCIM_CONTENT_TYPE);
    }
    if (!tenant.accepts(req.headers.authorization)) {
      record(401);
      return send(res, { ...scimError(401, 'the bearer token is not valid for this tenant'), headers: { 'www-authenticate': 'Bearer' } }, SCIM_CONTENT_TYPE);
    }
    const answer = handleScim(tenant, call);
    record(answer.status, answer.userName, decision.kind === 'slow' ? 'slowResponse' : undefined);
    if (decision.kind === 'slow' && !(await this.#wait(decision.delayMs))) return;
    if (!res.destroyed) send(res, answer, SCIM_CONTENT_TYPE);
  }
}
