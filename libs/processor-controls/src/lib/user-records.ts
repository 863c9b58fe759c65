/**
 * The processor's record of what it applied to Terranova for one user: a hash (`observedAt`, `scimId`,
 * `userName`, `hash`, `applied`) under `{tenant:user}`, so a user's record and its event markers share a slot.
 */
export function userStateKey(prefix: string, tenantId: string, userId: string): string {
  return `${prefix}:user:{${tenantId}:${userId}}`;
}

const escapeGlob = (text: string) => text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/** A SCAN pattern for every user record of one tenant. */
export function userStatePattern(prefix: string, tenantId: string): string {
  return `${escapeGlob(prefix)}:user:{${escapeGlob(tenantId)}:*}`;
}

/** The user id a record key names, or undefined when the key is not one of the tenant's records. */
export function userIdOfStateKey(prefix: string, tenantId: string, key: string): string | undefined {
  const head = `${prefix}:user:{${tenantId}:`;
  return key.startsWith(head) && key.endsWith('}') ? key.slice(head.length, -1) : undefined;
}
