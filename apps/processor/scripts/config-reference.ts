/**
 * Writes docs/configuration/processor.md from the config schemas themselves, so the reference never drifts
 * from what startup accepts. `--check` exits 1 when the committed file is out of date.
 */
import { join } from 'node:path';
import { configReferenceMarkdown, writeOrCheckGenerated } from '@provisioning/config';
import { processorConfigSchema } from '../src/lib/config/processor-config.ts';
import { tenantsFileSchema } from '../src/lib/config/tenants-config.ts';

export const PROCESSOR_REFERENCE_FILE = join(import.meta.dirname, '..', '..', '..', 'docs', 'configuration', 'processor.md');

export function processorReference(): string {
  return `# Processor configuration

\`node apps/processor/src/main.ts --config <processor.json>\` reads two JSON files: the processor's own settings,
and a tenants file named by \`tenantsFile\` (relative to the config file). The tenants file is reloaded when it
changes and on SIGHUP, so tenants can be added and tokens rotated without a restart. Terranova bearer tokens are
never values in a file: each is \`{ "env": "NAME" }\` or \`{ "file": "/path" }\` (a file is read again on reload, so a
rotated secret file takes effect at once). A bad file stops startup (exit code 2) and lists every problem.

Generated from the schemas by \`node apps/processor/scripts/config-reference.ts\`.

## processor.json

${configReferenceMarkdown(processorConfigSchema)}

## The tenants file

${configReferenceMarkdown(tenantsFileSchema)}
`;
}

if (import.meta.main) {
  if (!(await writeOrCheckGenerated(PROCESSOR_REFERENCE_FILE, processorReference(), process.argv.includes('--check')))) {
    console.error(`${PROCESSOR_REFERENCE_FILE} is out of date: run node apps/processor/scripts/config-reference.ts`);
    process.exit(1);
  }
}
