import { scimErrorSchema } from '@provisioning/schemas';
import type { ParsedBody } from './media.ts';

/** What a SCIM error body may tell beyond the status line. */
export interface ErrorBodyFacts {
  scimType?: string;
  detail?: string;
  snippet?: string;
}

function stringField(record: Record<string, unknown>, name: string): string | undefined {
  const value = record[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * Reads `scimType` and `detail` from an error body, best-effort (pitfall P13): `status` may be a number or
 * missing, `schemas` may be absent, and some servers wrap the error (`{ error: {...} }`) or use the SCIM 1.1
 * `{ Errors: [{ description }] }` shape. The HTTP status line stays the truth; this only adds detail.
 */
export function readErrorBody(body: ParsedBody): ErrorBodyFacts {
  if (body.kind === 'empty') return {};
  if (body.kind === 'text') return { snippet: body.snippet };
  const top = asRecord(body.value);
  if (top === undefined) return { snippet: JSON.stringify(body.value).slice(0, 500) };
  const errors = Array.isArray(top['Errors']) ? asRecord(top['Errors'][0]) : undefined;
  const record = asRecord(top['error']) ?? errors ?? top;
  const parsed = scimErrorSchema.safeParse(record);
  const scimType = parsed.success ? parsed.data.scimType : undefined;
  const detail = (parsed.success ? parsed.data.detail : undefined) ?? stringField(record, 'description') ?? stringField(record, 'message');
  const facts: ErrorBodyFacts = {};
  if (scimType !== undefined) facts.scimType = scimType;
  if (detail !== undefined) facts.detail = detail.slice(0, 500);
  return facts;
}
