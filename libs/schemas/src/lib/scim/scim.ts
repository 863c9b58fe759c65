import { z } from 'zod';
import { absent, canonicalKeys, lenientBooleanSchema, lenientSchemasSchema, stringOrNumberSchema } from './lenient.ts';

/** The SCIM 2.0 schema URNs we send and read. */
export const SCIM_SCHEMA_URNS = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  searchRequest: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

/** One element of a multi-valued `emails` attribute. */
export const scimEmailSchema = z.preprocess(
  canonicalKeys(['value', 'type', 'primary', 'display']),
  z.looseObject({
    value: z.string(),
    type: absent(z.string()),
    primary: absent(lenientBooleanSchema),
    display: absent(z.string()),
  }),
);

export const scimNameSchema = z.preprocess(
  canonicalKeys(['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix']),
  z.looseObject({
    formatted: absent(z.string()),
    familyName: absent(z.string()),
    givenName: absent(z.string()),
    middleName: absent(z.string()),
  }),
);

const USER_ATTRIBUTES = [
  'schemas', 'id', 'externalId', 'userName', 'name', 'displayName', 'emails', 'active', 'preferredLanguage',
  'locale', 'timezone', 'meta',
] as const;

/**
 * A SCIM User as servers send it: unknown attributes (Terranova's `role`, extensions) are kept, attribute
 * names are matched case-insensitively, `id` may be a number, `active` may be a string, nulls read as absent.
 * Also accepts our own POST/PUT bodies (no `id`).
 */
export const scimUserSchema = z.preprocess(
  canonicalKeys(USER_ATTRIBUTES),
  z.looseObject({
    schemas: absent(lenientSchemasSchema),
    id: absent(stringOrNumberSchema),
    externalId: absent(z.string()),
    userName: z.string().min(1),
    name: absent(scimNameSchema),
    displayName: absent(z.string()),
    emails: absent(z.array(scimEmailSchema)),
    active: absent(lenientBooleanSchema),
    preferredLanguage: absent(z.string()),
    locale: absent(z.string()),
    timezone: absent(z.string()),
    meta: absent(z.looseObject({ resourceType: absent(z.string()), version: absent(z.string()) })),
  }),
);

/**
 * A ListResponse of `resource` items. `Resources` may be absent (or spelled `resources`) when nothing matched
 * and reads as `[]`; `itemsPerPage`/`startIndex` are optional; numbers may come as numeric strings.
 */
export function scimListResponseOf<T extends z.ZodType>(resource: T) {
  const count = z.coerce.number().int().min(0);
  return z.preprocess(
    canonicalKeys(['schemas', 'totalResults', 'Resources', 'itemsPerPage', 'startIndex']),
    z.looseObject({
      schemas: absent(lenientSchemasSchema),
      totalResults: count,
      Resources: absent(z.array(resource)).transform((items): z.output<T>[] => items ?? []),
      itemsPerPage: absent(count),
      startIndex: absent(count),
    }),
  );
}

/** A ListResponse of Users (`GET /Users?filter=…`). */
export const scimListResponseSchema = scimListResponseOf(scimUserSchema);

export const SCIM_PATCH_OPS = ['add', 'remove', 'replace'] as const;

/** One PATCH operation; `op` is read in any case (Entra sends `Replace`) and always output lowercase. */
export const scimPatchOperationSchema = z
  .preprocess(
    canonicalKeys(['op', 'path', 'value']),
    z.object({
      op: z.preprocess((op) => (typeof op === 'string' ? op.toLowerCase() : op), z.enum(SCIM_PATCH_OPS)),
      path: z.string().min(1).optional(),
      value: z.unknown().optional(),
    }),
  )
  .refine((operation) => operation.op !== 'remove' || operation.path !== undefined, {
    message: 'a remove operation needs a path (noTarget)',
    path: ['path'],
  });

/** A PatchOp request: the PatchOp URN in `schemas`, and at least one operation (never an empty list). */
export const scimPatchRequestSchema = z.preprocess(
  canonicalKeys(['schemas', 'Operations']),
  z.object({
    schemas: lenientSchemasSchema.refine(
      (urns) => urns.some((urn) => urn.toLowerCase() === SCIM_SCHEMA_URNS.patchOp.toLowerCase()),
      { message: `schemas must contain ${SCIM_SCHEMA_URNS.patchOp}` },
    ),
    Operations: z.array(scimPatchOperationSchema).min(1),
  }),
);

/** A SCIM error body; `status` may be a number or a string (read as a string), `schemas` may be missing. */
export const scimErrorSchema = z.preprocess(
  canonicalKeys(['schemas', 'status', 'scimType', 'detail']),
  z.looseObject({
    schemas: absent(lenientSchemasSchema),
    status: absent(stringOrNumberSchema),
    scimType: absent(z.string()),
    detail: absent(z.string()),
  }),
);

export type ScimEmail = z.output<typeof scimEmailSchema>;
export type ScimName = z.output<typeof scimNameSchema>;
export type ScimUser = z.output<typeof scimUserSchema>;
export type ScimListResponse<T = ScimUser> = Omit<z.output<typeof scimListResponseSchema>, 'Resources'> & {
  Resources: T[];
};
export type ScimPatchOperation = z.output<typeof scimPatchOperationSchema>;
export type ScimPatchRequest = z.output<typeof scimPatchRequestSchema>;
export type ScimError = z.output<typeof scimErrorSchema>;
