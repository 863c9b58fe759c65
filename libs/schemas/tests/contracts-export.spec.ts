import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import asyncApiSpecs from '@asyncapi/specs';
import { Ajv, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import {
  changeHeadersV1Schema,
  dlqHeadersV1Schema,
  provisioningResultV1Schema,
  TOPICS,
  toChangeHeaders,
  toDlqHeaders,
  userChangeEventV1Schema,
  type ProvisioningResultV1,
  type UserChangeEventV1,
} from '../src/index.ts';
import { CONTRACTS_DIRECTORY, contractDocuments } from '../src/lib/export/contract-documents.ts';

// ajv-formats is CommonJS: under Node's ESM interop its plugin is the `default` of the module object.
const addFormats = ajvFormats.default;
const directory = resolve(import.meta.dirname, '..', CONTRACTS_DIRECTORY);
const generated = contractDocuments();

function committed(name: string): unknown {
  return JSON.parse(readFileSync(join(directory, name), 'utf8')) as unknown;
}

describe('the committed contract documents', () => {
  it('are exactly what the zod schemas generate (run `npm run export -w @provisioning/schemas` after a change)', () => {
    expect(readdirSync(directory).sort()).toEqual([...generated.keys()].sort());
    for (const [name, content] of generated) {
      expect(readFileSync(join(directory, name), 'utf8'), name).toBe(content);
    }
  });
});

const event: UserChangeEventV1 = {
  schemaVersion: 1, eventId: 'e1', tenantId: 'acme', userId: 'u1', source: 'snapshot',
  occurredAt: '2026-11-23T08:09:07.683886050Z', observedAt: '2026-11-23T08:09:08Z', bound: true, deleted: false,
  user: { username: 'ann', email: 'ann@example.com', state: 'ACTIVATED', suspended: false, preferredLanguage: 'fr_ca' },
};
const result: ProvisioningResultV1 = {
  schemaVersion: 1, eventId: 'e1', tenantId: 'acme', userId: 'u1', userName: 'ann', action: 'create', outcome: 'applied',
  httpStatus: 201, attempts: 1, startedAt: '2026-11-23T08:09:08Z', finishedAt: '2026-11-23T08:09:09Z', latencyMs: 1000,
};
const headers = toDlqHeaders({
  errorCode: 'SCHEMA_INVALID', errorMessage: 'bad', attempts: 1, originalTopic: TOPICS.userChanges, originalPartition: 0, originalOffset: '7',
});

/** Values both validators must judge alike: what another language's consumer sees is what zod enforces. */
const samples = {
  'user-change-event.v1.schema.json': {
    zod: userChangeEventV1Schema,
    values: [
      event,
      { ...event, deleted: true, user: { username: 'gone' } },
      { ...event, extra: true },
      { ...event, user: { username: 'ann' } },
      { ...event, tenantId: 'a:b' },
      { ...event, schemaVersion: 2 },
      { ...event, observedAt: '2026-11-23 08:09:08' },
      { ...event, source: 'scim' },
    ],
  },
  'provisioning-result.v1.schema.json': {
    zod: provisioningResultV1Schema,
    values: [
      result,
      { ...result, outcome: 'done' },
      { ...result, attempts: -1 },
      { ...result, secret: 'x' },
      { ...result, scimCalls: [{ operation: 'create', method: 'POST', path: '/Users', outcome: 'ok', durationMs: 4 }] },
      { ...result, scimCalls: [{ operation: 'create', method: 'POST', path: '/Users', outcome: 'ok' }] },
    ],
  },
  'dlq-headers.v1.schema.json': {
    zod: dlqHeadersV1Schema,
    values: [headers, { ...headers, other: 'kept' }, { ...headers, 'dlq-original-offset': 'x' }, {}],
  },
  'change-headers.v1.schema.json': {
    zod: changeHeadersV1Schema,
    values: [toChangeHeaders({ id: 'e1', deprovisions: 17, boundUsers: 126 }), {}, { 'event-id': 'e1' }, { 'change-deprovisions': 'many' }],
  },
};

function compile(name: string): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(committed(name) as object);
}

describe('the JSON Schemas', () => {
  it.each(Object.entries(samples))('%s judges every sample as the zod schema does', (name, { zod, values }) => {
    const validate = compile(name);
    const verdicts = values.map((value) => [validate(value), zod.safeParse(value).success]);
    expect(verdicts.every(([jsonSchema, zodVerdict]) => jsonSchema === zodVerdict)).toBe(true);
    expect(verdicts.some(([verdict]) => verdict) && verdicts.some(([verdict]) => !verdict)).toBe(true);
  });
});

describe('the AsyncAPI document', () => {
  const document = committed('asyncapi.json') as {
    channels: Record<string, { address: string }>;
    components: { messages: Record<string, { bindings: { kafka: { key: { pattern: string } } } }> };
  };

  it('is a valid AsyncAPI 3.0.0 document', () => {
    const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false, meta: false });
    addFormats(ajv);
    const validate = ajv.compile(asyncApiSpecs.schemas['3.0.0'] as object);
    expect(validate(document), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    // The validator has teeth: AsyncAPI 2's `publish` is no action in AsyncAPI 3.
    const broken = { ...document, operations: { old: { action: 'publish', channel: { $ref: '#/channels/userChanges' } } } };
    expect(validate(broken)).toBe(false);
  });

  it('describes the three topics with the tenant:user key', () => {
    expect(Object.values(document.channels).map((channel) => channel.address).sort()).toEqual(Object.values(TOPICS).sort());
    for (const message of Object.values(document.components.messages)) {
      expect(new RegExp(message.bindings.kafka.key.pattern).test('acme:873c59eafea12777a80e4062')).toBe(true);
    }
  });

  it('resolves every local $ref', () => {
    const refs = JSON.stringify(document).match(/"\$ref":"#\/[^"]+"/g) ?? [];
    for (const ref of refs) {
      const pointer = ref.slice(10, -1).split('/').map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
      const target = pointer.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
      expect(target, ref).toBeDefined();
    }
    expect(refs.length).toBeGreaterThan(5);
  });
});
