import { readFile } from 'node:fs/promises';
import { NonRetriableError } from '@provisioning/errors';
import { directoryInsightsEventSchema, instantToEpochNanos, type DirectoryInsightsEvent, type UserChangeSource } from '@provisioning/schemas';
import { buildStateEvents, type TenantContext } from '../events/state-builder.ts';
import type { EventPublisher } from '../kafka/publisher.ts';

export interface ImportOptions {
  /** Events turned into state events together. @defaultValue 500 */
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface ImportResult {
  read: number;
  invalid: number;
  duplicates: number;
  published: number;
}

/** Directory Insights events from an export (a JSON array, the fixtures' format); rows that do not parse are counted. */
export async function readExportFile(path: string): Promise<{ events: DirectoryInsightsEvent[]; invalid: number }> {
  let rows: unknown;
  try {
    rows = JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    throw new NonRetriableError(`cannot read the export ${path}: ${(error as Error).message}`, { code: 'IMPORT_UNREADABLE', cause: error });
  }
  if (!Array.isArray(rows)) throw new NonRetriableError(`${path} is not a JSON array of Directory Insights events`, { code: 'IMPORT_UNREADABLE' });
  const parsed = rows.map((row) => directoryInsightsEventSchema.safeParse(row));
  const events = parsed.flatMap((p) => (p.success ? [p.data] : []));
  return { events, invalid: rows.length - events.length };
}

/** Events in timestamp order (stable), each id once: what a poller reading the same period would see. */
export function orderAndDedupe(events: readonly DirectoryInsightsEvent[]): { events: DirectoryInsightsEvent[]; duplicates: number } {
  const seen = new Set<string>();
  const unique = events.filter((event) => !seen.has(event.id) && Boolean(seen.add(event.id)));
  const keyed = unique.map((event, index) => ({ event, index, ns: instantToEpochNanos(event.timestamp) }));
  keyed.sort((a, b) => (a.ns === b.ns ? a.index - b.index : a.ns < b.ns ? -1 : 1));
  return { events: keyed.map((k) => k.event), duplicates: events.length - unique.length };
}

/**
 * Publishes what the poller would have for a set of Directory Insights events (an export file or a webhook call):
 * the same users with the same states, under ids derived from the event ids with the source as prefix
 * (`import:<eventId>`), so repeating an import repeats its ids.
 */
export async function publishDirectoryEvents(
  ctx: TenantContext,
  publisher: EventPublisher,
  input: readonly DirectoryInsightsEvent[],
  source: Extract<UserChangeSource, 'import' | 'webhook'>,
  options: ImportOptions = {},
): Promise<{ published: number; duplicates: number }> {
  const { events, duplicates } = orderAndDedupe(input);
  ctx.metrics.eventsRead.inc({ tenant: ctx.tenantId, source }, input.length);
  if (duplicates > 0) ctx.metrics.eventsDropped.inc({ tenant: ctx.tenantId, reason: 'duplicate' }, duplicates);
  const batchSize = options.batchSize ?? 500;
  let published = 0;
  options.onProgress?.(0, events.length);
  for (let start = 0; start < events.length; start += batchSize) {
    const built = await buildStateEvents(ctx, events.slice(start, start + batchSize), source, `${source}:`);
    await publisher.send(publisher.toMessages(built.events, built.changes), ctx.tenantId, source);
    await ctx.store.commit({ update: built.update });
    published += built.events.length;
    options.onProgress?.(Math.min(events.length, start + batchSize), events.length);
  }
  return { published, duplicates };
}

/** `import --tenant T --file export.json`. */
export async function runImport(ctx: TenantContext, publisher: EventPublisher, path: string, options: ImportOptions = {}): Promise<ImportResult> {
  const { events, invalid } = await readExportFile(path);
  if (invalid > 0) ctx.metrics.eventsDropped.inc({ tenant: ctx.tenantId, reason: 'invalid' }, invalid);
  const { published, duplicates } = await publishDirectoryEvents(ctx, publisher, events, 'import', options);
  ctx.logger.info({ path, read: events.length + invalid, invalid, duplicates, published }, 'import published');
  return { read: events.length + invalid, invalid, duplicates, published };
}
