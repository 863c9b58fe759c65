import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** What the probes report. */
export interface HealthSource {
  /** Problems that make the process useless (a consumer that crashed for good); empty when alive. */
  liveness(): string[];
  /** Reasons not to send traffic yet (not joined, Redis down, stopping); empty when ready. */
  readiness(): string[];
}

export interface OpsServer {
  url: string;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: string, type = 'application/json'): void {
  response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  response.end(body);
}

function probe(response: ServerResponse, problems: string[]): void {
  send(response, problems.length === 0 ? 200 : 503, JSON.stringify({ status: problems.length === 0 ? 'ok' : 'fail', problems }));
}

async function route(request: IncomingMessage, response: ServerResponse, health: HealthSource, registry: Registry): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  if (request.method !== 'GET') return send(response, 405, JSON.stringify({ error: 'only GET' }));
  if (path === '/healthz') return probe(response, health.liveness());
  if (path === '/readyz') return probe(response, health.readiness());
  if (path === '/metrics') return send(response, 200, await registry.metrics(), registry.contentType);
  send(response, 404, JSON.stringify({ error: 'not found', paths: ['/healthz', '/readyz', '/metrics'] }));
}

/** Liveness (`/healthz`), readiness (`/readyz`) and Prometheus metrics (`/metrics`) on one HTTP port. */
export async function startOpsServer(host: string, port: number, health: HealthSource, registry: Registry): Promise<OpsServer> {
  const server: Server = createServer((request, response) => {
    route(request, response, health, registry).catch((error: unknown) => send(response, 500, JSON.stringify({ error: String(error) })));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
