/**
 * The processor's entry: `node apps/processor/src/main.ts --config <file>`.
 * SIGTERM/SIGINT stop it gracefully (finish running events, commit, leave the group); SIGHUP reloads the
 * tenants file (token rotation without a restart). A bad config exits with status 2, listing every problem.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '@provisioning/config';
import { createRootLogger } from '@provisioning/observability';
import { loadProcessorConfig } from './lib/config/processor-config.ts';
import { startProcessor } from './lib/processor.ts';

const USAGE = 'usage: node apps/processor/src/main.ts --config <processor.json>';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { config: { type: 'string' }, help: { type: 'boolean', default: false } }, strict: false });
  if (values.help === true) {
    console.info(USAGE);
    return;
  }
  if (typeof values.config !== 'string') {
    console.error(USAGE);
    process.exit(2);
  }
  const config = await loadProcessorConfig(values.config);
  const logger = createRootLogger({ name: 'processor', level: config.logLevel });
  const processor = await startProcessor(config, { logger, env: process.env });
  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    processor.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => void processor.reloadTenants());
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
