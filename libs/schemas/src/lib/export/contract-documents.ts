import { z } from 'zod';
import { changeHeadersV1Schema } from '../contracts/change-headers.ts';
import { dlqHeadersV1Schema } from '../contracts/dlq-headers.ts';
import { provisioningResultV1Schema } from '../contracts/provisioning-result.ts';
import { TOPICS } from '../contracts/topics.ts';
import { userChangeEventV1Schema } from '../contracts/user-change-event.ts';

/*
 * The Kafka contracts as JSON Schema and AsyncAPI, for consumers in other languages. Draft-07 is used
 * because it has the widest validator support and AsyncAPI 3 embeds it natively (its Schema Object is
 * a draft-07 superset), so the same schema text appears in both documents.
 */

/** Where the committed documents live, relative to the schemas lib. */
export const CONTRACTS_DIRECTORY = 'contracts';

const JSON_SCHEMA_BASE_ID = 'https://provisioning.local/contracts/';

interface ContractSchema {
  file: string;
  name: string;
  title: string;
  schema: z.ZodType;
}

const CONTRACT_SCHEMAS: readonly ContractSchema[] = [
  { file: 'user-change-event.v1.schema.json', name: 'UserChangeEventV1', title: 'UserChangeEvent v1', schema: userChangeEventV1Schema },
  {
    file: 'provisioning-result.v1.schema.json',
    name: 'ProvisioningResultV1',
    title: 'ProvisioningResult v1',
    schema: provisioningResultV1Schema,
  },
  { file: 'dlq-headers.v1.schema.json', name: 'DlqHeadersV1', title: 'Dead-letter headers v1', schema: dlqHeadersV1Schema },
  { file: 'change-headers.v1.schema.json', name: 'ChangeHeadersV1', title: 'Change headers v1', schema: changeHeadersV1Schema },
];

function jsonSchemaOf(contract: ContractSchema): Record<string, unknown> {
  const { $schema, ...body } = z.toJSONSchema(contract.schema, { target: 'draft-7', io: 'input' });
  return { $schema, $id: `${JSON_SCHEMA_BASE_ID}${contract.file}`, title: contract.title, ...body };
}

/** The message key every topic uses: `<tenantId>:<jumpcloudUserId>`. */
const MESSAGE_KEY_SCHEMA = {
  type: 'string',
  pattern: '^[^:]+:.+$',
  description: 'tenantId:jumpcloudUserId — all events of one user share a partition and stay in order.',
};

function kafkaChannel(topic: string, description: string, message: string, compacted: boolean) {
  const topicConfiguration = compacted ? { 'cleanup.policy': ['compact'] } : { 'cleanup.policy': ['delete'] };
  return {
    address: topic,
    description,
    messages: { [message]: { $ref: `#/components/messages/${message}` } },
    bindings: { kafka: { topic, topicConfiguration, bindingVersion: '0.5.0' } },
  };
}

function message(name: string, title: string, summary: string, extra: Record<string, unknown>) {
  return {
    name,
    title,
    summary,
    contentType: 'application/json',
    bindings: { kafka: { key: MESSAGE_KEY_SCHEMA, bindingVersion: '0.5.0' } },
    ...extra,
  };
}

function operation(action: 'send' | 'receive', channel: string, messageName: string, summary: string) {
  return {
    action,
    summary,
    channel: { $ref: `#/channels/${channel}` },
    messages: [{ $ref: `#/channels/${channel}/messages/${messageName}` }],
  };
}

function asyncApiDocument(schemas: Record<string, Record<string, unknown>>): Record<string, unknown> {
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'JumpCloud to Terranova provisioning',
      version: '1.0.0',
      description:
        'Whole-state JumpCloud user events, the provisioning result of each, and the dead letters the processor ' +
        'could never apply. Topics carry their major version; a v2 contract gets its own topics.',
    },
    defaultContentType: 'application/json',
    channels: {
      userChanges: kafkaChannel(TOPICS.userChanges, 'The current JumpCloud state of each affected user; log-compactable.', 'UserChangeEvent', true),
      provisioningResults: kafkaChannel(TOPICS.results, 'One result per consumed user-change event.', 'ProvisioningResult', false),
      deadLetters: kafkaChannel(TOPICS.dlq, 'User-change events that can never be applied, with the reason.', 'DeadLetter', false),
    },
    operations: {
      publishUserChanges: operation('send', 'userChanges', 'UserChangeEvent', 'ingest publishes user states'),
      consumeUserChanges: operation('receive', 'userChanges', 'UserChangeEvent', 'the processor applies them to Terranova'),
      publishResults: operation('send', 'provisioningResults', 'ProvisioningResult', 'the processor reports every event'),
      publishDeadLetters: operation('send', 'deadLetters', 'DeadLetter', 'the processor parks what it cannot apply'),
    },
    components: {
      schemas,
      messages: {
        UserChangeEvent: message('UserChangeEvent', 'UserChangeEvent v1', 'A user\'s whole current JumpCloud state.', {
          headers: { $ref: '#/components/schemas/ChangeHeadersV1' },
          payload: { $ref: '#/components/schemas/UserChangeEventV1' },
        }),
        ProvisioningResult: message('ProvisioningResult', 'ProvisioningResult v1', 'What the processor did for one event.', {
          payload: { $ref: '#/components/schemas/ProvisioningResultV1' },
        }),
        DeadLetter: message('DeadLetter', 'Dead letter v1', 'The original key, value and headers, plus the DLQ headers.', {
          headers: { $ref: '#/components/schemas/DlqHeadersV1' },
          payload: { description: 'The original value, byte for byte; it may be invalid, which is often why it is here.' },
        }),
      },
    },
  };
}

function serialize(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Every committed contract document, file name → exact file content, generated from the zod schemas. */
export function contractDocuments(): Map<string, string> {
  const documents = new Map<string, string>();
  const componentSchemas: Record<string, Record<string, unknown>> = {};
  for (const contract of CONTRACT_SCHEMAS) {
    const schema = jsonSchemaOf(contract);
    documents.set(contract.file, serialize(schema));
    const { $schema: _dialect, $id: _id, ...embedded } = schema;
    componentSchemas[contract.name] = embedded;
  }
  documents.set('asyncapi.json', serialize(asyncApiDocument(componentSchemas)));
  return documents;
}
