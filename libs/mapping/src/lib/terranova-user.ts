import { SCIM_SCHEMA_URNS, type ScimUser } from '@provisioning/schemas';

/** An email as Terranova holds it; the users we build always have exactly one `{ type: 'work', primary: true }`. */
export interface TerranovaEmail {
  value: string;
  type?: string;
  primary?: boolean;
}

/**
 * The SCIM attributes of a Terranova user that this pipeline manages. Everything else (Terranova's `role`,
 * groups) belongs to Terranova and is never sent. Optional attributes are absent rather than empty.
 */
export interface TerranovaUser {
  userName: string;
  name: { givenName?: string; familyName?: string };
  emails: TerranovaEmail[];
  externalId?: string;
  active: boolean;
  preferredLanguage?: string;
}

/** userName compares case-insensitively (RFC 7643 `caseExact: false`; some servers lowercase it). */
export function sameUserName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Language tags compare case-insensitively (BCP 47). */
export function sameLanguage(a: string | undefined, b: string | undefined): boolean {
  return a?.toLowerCase() === b?.toLowerCase();
}

export function sameEmails(a: readonly TerranovaEmail[], b: readonly TerranovaEmail[]): boolean {
  return (
    a.length === b.length &&
    a.every((email, index) => {
      const other = b[index]!;
      return email.value === other.value && email.type === other.type && email.primary === other.primary;
    })
  );
}

/** True when Terranova needs no change to go from one user to the other. */
export function terranovaUsersEqual(a: TerranovaUser, b: TerranovaUser): boolean {
  return (
    sameUserName(a.userName, b.userName) &&
    a.name.givenName === b.name.givenName &&
    a.name.familyName === b.name.familyName &&
    sameEmails(a.emails, b.emails) &&
    a.externalId === b.externalId &&
    a.active === b.active &&
    sameLanguage(a.preferredLanguage, b.preferredLanguage)
  );
}

/**
 * A stable text for a user's managed attributes, equal for two users exactly when `terranovaUsersEqual` holds
 * (userName and language case folded, fixed key order): hash it to remember what was last applied.
 */
export function terranovaUserFingerprint(user: TerranovaUser): string {
  return JSON.stringify([
    user.userName.toLowerCase(),
    user.name.givenName ?? null,
    user.name.familyName ?? null,
    user.emails.map((email) => [email.value, email.type ?? null, email.primary ?? null]),
    user.externalId ?? null,
    user.active,
    user.preferredLanguage?.toLowerCase() ?? null,
  ]);
}

/** Drops keys whose value is undefined, so the JSON and deep-equality views of a user agree. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

/**
 * The managed attributes of a user read from Terranova. A missing `active` reads as true, since SCIM
 * servers create users active unless told otherwise.
 */
export function terranovaUserFromScim(user: ScimUser): TerranovaUser {
  return withoutUndefined({
    userName: user.userName,
    name: withoutUndefined({ givenName: user.name?.givenName, familyName: user.name?.familyName }),
    emails: (user.emails ?? []).map((email) =>
      withoutUndefined({ value: email.value, type: email.type, primary: email.primary }),
    ),
    externalId: user.externalId,
    active: user.active ?? true,
    preferredLanguage: user.preferredLanguage,
  });
}

/** The body of `POST /Users` (or a merged PUT) for a user: core User schema, no empty `name`. */
export function toScimUserBody(user: TerranovaUser): Record<string, unknown> {
  const hasName = user.name.givenName !== undefined || user.name.familyName !== undefined;
  return withoutUndefined({
    schemas: [SCIM_SCHEMA_URNS.user],
    userName: user.userName,
    name: hasName ? withoutUndefined({ ...user.name }) : undefined,
    emails: user.emails.map((email) => withoutUndefined({ ...email })),
    externalId: user.externalId,
    active: user.active,
    preferredLanguage: user.preferredLanguage,
  });
}
