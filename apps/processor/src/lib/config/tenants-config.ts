import { z } from 'zod';
import { ConfigError, deepFreeze, describeIssues, readJsonFile, resolveSecret, secretRefSchema, type DeepReadonly, type Environment } from '@provisioning/config';
import { deprovisionSettingsSchema, tenantMappingSettingsSchema, type TenantMappingSettings } from '@provisioning/mapping';
import { tenantIdSchema } from '@provisioning/schemas';

/**
 * When one JumpCloud change (a group unbound from the application, …) would deprovision more users than this,
 * the processor holds those deprovisions until `ops approve` (or drops them on `ops reject`); see
 * docs/decisions/0201-mass-deprovision-guard.md.
 */
const massDeprovisionGuardSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    maxUsers: z.int().positive().default(50).describe('A change deprovisioning more users than this is held.'),
    maxPercent: z
      .number()
      .min(0)
      .max(100)
      .default(25)
      .describe('A change deprovisioning more than this share (%) of the users bound to the application before it is held.'),
  })
  .describe('The mass-deprovision guard; a change of one user is never held.');

const tenantSchema = z
  .strictObject({
    id: tenantIdSchema,
    enabled: z.boolean().default(true).describe('A disabled tenant gets no SCIM call: its events wait (nothing is dead-lettered) and flow once it is enabled again (as with `ops tenant disable`).'),
    terranova: z.strictObject({
      baseUrl: z.url({ protocol: /^https?$/ }).describe('SCIM base URL without /Users.'),
      token: secretRefSchema.describe('Bearer token: { "env": NAME } or { "file": PATH } (a file can be rotated without restart).'),
      timeoutMs: z.int().positive().default(10_000),
      maxConnections: z.int().positive().default(64).describe('Keep-alive connections to this tenant at most.'),
    }),
    rateLimit: z
      .strictObject({
        ratePerSecond: z.number().positive().describe('Sustained SCIM requests per second, shared by every replica.'),
        burst: z.int().positive().describe('Requests allowed at once after a quiet period.'),
      })
      .default({ ratePerSecond: 20, burst: 40 }),
    deprovisionMode: deprovisionSettingsSchema.shape.deprovisionMode,
    mapping: tenantMappingSettingsSchema.default({ userNameFrom: 'username', defaultLanguage: 'en-US', languageOverrides: {} }),
    massDeprovisionGuard: massDeprovisionGuardSchema.default(massDeprovisionGuardSchema.parse({})),
  })
  .describe('One JumpCloud organization provisioned into one Terranova tenant.');

/** Issues for tenant ids used twice; reads the raw input so it runs even when other fields are invalid. */
function duplicateIds(input: unknown): { index: number; id: string }[] {
  const tenants = (input as { tenants?: unknown } | null)?.tenants;
  if (!Array.isArray(tenants)) return [];
  const seen = new Set<string>();
  return tenants.flatMap((tenant: unknown, index) => {
    const id = (tenant as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return [];
    const duplicate = seen.has(id);
    seen.add(id);
    return duplicate ? [{ index, id }] : [];
  });
}

/** Ids listed in `forceRemove` that are still configured: a contradiction, so the file is refused. */
function forcedButConfigured(input: unknown): { index: number; id: string }[] {
  const file = input as { tenants?: unknown; forceRemove?: unknown } | null;
  if (!Array.isArray(file?.tenants) || !Array.isArray(file.forceRemove)) return [];
  const configured = new Set(file.tenants.map((tenant: unknown) => (tenant as { id?: unknown } | null)?.id));
  return file.forceRemove.flatMap((id: unknown, index) => (typeof id === 'string' && configured.has(id) ? [{ index, id }] : []));
}

/** The tenants file: `{ "tenants": [...], "forceRemove": [...] }`, ids unique. */
export const tenantsFileSchema = z
  .strictObject({
    tenants: z.array(tenantSchema),
    forceRemove: z
      .array(tenantIdSchema)
      .default([])
      .describe('Tenants to remove even though they still have unprocessed events (their later events are dead-lettered as TENANT_UNKNOWN). Without it, a reload that drops such a tenant is refused and the previous tenants stay in force.'),
  })
  .superRefine(
    (_file, context) => {
      for (const { index, id } of duplicateIds(context.value)) {
        context.addIssue({ code: 'custom', path: ['tenants', index, 'id'], message: `duplicate tenant id ${id}` });
      }
      for (const { index, id } of forcedButConfigured(context.value)) {
        context.addIssue({ code: 'custom', path: ['forceRemove', index], message: `tenant ${id} is configured; take it out of forceRemove or out of tenants` });
      }
    },
    // Also when other fields are invalid, so one run lists every problem.
    { when: () => true },
  );

export type TenantFileEntry = z.output<typeof tenantSchema>;

/** A tenant with its secret resolved: what the processor runs with. */
export interface TenantConfig {
  id: string;
  enabled: boolean;
  terranova: { baseUrl: string; token: string; tokenFile: string | undefined; timeoutMs: number; maxConnections: number };
  rateLimit: { ratePerSecond: number; burst: number };
  deprovisionMode: 'deactivate' | 'delete';
  mapping: TenantMappingSettings;
  massDeprovisionGuard: MassDeprovisionGuardSettings;
}

export type MassDeprovisionGuardSettings = z.output<typeof massDeprovisionGuardSchema>;

/** The tenants file as the processor runs with it. */
export interface TenantsFile {
  tenants: DeepReadonly<TenantConfig[]>;
  /** Tenants whose removal is forced even while they have unprocessed events. */
  forceRemove: readonly string[];
}

/** The tenants of the tenants file (see {@link loadTenantsFile}). */
export async function loadTenants(path: string, env: Environment): Promise<DeepReadonly<TenantConfig[]>> {
  return (await loadTenantsFile(path, env)).tenants;
}

/**
 * Reads and validates the tenants file and resolves every token. Any problem, in the file or in a secret,
 * throws one ConfigError that lists them all.
 */
export async function loadTenantsFile(path: string, env: Environment): Promise<TenantsFile> {
  const parsed = tenantsFileSchema.safeParse(await readJsonFile(path));
  if (!parsed.success) throw new ConfigError(path, describeIssues(parsed.error.issues), parsed.error);
  const problems: string[] = [];
  const tenants: TenantConfig[] = [];
  for (const [index, entry] of parsed.data.tenants.entries()) {
    const secret = await resolveSecret(entry.terranova.token, env);
    if (!secret.ok) {
      problems.push(`tenants.${index}.terranova.token: ${secret.problem}`);
      continue;
    }
    const tokenFile = 'file' in entry.terranova.token ? entry.terranova.token.file : undefined;
    tenants.push({ ...entry, terranova: { ...entry.terranova, token: secret.value, tokenFile } });
  }
  if (problems.length > 0) throw new ConfigError(path, problems);
  return { tenants: deepFreeze(tenants), forceRemove: Object.freeze([...parsed.data.forceRemove]) };
}
