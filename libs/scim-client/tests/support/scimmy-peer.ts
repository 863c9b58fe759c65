import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import SCIMMYRouters, { SCIMMY } from 'scimmy-routers';

type Stored = Record<string, unknown> & { id: string; userName: string };

/** A third-party SCIM 2.0 server (scimmy + scimmy-routers on express), in memory, on a real port. */
export interface ScimmyPeer {
  url: string;
  token: string;
  users: Map<string, Stored>;
  close(): Promise<void>;
}

function notFound(id: unknown): never {
  throw new SCIMMY.Types.Error(404, null as unknown as string, `Resource ${String(id)} not found`);
}

// scimmy's own `eq` is case-sensitive (not RFC-conformant for userName); match userName eq ourselves.
function userNameEq(filter: unknown): string | undefined {
  const expression = (filter as { [index: number]: { userName?: unknown[] } } | undefined)?.[0]?.userName;
  return Array.isArray(expression) && expression[0] === 'eq' && typeof expression[1] === 'string' ? expression[1] : undefined;
}

let declared: Map<string, Stored> | undefined;

// scimmy keeps resource handlers globally, so the peer's handlers are declared once and read the current store.
function declareHandlers(store: () => Map<string, Stored>): void {
  SCIMMY.Resources.declare(SCIMMY.Resources.User)
    .egress((scimmyResource) => {
      const resource = scimmyResource as unknown as { id?: string; filter?: { match(items: Stored[]): Stored[] } };
      const users = store();
      if (resource.id !== undefined) return users.get(resource.id) ?? notFound(resource.id);
      const all = [...users.values()];
      const userName = userNameEq(resource.filter);
      if (userName !== undefined) return all.filter((user) => user.userName.toLowerCase() === userName.toLowerCase());
      return resource.filter === undefined ? all : resource.filter.match(all);
    })
    .ingress((resource, userInstance) => {
      const instance = userInstance as unknown as Record<string, unknown>;
      const users = store();
      const userName = String(instance['userName']).toLowerCase();
      const duplicate = [...users.values()].find((user) => user.userName.toLowerCase() === userName && user.id !== resource.id);
      if (duplicate !== undefined) throw new SCIMMY.Types.Error(409, 'uniqueness', 'userName already exists');
      if (resource.id !== undefined && !users.has(resource.id)) notFound(resource.id);
      const id = resource.id ?? randomUUID();
      const now = new Date().toISOString();
      const created = (users.get(id)?.['meta'] as { created?: string } | undefined)?.created ?? now;
      const record = { ...(JSON.parse(JSON.stringify(instance)) as Record<string, unknown>), id, meta: { created, lastModified: now } } as unknown as Stored;
      users.set(id, record);
      return record as never;
    })
    .degress((resource) => {
      if (resource.id === undefined || !store().delete(resource.id)) notFound(resource.id);
    });
}

export async function startScimmyPeer(token = 'scimmy-peer-token'): Promise<ScimmyPeer> {
  const users = new Map<string, Stored>();
  if (declared === undefined) declareHandlers(() => declared ?? users);
  declared = users;
  const app = express();
  app.use('/scim/v2', new SCIMMYRouters({
    type: 'bearer',
    handler: (req: express.Request) => {
      if (req.header('Authorization') !== `Bearer ${token}`) throw new Error('bad token');
      return 'admin';
    },
  }));
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    token,
    users,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
