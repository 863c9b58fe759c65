import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXTURES_DIR, REPO_ROOT } from './support/jumpcloud-sim-process.ts';
import { useTestResources } from './support/test-bed.ts';
import { readTopic } from './support/topic-reader.ts';

const MAIN = join(REPO_ROOT, 'apps', 'ingest', 'src', 'main.ts');

async function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  return { code, stdout, stderr };
}

describe('ingest > command line', () => {
  const resources = useTestResources();
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ingest-cli-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to start on a bad config and lists every problem', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, JSON.stringify({ kafka: { brokers: [] }, redis: { url: 'nope' }, tenants: [{ tenantId: 'a', orgId: 'o', applicationId: 'x', apiKey: { env: 'MISSING_KEY' } }] }));
    const result = await run(['--config', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('kafka.brokers');
    expect(result.stderr).toContain('redis.url');
    const secrets = join(dir, 'secrets.json');
    await writeFile(secrets, JSON.stringify({ kafka: { brokers: ['127.0.0.1:9092'] }, redis: { url: 'redis://127.0.0.1:6379' }, tenants: [{ tenantId: 'a', orgId: 'o', applicationId: 'x', apiKey: { env: 'MISSING_KEY' } }] }));
    const missing = await run(['--config', secrets]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('tenants.0.apiKey: environment variable MISSING_KEY is not set');
    expect((await run(['import', '--config', secrets, '--tenant', 'a'])).stderr).toContain('import needs --file');
  });

  it('runs snapshot and import from the command line and prints a JSON summary', async () => {
    const bed = await resources.bed(['globex']);
    const path = join(dir, 'ingest.json');
    await writeFile(path, JSON.stringify(bed.configInput()));
    const snapshot = await run(['snapshot', '--config', path, '--tenant', 'globex', '--run-id', 'cli'], bed.env);
    expect(snapshot.code).toBe(0);
    const summary = JSON.parse(snapshot.stdout) as { command: string; runId: string; users: number; bound: number };
    expect(summary).toMatchObject({ command: 'snapshot', runId: 'cli' });
    expect(summary.users).toBeGreaterThan(0);
    await bed.sim.admin('POST', '/tenants/globex/timeline/all');
    const imported = await run(['import', '--config', path, '--tenant', 'globex', '--file', join(FIXTURES_DIR, 'globex', 'directory-insights-events.json')], bed.env);
    expect(imported.code).toBe(0);
    const importSummary = JSON.parse(imported.stdout) as { published: number; duplicates: number };
    expect(importSummary.duplicates).toBeGreaterThan(0);
    const messages = await readTopic(bed.kafka, bed.topic);
    expect(messages.filter((m) => m.event.source === 'snapshot')).toHaveLength(summary.users);
    expect(messages.filter((m) => m.event.source === 'import')).toHaveLength(importSummary.published);
  });
});
