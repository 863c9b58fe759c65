import { SCIM_ERROR_CODES } from './error-table.ts';
import { ScimRequestError } from './scim-request-error.ts';

/** The PatchOp message URN (RFC 7644 §3.5.2). */
export const PATCH_OP_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** One PATCH operation as callers give it. */
export interface PatchOperation {
  op: string;
  path?: string | undefined;
  value?: unknown;
}

/** The PATCH body as callers give it; `schemas` is filled in when missing. */
export interface PatchRequest {
  schemas?: readonly string[] | undefined;
  Operations: readonly PatchOperation[];
}

/** The PATCH body as sent: lowercase ops, explicit paths, JSON booleans, the PatchOp URN. */
export interface NormalizedPatchRequest {
  schemas: [typeof PATCH_OP_URN];
  Operations: PatchOperation[];
}

const OPS = new Set(['add', 'remove', 'replace']);

function booleanFor(path: string, value: unknown): unknown {
  if (path.toLowerCase() !== 'active' || typeof value !== 'string') return value;
  const lowered = value.trim().toLowerCase();
  return lowered === 'true' ? true : lowered === 'false' ? false : value;
}

function refuse(reason: string): never {
  throw new ScimRequestError(`refusing to send PATCH: ${reason}`, { code: SCIM_ERROR_CODES.invalidRequest, retriable: false });
}

// A pathless add/replace becomes one operation per attribute with an explicit path, because several servers
// ignore dotted keys inside a pathless `value` (pitfall P3).
function splitPathless(op: string, value: unknown): PatchOperation[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse(`pathless ${op} needs an object value`);
  return Object.entries(value).map(([path, inner]) => ({ op, path, value: booleanFor(path, inner) }));
}

function normalizeOperation(operation: PatchOperation): PatchOperation[] {
  const op = operation.op.toLowerCase();
  if (!OPS.has(op)) refuse(`unknown op "${operation.op}"`);
  if (operation.path === undefined || operation.path === '') {
    if (op === 'remove') refuse('remove needs a path');
    return splitPathless(op, operation.value);
  }
  if (op === 'remove') return [{ op, path: operation.path }];
  return [{ op, path: operation.path, value: booleanFor(operation.path, operation.value) }];
}

/**
 * Makes a PATCH body safe for strict servers: ops in lowercase (P2), one op per attribute with a path (P3),
 * `active` as a JSON boolean (P1), the PatchOp URN present. Refuses an empty PatchOp (P17): the caller
 * should not call at all when nothing changed.
 */
export function normalizePatch(patch: PatchRequest): NormalizedPatchRequest {
  const operations = patch.Operations.flatMap(normalizeOperation);
  if (operations.length === 0) refuse('no operations (compute a diff and skip the call when nothing changed)');
  return { schemas: [PATCH_OP_URN], Operations: operations };
}
