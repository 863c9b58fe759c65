import type { TenantMappingSettings } from './settings.ts';

/**
 * Tags Terranova is known to reject, with what to send instead. JumpCloud's own connector documents
 * "Terranova Security doesn't accept en-US as preferredLanguage so it is sent as en".
 */
export const TERRANOVA_LANGUAGE_OVERRIDES: Readonly<Record<string, string>> = Object.freeze({ 'en-US': 'en' });

/**
 * A language tag in canonical BCP 47 form (`EN-us` → `en-US`, `fr_ca` → `fr-CA`, `zh_hant_tw` → `zh-Hant-TW`):
 * `_` is read as `-`, casing and deprecated subtags follow `Intl.getCanonicalLocales`. Undefined when the
 * value is blank or not a language tag.
 */
export function canonicalLanguageTag(raw: string | undefined): string | undefined {
  const candidate = raw?.trim().replaceAll('_', '-');
  if (candidate === undefined || candidate === '') return undefined;
  try {
    return Intl.getCanonicalLocales(candidate)[0];
  } catch {
    return undefined;
  }
}

/** Looks a canonical tag up in an override map whose keys may be written in any case or with `_`. */
function override(tag: string, overrides: Readonly<Record<string, string>>): string | undefined {
  for (const [from, to] of Object.entries(overrides)) {
    if (canonicalLanguageTag(from) === tag) return canonicalLanguageTag(to);
  }
  return undefined;
}

/**
 * The preferredLanguage to send to Terranova: the user's tag, else the tenant default, canonicalised; then the
 * tenant's overrides, else the built-in Terranova rules (so `en-US`, `en_US` and `EN-us` are all sent as `en`).
 */
export function terranovaLanguageTag(raw: string | undefined, settings: TenantMappingSettings): string {
  const tag = canonicalLanguageTag(raw) ?? canonicalLanguageTag(settings.defaultLanguage) ?? 'en';
  return override(tag, settings.languageOverrides) ?? override(tag, TERRANOVA_LANGUAGE_OVERRIDES) ?? tag;
}
