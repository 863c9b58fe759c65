export {
  tenantMappingSettingsSchema,
  deprovisionSettingsSchema,
  DEFAULT_TENANT_MAPPING_SETTINGS,
} from './lib/settings.ts';
export type { TenantMappingSettings, DeprovisionSettings } from './lib/settings.ts';
export { canonicalLanguageTag, terranovaLanguageTag, TERRANOVA_LANGUAGE_OVERRIDES } from './lib/language.ts';
export {
  sameUserName,
  sameLanguage,
  sameEmails,
  terranovaUsersEqual,
  terranovaUserFingerprint,
  terranovaUserFromScim,
  toScimUserBody,
} from './lib/terranova-user.ts';
export type { TerranovaUser, TerranovaEmail } from './lib/terranova-user.ts';
export { toTerranovaUser, desiredTerranovaUser, isActiveState } from './lib/to-terranova-user.ts';
export { decide, inactiveCause } from './lib/decide.ts';
export type { CarriedState, TerranovaPresence, InactiveCause, NoneReason, Decision } from './lib/decide.ts';
export { diffTerranovaUser, MANAGED_PATHS } from './lib/diff.ts';
export type { ManagedPath } from './lib/diff.ts';
export { applyScimPatch, UnsupportedPatchError } from './lib/apply-patch.ts';
