/**
 * The SCIM filter `userName eq "<value>"`. The value is written as a JSON string literal, which is what the
 * filter grammar expects (RFC 7644 §3.4.2.2): `"` and `\` (and control characters) are escaped. The caller
 * encodes the whole filter with `encodeURIComponent` when putting it in a query (pitfall P9).
 */
export function userNameEqFilter(userName: string): string {
  return `userName eq ${JSON.stringify(userName)}`;
}

/** How userNames are compared: case-insensitively and ignoring surrounding space (RFC 7643 caseExact false; P8). */
export function sameUserName(a: string, b: string): boolean {
  return normalizeUserName(a) === normalizeUserName(b);
}

/** The comparison form of a userName. The canonical form (as given) is what we send. */
export function normalizeUserName(userName: string): string {
  return userName.trim().toLowerCase();
}
