/**
 * Writes docs/configuration/ingest.md from the config schema itself, so the reference never drifts from what
 * startup accepts. `--check` exits 1 when the committed file is out of date (run by the tests).
 */
import { join } from 'node:path';
import { configReferenceMarkdown, writeOrCheckGenerated } from '@provisioning/config';
import { ingestConfigSchema } from '../src/lib/config/config-schema.ts';

export const INGEST_REFERENCE_FILE = join(import.meta.dirname, '..', '..', '..', 'docs', 'configuration', 'ingest.md');

export function ingestReference(): string {
  return `# Ingest configuration

\`node apps/ingest/src/main.ts --config <file>\` reads one JSON file with many tenants. Secrets (JumpCloud API keys,
webhook secrets, a Redis password) are never values in the file: each is \`{ "env": "NAME" }\` (an environment
variable) or \`{ "file": "/path" }\` (a mounted secret). A bad file stops startup and lists every problem.
Example: [apps/ingest/ingest.example.json](../../apps/ingest/ingest.example.json).

Generated from the schema by \`node apps/ingest/scripts/config-reference.ts\`.

${configReferenceMarkdown(ingestConfigSchema)}
`;
}

if (import.meta.main) {
  if (!(await writeOrCheckGenerated(INGEST_REFERENCE_FILE, ingestReference(), process.argv.includes('--check')))) {
    console.error(`${INGEST_REFERENCE_FILE} is out of date: run node apps/ingest/scripts/config-reference.ts`);
    process.exit(1);
  }
}
