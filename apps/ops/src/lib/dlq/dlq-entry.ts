import type { IHeaders } from 'kafkajs';
import { DLQ_HEADERS } from '@provisioning/schemas';
import type { TopicRecord } from '../kafka/read-topic.ts';

/** A DLQ message as an operator sees it: where it came from, why it failed, and the original payload. */
export interface DlqEntry {
  /** `partition:offset` in the DLQ topic; what `dlq redrive --entry` takes. */
  id: string;
  partition: number;
  offset: string;
  key: string | undefined;
  value: string | undefined;
  errorCode: string | undefined;
  errorMessage: string | undefined;
  attempts: string | undefined;
  failedAt: string | undefined;
  original: { topic: string | undefined; partition: string | undefined; offset: string | undefined };
  /** The original headers, without the DLQ's own. */
  headers: Record<string, string>;
}

function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}

const DLQ_HEADER_NAMES = new Set<string>(Object.values(DLQ_HEADERS));

export function toDlqEntry({ partition, message }: TopicRecord): DlqEntry {
  const headers = message.headers ?? {};
  const originalHeaders = Object.fromEntries(
    Object.keys(headers)
      .filter((name) => !DLQ_HEADER_NAMES.has(name))
      .map((name) => [name, headerText(headers, name) ?? '']),
  );
  return {
    id: `${partition}:${message.offset}`,
    partition,
    offset: message.offset,
    key: message.key?.toString(),
    value: message.value?.toString(),
    errorCode: headerText(headers, DLQ_HEADERS.errorCode),
    errorMessage: headerText(headers, DLQ_HEADERS.errorMessage),
    attempts: headerText(headers, DLQ_HEADERS.attempts),
    failedAt: headerText(headers, DLQ_HEADERS.failedAt),
    original: {
      topic: headerText(headers, DLQ_HEADERS.originalTopic),
      partition: headerText(headers, DLQ_HEADERS.originalPartition),
      offset: headerText(headers, DLQ_HEADERS.originalOffset),
    },
    headers: originalHeaders,
  };
}
