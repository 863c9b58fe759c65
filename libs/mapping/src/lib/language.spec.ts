import { describe, expect, it } from 'vitest';
import { canonicalLanguageTag, terranovaLanguageTag } from './language.ts';
import { DEFAULT_TENANT_MAPPING_SETTINGS, tenantMappingSettingsSchema, type TenantMappingSettings } from './settings.ts';

describe('canonicalLanguageTag', () => {
  it.each([
    ['EN-us', 'en-US'],
    ['en_US', 'en-US'],
    ['en-us', 'en-US'],
    ['fr_ca', 'fr-CA'],
    [' fr-CA ', 'fr-CA'],
    ['NL', 'nl'],
    ['zh_hant_tw', 'zh-Hant-TW'],
    ['es-419', 'es-419'],
    ['pt-br', 'pt-BR'],
  ])('%j → %j', (raw, canonical) => {
    expect(canonicalLanguageTag(raw)).toBe(canonical);
  });

  it.each([undefined, '', '   ', 'x', 'not a language', 'en--US', '12'])('%j is not a language tag', (raw) => {
    expect(canonicalLanguageTag(raw)).toBeUndefined();
  });
});

describe('terranovaLanguageTag', () => {
  const defaults = DEFAULT_TENANT_MAPPING_SETTINGS;

  it.each([
    ['EN-us', 'en'],
    ['en_US', 'en'],
    ['en-us', 'en'],
    ['en-US', 'en'],
    ['fr_ca', 'fr-CA'],
    ['en-GB', 'en-GB'],
    ['ja-JP', 'ja-JP'],
    ['nl', 'nl'],
  ])('sends %j as %j', (raw, sent) => {
    expect(terranovaLanguageTag(raw, defaults)).toBe(sent);
  });

  it('falls back to the tenant default (en-US, sent as en) when the attribute is missing or unreadable', () => {
    expect(terranovaLanguageTag(undefined, defaults)).toBe('en');
    expect(terranovaLanguageTag('??', defaults)).toBe('en');
    expect(terranovaLanguageTag(undefined, { ...defaults, defaultLanguage: 'fr_CA' })).toBe('fr-CA');
  });

  it('applies tenant overrides written in any case, before and instead of the built-in rule', () => {
    const settings: TenantMappingSettings = { ...defaults, languageOverrides: { 'PT_br': 'pt', 'en-us': 'en-CA' } };
    expect(terranovaLanguageTag('pt-BR', settings)).toBe('pt');
    expect(terranovaLanguageTag('EN-us', settings)).toBe('en-CA');
    expect(terranovaLanguageTag('de-DE', settings)).toBe('de-DE');
  });
});

describe('tenantMappingSettingsSchema', () => {
  it('defaults to the settings the oracle assumes', () => {
    expect(tenantMappingSettingsSchema.parse({})).toEqual(DEFAULT_TENANT_MAPPING_SETTINGS);
  });

  it('rejects a default language or override that is not a language tag', () => {
    expect(tenantMappingSettingsSchema.safeParse({ defaultLanguage: 'english!' }).success).toBe(false);
    expect(tenantMappingSettingsSchema.safeParse({ languageOverrides: { 'en-US': '' } }).success).toBe(false);
  });
});
