import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configReferenceMarkdown, configReferenceRows } from './config-reference.ts';
import { secretRefSchema } from './secrets.ts';

const schema = z.strictObject({
  port: z.int().default(8080).describe('where it listens'),
  kafka: z.strictObject({ brokers: z.array(z.string()).min(1) }),
  tenants: z.array(z.strictObject({ id: z.string().describe('tenant id'), token: secretRefSchema, mode: z.enum(['a', 'b']).default('a') })),
});

describe('config > reference', () => {
  it('lists every key with its type, default and description, through nested objects and lists', () => {
    const rows = configReferenceRows(schema);
    expect(rows.map((row) => row.key)).toEqual(['port', 'kafka', 'kafka.brokers', 'tenants', 'tenants[].id', 'tenants[].token', 'tenants[].mode']);
    expect(rows.find((row) => row.key === 'port')).toMatchObject({ type: 'integer', default: '`8080`', description: 'where it listens' });
    expect(rows.find((row) => row.key === 'tenants[].token')?.type).toMatch(/secret/);
    expect(rows.find((row) => row.key === 'tenants[].mode')?.type).toBe('`"a"` \\| `"b"`');
    expect(rows.find((row) => row.key === 'kafka.brokers')).toMatchObject({ required: true, default: '' });
  });

  it('renders a Markdown table', () => {
    const markdown = configReferenceMarkdown(schema);
    expect(markdown.split('\n')[0]).toBe('| key | type | required | default | description |');
    expect(markdown).toContain('| `tenants[].id` | string | yes |  | tenant id |');
  });
});
