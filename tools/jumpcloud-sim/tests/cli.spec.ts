import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTenantArg } from '../src/cli.ts';
import { fixtureDir } from './support.ts';

describe('jumpcloud-sim > CLI', () => {
  it('reads --tenant <id>=<dir>:<key>', () => {
    expect(parseTenantArg('acme=/f/acme:k:ey', undefined)).toEqual({ tenantId: 'acme', fixtureDir: '/f/acme:k', apiKey: 'ey' });
    expect(() => parseTenantArg('acme', undefined)).toThrow(/expected/);
    expect(() => parseTenantArg('acme=/f:k', 'live')).toThrow(/--events/);
  });

  it('starts on the given port, prints where it listens, serves the API and stops on SIGTERM', async () => {
    const cli = join(import.meta.dirname, '..', 'src', 'cli.ts');
    const child = spawn(process.execPath, [cli, '--port', '0', '--tenant', `globex=${fixtureDir('globex')}:gk`, '--apply-all'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const { listening, tenants } = JSON.parse(line) as { listening: string; tenants: { timeline: { applied: number; total: number } }[] };
    expect(tenants[0]?.timeline.applied).toBe(tenants[0]?.timeline.total);
    const response = await fetch(`${listening}/api/systemusers`, { headers: { 'x-api-key': 'gk' } });
    expect(response.status).toBe(200);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
  });
});
