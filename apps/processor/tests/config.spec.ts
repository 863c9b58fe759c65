import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@provisioning/config';
import { loadTenants } from '../src/lib/config/tenants-config.ts';
import { ProcessorHarness } from './support/harness.ts';

const MAIN = join(import.meta.dirname, '..', 'src', 'main.ts');
const run = promisify(execFile);

/** Runs main.ts with a config file; resolves with its exit code and stderr. */
async function runMain(configPath: string): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, [MAIN, '--config', configPath], { timeout: 30_000 });
    return { code: 0, stderr: '' };
  } catch (error) {
    const failure = error as { code: number; stderr: string };
    return { code: failure.code, stderr: failure.stderr };
  }
}

describe('processor > configuration', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'processor-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const file = async (name: string, content: unknown) => {
    const path = join(dir, name);
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('a bad config file stops startup and lists every problem', async () => {
    const path = await file('bad.json', {
      kafka: { brokers: [] },
      redis: { url: 'http://not-redis' },
      http: { port: 70_000 },
      engine: { maxInFlight: 0 },
      surprise: true,
    });
    const { code, stderr } = await runMain(path);
    expect(code).toBe(2);
    for (const problem of ['kafka.brokers:', 'redis.url:', 'http.port:', 'engine.maxInFlight:', 'tenantsFile:', 'surprise']) {
      expect(stderr).toContain(problem);
    }
  });

  it('a bad tenants file stops startup and lists every problem, secrets included', async () => {
    const tokenFile = await file('ok.token', 'secret\n');
    await file('tenants.json', {
      tenants: [
        { id: 'acme', terranova: { baseUrl: 'http://127.0.0.1:1/scim/v2', token: { env: 'ACME_TOKEN_NOT_SET' } } },
        { id: 'acme', terranova: { baseUrl: 'ftp://nope', token: { file: tokenFile } }, deprovisionMode: 'shred' },
        { id: 'a:b', terranova: { baseUrl: 'http://127.0.0.1:1', token: { file: join(dir, 'missing.token') } }, rateLimit: { ratePerSecond: -1, burst: 1 } },
      ],
    });
    const config = await file('processor.json', { kafka: { brokers: ['127.0.0.1:9092'] }, redis: { url: 'redis://127.0.0.1:6379' }, tenantsFile: 'tenants.json' });
    const { code, stderr } = await runMain(config);
    expect(code).toBe(2);
    for (const problem of ['tenants.1.id: duplicate tenant id acme', 'tenants.1.terranova.baseUrl:', 'tenants.1.deprovisionMode:', 'tenants.2.id:', 'tenants.2.rateLimit.ratePerSecond:']) {
      expect(stderr).toContain(problem);
    }
    // Secrets are checked once the file itself is valid; then every missing one is listed.
    const secretsOnly = await file('tenants-secrets.json', {
      tenants: [
        { id: 'acme', terranova: { baseUrl: 'http://127.0.0.1:1/scim/v2', token: { env: 'ACME_TOKEN_NOT_SET' } } },
        { id: 'beta', terranova: { baseUrl: 'http://127.0.0.1:1/scim/v2', token: { file: join(dir, 'missing.token') } } },
        { id: 'gamma', terranova: { baseUrl: 'http://127.0.0.1:1/scim/v2', token: { file: tokenFile } } },
      ],
    });
    const error = await loadTenants(secretsOnly, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'tenants.0.terranova.token: environment variable ACME_TOKEN_NOT_SET is not set',
      expect.stringMatching(/^tenants\.1\.terranova\.token: cannot read secret file .*missing\.token: ENOENT$/),
    ]);
    expect(JSON.stringify(error)).not.toContain('secret\n');
  });

  it('SIGHUP reloads the tenants file of a running processor', async () => {
    const harness = await ProcessorHarness.create({ tenants: [{ id: 'acme' }] });
    const configFile = await harness.writeConfigFile({ logLevel: 'info' });
    const child = spawn(process.execPath, [MAIN, '--config', configFile], { stdio: ['ignore', 'pipe', 'ignore'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const opsUrl = () => /"opsUrl":"([^"]+)"/.exec(output)?.[1];
    const reloads = async () => {
      const text = await fetch(`${opsUrl()}/metrics`).then((r) => r.text(), () => '');
      return Number(/processor_tenant_config_reloads_total\{outcome="ok"\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    try {
      await expect.poll(opsUrl, { timeout: 30_000 }).toBeDefined();
      await expect.poll(async () => (await fetch(`${opsUrl()}/readyz`)).status, { timeout: 30_000 }).toBe(200);
      expect(await reloads()).toBe(0);
      child.kill('SIGHUP');
      await expect.poll(reloads, { timeout: 10_000 }).toBe(1);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await harness.close();
    }
  });

  it('a reload with a broken tenants file keeps the tenants in force; a fixed one takes effect', async () => {
    const harness = await ProcessorHarness.create({ tenants: [{ id: 'acme' }] });
    try {
      const processor = await harness.startProcessor();
      await writeFile(harness.tenantsFile, '{ "tenants": [ { "id": 1 } ] }');
      expect(await processor.reloadTenants()).toBe(false);
      await harness.writeTenants([{ id: 'acme', rateLimit: { ratePerSecond: 5, burst: 5 } }]);
      expect(await processor.reloadTenants()).toBe(true);
      const metrics = await (await fetch(`${processor.opsUrl}/metrics`)).text();
      expect(metrics).toMatch(/processor_tenant_config_reloads_total\{outcome="error"\} [1-9]/);
      expect(metrics).toMatch(/processor_tenant_config_reloads_total\{outcome="ok"\} [1-9]/);
    } finally {
      await harness.close();
    }
  });
});
