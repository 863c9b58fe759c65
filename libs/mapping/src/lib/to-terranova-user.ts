import type { JumpCloudUserState, UserChangeEventV1 } from '@provisioning/schemas';
import { terranovaLanguageTag } from './language.ts';
import type { TenantMappingSettings } from './settings.ts';
import type { TerranovaUser } from './terranova-user.ts';

/** Trimmed text, or undefined when blank: JumpCloud sends `""` for fields that were cleared. */
function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** Whether the JumpCloud state alone lets the user in: ACTIVATED and not suspended. */
export function isActiveState(state: Pick<JumpCloudUserState, 'state' | 'suspended'>): boolean {
  return state.state === 'ACTIVATED' && !state.suspended;
}

/**
 * The Terranova user a JumpCloud user should be, per the attribute mapping: userName from username (or email),
 * given/family name, exactly one primary work email, externalId from employeeIdentifier (left out when absent),
 * active when ACTIVATED, not suspended and bound, and the preferredLanguage Terranova accepts.
 */
export function toTerranovaUser(
  state: JumpCloudUserState,
  settings: TenantMappingSettings,
  context: { bound: boolean } = { bound: true },
): TerranovaUser {
  const email = state.email.trim();
  const user: TerranovaUser = {
    userName: settings.userNameFrom === 'email' ? email : state.username.trim(),
    name: {},
    emails: [{ value: email, type: 'work', primary: true }],
    active: context.bound && isActiveState(state),
    preferredLanguage: terranovaLanguageTag(state.preferredLanguage, settings),
  };
  const givenName = text(state.firstname);
  const familyName = text(state.lastname);
  const externalId = text(state.employeeIdentifier);
  if (givenName !== undefined) user.name.givenName = givenName;
  if (familyName !== undefined) user.name.familyName = familyName;
  if (externalId !== undefined) user.externalId = externalId;
  return user;
}

/** The Terranova user an event asks for; undefined for a deleted user, who only needs deprovisioning. */
export function desiredTerranovaUser(event: UserChangeEventV1, settings: TenantMappingSettings): TerranovaUser | undefined {
  return event.deleted ? undefined : toTerranovaUser(event.user, settings, { bound: event.bound });
}
