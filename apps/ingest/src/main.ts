/**
 * The ingest's command line.
 *   node apps/ingest/src/main.ts --config ingest.json                      run: pollers, webhook, /healthz, /metrics
 *   node apps/ingest/src/main.ts snapshot --config ingest.json --tenant T  publish every bound (and once bound) user
 *   node apps/ingest/src/main.ts import --config ingest.json --tenant T --file export.json
 * snapshot and import draw a progress bar on stderr and print a JSON summary on stdout.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '@provisioning/config';
import { createRootLogger, type Logger } from '@provisioning/observability';
import { runImport } from './lib/commands/import.ts';
import { progressBar } from './lib/commands/progress.ts';
import { runSnapshot } from './lib/commands/snapshot.ts';
import { loadIngestConfig, type IngestConfig } from './lib/config/load-config.ts';
import { crashFailpoint } from './lib/failpoints.ts';
import { openRuntime } from './lib/runtime.ts';
import { startIngestService } from './lib/service.ts';

const USAGE = `usage: main.ts [run] --config <file>
       main.ts snapshot --config <file> --tenant <id> [--run-id <id>]
       main.ts import --config <file> --tenant <id> --file <export.json>`;

/** A command line that cannot run; its message is the whole story (no stack). */
class UsageError extends Error {}

function parseCommandLine(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { config: { type: 'string' }, tenant: { type: 'string' }, file: { type: 'string' }, 'run-id': { type: 'string' }, help: { type: 'boolean' } },
  });
  const command = positionals[0] ?? 'run';
  if (values.help || !values.config || !['run', 'snapshot', 'import'].includes(command)) throw new UsageError(USAGE);
  if (command !== 'run' && !values.tenant) throw new UsageError(`${command} needs --tenant\n${USAGE}`);
  if (command === 'import' && !values.file) throw new UsageError(`import needs --file\n${USAGE}`);
  return { command, config: values.config, tenant: values.tenant, file: values.file, runId: values['run-id'] };
}

async function runService(config: IngestConfig, logger: Logger): Promise<void> {
  const afterPublish = crashFailpoint(process.env['INGEST_FAILPOINT'], logger);
  const service = await startIngestService({ config, logger, ...(afterPublish ? { afterPublish } : {}) });
  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

async function runOneShot(command: 'snapshot' | 'import', args: ReturnType<typeof parseCommandLine>, config: IngestConfig, logger: Logger): Promise<void> {
  const runtime = await openRuntime(config, logger);
  const bar = progressBar(command === 'snapshot' ? `snapshot ${args.tenant}` : `import ${args.tenant}`);
  try {
    const ctx = runtime.tenant(args.tenant as string);
    const result =
      command === 'snapshot'
        ? await runSnapshot(ctx, runtime.publisher, { onProgress: bar.update, ...(args.runId ? { runId: args.runId } : {}) })
        : await runImport(ctx, runtime.publisher, args.file as string, { onProgress: bar.update });
    bar.stop();
    process.stdout.write(`${JSON.stringify({ command, tenantId: args.tenant, ...result })}\n`);
  } finally {
    bar.stop();
    await runtime.close();
  }
}

async function main(): Promise<void> {
  const args = parseCommandLine(process.argv.slice(2));
  const config = await loadIngestConfig(args.config, process.env);
  // One-shot commands keep stdout for their JSON summary; their logs go to stderr with the progress bar.
  const logger = createRootLogger({ name: 'ingest', level: config.logLevel, ...(args.command === 'run' ? {} : { destination: process.stderr }) });
  if (args.command === 'run') await runService(config, logger);
  else await runOneShot(args.command as 'snapshot' | 'import', args, config, logger);
}

main().catch((error: unknown) => {
  const expected = error instanceof ConfigError || error instanceof UsageError;
  const message = error instanceof Error ? (expected ? error.message : (error.stack ?? error.message)) : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(expected ? 2 : 1);
});
