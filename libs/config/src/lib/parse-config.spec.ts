import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from './config-error.ts';
import { parseConfig, readJsonFile } from './parse-config.ts';
import { resolveSecret, secretRefSchema } from './secrets.ts';

const schema = z
  .object({ port: z.number().int().positive(), name: z.string().min(1), nested: z.object({ url: z.url() }) })
  .strict();

describe('config > parseConfig', () => {
  it('lists every problem, not only the first', () => {
    try {
      parseConfig(schema, { port: -1, nested: { url: 'nope' }, extra: true }, 'test.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems;
      expect(problems.some((p) => p.startsWith('port:'))).toBe(true);
      expect(problems.some((p) => p.startsWith('name:'))).toBe(true);
      expect(problems.some((p) => p.startsWith('nested.url:'))).toBe(true);
      expect(problems.some((p) => p.includes('extra'))).toBe(true);
      expect((error as ConfigError).retriable).toBe(false);
    }
  });

  it('returns a deep-frozen config', () => {
    const config = parseConfig(schema, { port: 1, name: 'a', nested: { url: 'http://x' } }, 'test');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.nested)).toBe(true);
  });
});

describe('config > files and secrets', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'config-spec-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the file when it is not JSON', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '{ nope');
    await expect(readJsonFile(path)).rejects.toThrow(/bad\.json[\s\S]*not valid JSON/);
  });

  it('reads secrets from env or file and explains what is missing', async () => {
    const path = join(dir, 'token');
    await writeFile(path, 's3cret\n');
    expect(await resolveSecret({ file: path }, {})).toEqual({ ok: true, value: 's3cret' });
    expect(await resolveSecret({ env: 'TOKEN' }, { TOKEN: 'abc' })).toEqual({ ok: true, value: 'abc' });
    expect(await resolveSecret({ env: 'TOKEN' }, {})).toEqual({ ok: false, problem: 'environment variable TOKEN is not set' });
    const missing = await resolveSecret({ file: join(dir, 'missing') }, {});
    expect(missing.ok).toBe(false);
  });
});

describe('config > secret references', () => {
  it('says what a secret reference looks like when a file holds the secret itself', () => {
    const schema = z.strictObject({ token: secretRefSchema });
    expect(() => parseConfig(schema, { token: 'plain-text-token' }, 'tenants.json')).toThrow(
      /token: expected a secret reference, \{ "env": "NAME" \} or \{ "file": "\/path" \}, never the secret itself/,
    );
  });
});
