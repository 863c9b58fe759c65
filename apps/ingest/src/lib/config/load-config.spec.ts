import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '@provisioning/config';
import { loadIngestConfig, resolveIngestConfig } from './load-config.ts';

const tenant = (id: string, org: string) => ({ tenantId: id, orgId: org, applicationId: 'app', apiKey: { env: `KEY_${id}` } });
const valid = {
  kafka: { brokers: ['127.0.0.1:9092'] },
  redis: { url: 'redis://127.0.0.1:6379' },
  tenants: [tenant('acme', 'o1'), { ...tenant('globex', 'o2'), apiKey: { file: 'PLACEHOLDER' }, insightsBaseUrl: 'http://127.0.0.1:8082' }],
};

describe('ingest > config', () => {
  let dir: string;
  let keyFile: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ingest-config-'));
    keyFile = join(dir, 'globex.key');
    await writeFile(keyFile, 'globex-secret\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fills defaults, reads secrets from env and files, and settles base URLs per tenant', async () => {
    const input = { ...valid, tenants: [valid.tenants[0], { ...valid.tenants[1], apiKey: { file: keyFile } }] };
    const config = await resolveIngestConfig(input, 'test', { KEY_acme: 'acme-secret' });
    expect(config.tenants.map((t) => [t.apiKey, t.apiBaseUrl, t.insightsBaseUrl])).toEqual([
      ['acme-secret', 'https://console.jumpcloud.com', 'https://api.jumpcloud.com'],
      ['globex-secret', 'https://console.jumpcloud.com', 'http://127.0.0.1:8082'],
    ]);
    expect(config.poll).toMatchObject({ intervalMs: 5_000, overlapMs: 2_000, lagMs: 30_000, pageSize: 1_000 });
    expect(config.kafka.topic).toBe('jumpcloud.user-changes.v1');
    expect(Object.isFrozen(config.tenants[0])).toBe(true);
  });

  it('lists every problem of a bad file at once, secrets included', async () => {
    const path = join(dir, 'bad.json');
    const bad = {
      kafka: { brokers: [] },
      redis: { url: 'http://nope' },
      poll: { pageSize: 20_000 },
      lease: { ttlMs: 1_000, renewIntervalMs: 900 },
      tenants: [tenant('acme', 'o1'), tenant('acme', 'o1'), { ...tenant('bad:id', 'o3'), apiKey: 'plain-text-key' }],
      extra: true,
    };
    await writeFile(path, JSON.stringify(bad));
    const error = await loadIngestConfig(path, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const expected of ['kafka.brokers', 'redis.url', 'poll.pageSize', 'renewIntervalMs', 'tenants.1.tenantId', 'tenants.1.orgId', 'tenants.2.tenantId', 'tenants.2.apiKey', 'extra']) {
      expect(problems).toContain(expected);
    }
  });

  it('names every secret it cannot read', async () => {
    const input = { ...valid, tenants: [valid.tenants[0], { ...valid.tenants[1], apiKey: { file: join(dir, 'missing') }, webhookSecret: { env: 'HOOK' } }] };
    const error = (await resolveIngestConfig(input, 'test', {}).catch((e: unknown) => e)) as ConfigError;
    expect(error.problems).toEqual([
      'tenants.0.apiKey: environment variable KEY_acme is not set',
      expect.stringMatching(/^tenants\.1\.apiKey: cannot read secret file/),
      'tenants.1.webhookSecret: environment variable HOOK is not set',
    ]);
    expect(JSON.stringify(error.problems)).not.toContain('secret-value');
  });

  it('reads the example config shipped with the app', async () => {
    const example = join(import.meta.dirname, '..', '..', '..', 'ingest.example.json');
    const webhookFile = join(dir, 'acme-webhook');
    await writeFile(webhookFile, 'hook');
    const text = (await readFile(example, 'utf8')).replace('/run/secrets/acme-webhook-secret', webhookFile);
    const copy = join(dir, 'example.json');
    await writeFile(copy, text);
    const config = await loadIngestConfig(copy, { ACME_JUMPCLOUD_API_KEY: 'a', GLOBEX_JUMPCLOUD_API_KEY: 'g' });
    expect(config.tenants.map((t) => [t.tenantId, Boolean(t.webhookSecret)])).toEqual([['acme', true], ['globex', false]]);
  });
});
