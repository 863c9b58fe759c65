import { terranovaUserFromScim, type TenantMappingSettings, type TerranovaUser } from '@provisioning/mapping';
import type { NewSystemUser } from '@provisioning/jumpcloud-client';
import type { ScimUser, SystemUser } from '@provisioning/schemas';

/** A Terranova user as `import` shows it: New (no JumpCloud user) or Imported (matched, and how). */
export interface ImportRow {
  status: 'new' | 'imported';
  userName: string;
  email: string | undefined;
  active: boolean;
  scimId: string | undefined;
  jumpcloudUserId?: string;
  matchedBy?: 'userName' | 'email';
  /** The JumpCloud user `--create` would make; absent (with `problem`) when it cannot be made. */
  create?: NewSystemUser;
  problem?: string;
}

const lower = (text: string | undefined) => text?.trim().toLowerCase();

function primaryEmail(user: TerranovaUser): string | undefined {
  return (user.emails.find((email) => email.primary) ?? user.emails[0])?.value;
}

/** The JumpCloud field the tenant's mapping turns into the Terranova userName. */
function userNameSource(user: SystemUser, settings: TenantMappingSettings): string {
  return settings.userNameFrom === 'email' ? user.email : user.username;
}

/**
 * The JumpCloud user that maps back onto this Terranova user (the same userName, so the processor then updates
 * it instead of creating a second one): active users ACTIVATED, inactive ones STAGED.
 */
export function newJumpCloudUser(user: TerranovaUser, settings: TenantMappingSettings): NewSystemUser | { problem: string } {
  const email = primaryEmail(user) ?? (user.userName.includes('@') ? user.userName : undefined);
  if (!email) return { problem: 'no email in Terranova, and JumpCloud needs one' };
  if (settings.userNameFrom === 'email' && lower(email) !== lower(user.userName)) return { problem: `the tenant's userName comes from email, but its email ${email} is not its userName` };
  const username = settings.userNameFrom === 'email' ? email.split('@')[0]! : user.userName;
  return {
    username,
    email,
    ...(user.name.givenName ? { firstname: user.name.givenName } : {}),
    ...(user.name.familyName ? { lastname: user.name.familyName } : {}),
    ...(user.externalId ? { employeeIdentifier: user.externalId } : {}),
    state: user.active ? 'ACTIVATED' : 'STAGED',
  };
}

/** Matches every Terranova user to a JumpCloud user: by userName first (as the mapping makes it), then by email. */
export function matchUsers(scimUsers: readonly ScimUser[], jumpcloudUsers: readonly SystemUser[], settings: TenantMappingSettings): ImportRow[] {
  const byUserName = new Map(jumpcloudUsers.map((u) => [lower(userNameSource(u, settings)), u]));
  const byEmail = new Map(jumpcloudUsers.map((u) => [lower(u.email), u]));
  return scimUsers.map((scimUser) => {
    const user = terranovaUserFromScim(scimUser);
    const email = primaryEmail(user);
    const base = { userName: user.userName, email, active: user.active, scimId: scimUser.id === undefined ? undefined : String(scimUser.id) };
    const named = byUserName.get(lower(user.userName));
    if (named) return { ...base, status: 'imported', jumpcloudUserId: named._id, matchedBy: 'userName' };
    const mailed = email === undefined ? undefined : byEmail.get(lower(email));
    if (mailed) return { ...base, status: 'imported', jumpcloudUserId: mailed._id, matchedBy: 'email' };
    const create = newJumpCloudUser(user, settings);
    return 'problem' in create ? { ...base, status: 'new', problem: create.problem } : { ...base, status: 'new', create };
  });
}
