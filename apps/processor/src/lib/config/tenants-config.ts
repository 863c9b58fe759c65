import { z } from 'zod';
import { ConfigError, deepFreeze, describeIssues, readJsonFile, resolveSecret, secretRefSchema, type DeepReadonly, type Environment } from '@provisioning/config';
import { deprovisionSettingsSchema, tenantMappingSettingsSchema, type TenantMappingSettings } from '@provisioning/mapping';
import { tenantIdSchema } from '@provisioning/schemas';

const tenantSchema = z
  .strictObject({
    id: tenantIdSchema,
    enabled: z.boolean().default(true).describe('A disabled tenant has its events dead-lettered (reason TENANT_DISABLED).'),
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

/** The tenants file: `{ "tenants": [...] }`, ids unique. */
export const tenantsFileSchema = z.strictObject({ tenants: z.array(tenantSchema) }).superRefine(
  (_file, context) => {
    for (const { index, id } of duplicateIds(context.value)) {
      context.addIssue({ code: 'custom', path: ['tenants', index, 'id'], message: `duplicate tenant id ${id}` });
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
}

/**
 * Reads and validates the tenants file and resolves every token. Any problem, in the file or in a secret,
 * throws one ConfigError that lists them all.
 */
export async function loadTenants(path: string, env: Environment): Promise<DeepReadonly<TenantConfig[]>> {
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
  return deepFreeze(tenants);
}
