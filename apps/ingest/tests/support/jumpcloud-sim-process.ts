import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** The repo root and the shared fixtures (read-only). */
export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..', '..');
export const FIXTURES_DIR = join(REPO_ROOT, '..', 'shared', 'fixtures', 'jumpcloud');
const SIM_CLI = join(REPO_ROOT, 'tools', 'jumpcloud-sim', 'src', 'cli.ts');

export const SIM_API_KEYS: Record<string, string> = { acme: 'acme-jc-key', globex: 'globex-jc-key' };

export interface SimTenantInfo {
  tenantId: string;
  organization: string;
  timeline: { applied: number; total: number; nextAt?: string };
}

/**
 * The JumpCloud emulator as a separate process (apps may not import tools), driven through its admin API like a
 * real external system.
 */
export interface SimProcess {
  url: string;
  tenants: Record<string, SimTenantInfo>;
  admin<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function startSimProcess(tenantIds: readonly string[], extraArgs: readonly string[] = []): Promise<SimProcess> {
  const args = [SIM_CLI, '--port', '0', ...tenantIds.flatMap((t) => ['--tenant', `${t}=${join(FIXTURES_DIR, t)}:${SIM_API_KEYS[t] ?? 'key'}`]), ...extraArgs];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout as NodeJS.ReadableStream }), 'line')) as [string];
  const started = JSON.parse(line) as { listening: string; tenants: SimTenantInfo[] };
  const url = started.listening;
  return {
    url,
    tenants: Object.fromEntries(started.tenants.map((t) => [t.tenantId, t])),
    admin: async <T>(method: string, path: string, body?: unknown) => {
      const response = await fetch(`${url}/admin${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
      if (!response.ok) throw new Error(`sim admin ${method} ${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    },
    close: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}
