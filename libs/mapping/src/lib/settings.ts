import { z } from 'zod';

/** How a tenant's JumpCloud users become Terranova users. */
export interface TenantMappingSettings {
  /** Which JumpCloud field becomes the Terranova userName (Terranova's login). */
  userNameFrom: 'username' | 'email';
  /** Language for users without a `preferredLanguage` custom attribute (or with an unreadable one). */
  defaultLanguage: string;
  /**
   * Canonical tag → tag to send, applied after canonicalisation and on top of the built-in Terranova rules
   * (`en-US` → `en`); e.g. `{ "pt-BR": "pt" }`. Keys match case-insensitively and may use `_`.
   */
  languageOverrides: Readonly<Record<string, string>>;
}

/** What the processor does when a user should no longer be in Terranova. */
export interface DeprovisionSettings {
  /** `deactivate` sends `active: false` (the default, as JumpCloud's own connector does); `delete` sends DELETE. */
  deprovisionMode: 'deactivate' | 'delete';
}

function isLanguageTag(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value.trim().replaceAll('_', '-')).length === 1;
  } catch {
    return false;
  }
}

const languageTagSchema = z.string().refine(isLanguageTag, { message: 'not a BCP 47 language tag' });

/** Validates tenant mapping settings in config; every field has the default of JumpCloud's own connector. */
export const tenantMappingSettingsSchema = z.object({
  userNameFrom: z.enum(['username', 'email']).default('username'),
  defaultLanguage: languageTagSchema.default('en-US'),
  languageOverrides: z.record(languageTagSchema, languageTagSchema).default({}),
});

/** Validates the deprovisioning choice in config. */
export const deprovisionSettingsSchema = z.object({
  deprovisionMode: z.enum(['deactivate', 'delete']).default('deactivate'),
});

/** The settings the fixtures' oracle assumes: userName from username, default language en-US. */
export const DEFAULT_TENANT_MAPPING_SETTINGS: TenantMappingSettings = Object.freeze({
  userNameFrom: 'username',
  defaultLanguage: 'en-US',
  languageOverrides: Object.freeze({}),
});
