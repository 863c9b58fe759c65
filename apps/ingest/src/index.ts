// The ingest is started as a process (src/main.ts); this entry names its public surface for documentation and
// for scripts inside this project.
export { startIngestService } from './lib/service.ts';
export type { IngestService, IngestServiceOptions } from './lib/service.ts';
export { ingestConfigSchema, tenantConfigSchema } from './lib/config/config-schema.ts';
export type { IngestConfigInput } from './lib/config/config-schema.ts';
export { loadIngestConfig, resolveIngestConfig } from './lib/config/load-config.ts';
export type { IngestConfig, TenantSettings } from './lib/config/load-config.ts';
export { openRuntime } from './lib/runtime.ts';
export type { IngestRuntime } from './lib/runtime.ts';
export { runSnapshot, defaultRunId } from './lib/commands/snapshot.ts';
export { runImport, readExportFile, publishDirectoryEvents } from './lib/commands/import.ts';
export { signWebhook, verifyWebhook, SIGNATURE_HEADERS } from './lib/http/signature.ts';
export { tenantKeys } from './lib/store/tenant-keys.ts';
export { EVENT_ID_HEADER } from './lib/kafka/publisher.ts';
