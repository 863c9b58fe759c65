import { z } from 'zod';

/*
 * Building blocks for reading what real SCIM servers send rather than only what RFC 7643/7644 allow
 * (see the interoperability pitfalls: string booleans, numeric ids and statuses, lowercase keys, nulls).
 */

/** A value that may be null or missing on the wire; both read as `undefined` (RFC 7643 §2.5). */
export function absent<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value): z.output<T> | undefined => value ?? undefined);
}

/** A boolean, also accepting the strings `"true"`/`"false"` in any case (Entra sends `"False"`). */
export const lenientBooleanSchema = z.union([
  z.boolean(),
  z
    .string()
    .regex(/^\s*(true|false)\s*$/i, 'expected a boolean or "true"/"false"')
    .transform((text) => text.trim().toLowerCase() === 'true'),
]);

/** An id or code sent as a string or a number; read as a string. */
export const stringOrNumberSchema = z.union([z.string(), z.number()]).transform(String);

/** `schemas` as an array, also accepting a single string. */
export const lenientSchemasSchema = z.union([z.array(z.string()), z.string().transform((urn) => [urn])]);

/**
 * Renames keys that match a known attribute name case-insensitively (attribute names are case-insensitive,
 * RFC 7643 §2.1) to the canonical spelling, unless the canonical key is present already.
 */
export function canonicalKeys(known: readonly string[]): (value: unknown) => unknown {
  const byLower = new Map(known.map((name) => [name.toLowerCase(), name]));
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) {
      const canonical = byLower.get(key.toLowerCase()) ?? key;
      if (canonical !== key && Object.hasOwn(value, canonical)) out[key] = entry;
      else out[canonical] = entry;
    }
    return out;
  };
}
