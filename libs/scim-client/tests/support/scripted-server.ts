import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the scripted server received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What the server does with one request. */
export type ScriptedAnswer =
  | { status: number; headers?: Record<string, string>; body?: unknown; raw?: string }
  | 'reset'
  | 'hang';

export type Responder = (request: ReceivedRequest) => ScriptedAnswer;

/**
 * A real HTTP server that answers from a script, for the failure modes a well-behaved emulator never
 * produces (HTML errors, lowercase keys, 415, echoing headers). Answers are taken in order; the last one
 * repeats.
 */
export interface ScriptedServer {
  url: string;
  requests: ReceivedRequest[];
  script(...responders: (Responder | ScriptedAnswer)[]): void;
  close(): Promise<void>;
}

function write(res: ServerResponse, answer: Exclude<ScriptedAnswer, 'reset' | 'hang'>): void {
  const headers: Record<string, string> = { ...answer.headers };
  let text = answer.raw;
  if (text === undefined && answer.body !== undefined) {
    text = JSON.stringify(answer.body);
    headers['content-type'] ??= 'application/scim+json';
  }
  res.writeHead(answer.status, headers).end(text);
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  let responders: (Responder | ScriptedAnswer)[] = [{ status: 500 }];
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: ReceivedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() };
      requests.push(received);
      const next = responders.length > 1 ? responders.shift() : responders[0];
      const answer = typeof next === 'function' ? next(received) : (next ?? { status: 500 });
      if (answer === 'reset') req.socket.destroy();
      else if (answer !== 'hang') write(res, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    requests,
    script: (...next) => {
      responders = next;
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** A pino destination that keeps every line, to assert on what was logged. */
export function captureLines(): { stream: { write(line: string): void }; lines: string[] } {
  const lines: string[] = [];
  return { stream: { write: (line: string) => void lines.push(line) }, lines };
}

/** A SCIM user body as servers return it. */
export function scimUser(id: string, userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id, userName, active: true, ...extra };
}

/** A ListResponse. */
export function listOf(users: unknown[], total = users.length): Record<string, unknown> {
  return { schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: total, Resources: users };
}
