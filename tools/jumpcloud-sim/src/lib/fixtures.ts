import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  adminActionSchema,
  directoryInsightsRowSchema,
  orgFileSchema,
  type AdminAction,
  type DirectoryInsightsRow,
  type OrgFile,
} from './fixture-schemas.ts';

/** A tenant as the fixture folder describes it. */
export interface TenantFixture {
  initial: OrgFile;
  timeline: AdminAction[];
  /** The recorded Directory Insights export, when the folder has one. */
  recordedEvents?: DirectoryInsightsRow[];
  /** `org-final.json`, when the folder has one (the expected state after the whole timeline). */
  final?: OrgFile;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function readJson<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
  const parsed = schema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`${path} does not have the fixture shape:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data;
}

/**
 * Loads `org-initial.json` (required), `admin-timeline.json` (optional: an org without one has no timeline),
 * `directory-insights-events.json` and `org-final.json` (optional) from a fixture folder.
 */
export async function loadTenantFixture(dir: string): Promise<TenantFixture> {
  const path = (name: string) => join(dir, name);
  const initial = await readJson(path('org-initial.json'), orgFileSchema);
  const timeline = (await exists(path('admin-timeline.json'))) ? await readJson(path('admin-timeline.json'), z.array(adminActionSchema)) : [];
  const fixture: TenantFixture = { initial, timeline };
  if (await exists(path('directory-insights-events.json'))) {
    fixture.recordedEvents = await readJson(path('directory-insights-events.json'), z.array(directoryInsightsRowSchema));
  }
  if (await exists(path('org-final.json'))) fixture.final = await readJson(path('org-final.json'), orgFileSchema);
  return fixture;
}
