/**
 * `npm run demo`: the main job end to end on the sample tenants. Starts what it needs (Kafka, Redis, both
 * emulators, the ingest and the processor), runs a first full sync, streams a week of JumpCloud admin activity
 * through Directory Insights → ingest → Kafka → processor → Terranova, and compares Terranova with the expected
 * end state. Exits 0 only when every tenant matches.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { mismatchDetails, outcomeTable } from './report/outcome-table.ts';
import { ProgressBars } from './report/progress-bars.ts';
import { createRootLogger } from '@provisioning/observability';
import { runDemo } from './run/run-demo.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');

function options() {
  const { values } = parseArgs({
    options: {
      'play-seconds': { type: 'string', default: '60' },
      fixtures: { type: 'string', default: join(REPO_ROOT, '..', 'shared', 'fixtures', 'jumpcloud') },
      'work-dir': { type: 'string', default: join(REPO_ROOT, '.local', 'demo') },
      'keep-data': { type: 'boolean', default: false },
    },
  });
  const playSeconds = Number(values['play-seconds']);
  if (!Number.isFinite(playSeconds) || playSeconds <= 0) throw new Error('--play-seconds must be a positive number');
  return { playSeconds, fixturesDir: values.fixtures, workDir: values['work-dir'], keepData: values['keep-data'] };
}

/** Ctrl-C or SIGTERM stops the run and cleans up what it started; a second one exits at once. */
function stopOnSignals(): AbortSignal {
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (controller.signal.aborted) process.exit(130);
      process.stderr.write(`\n${signal}: stopping the demo and cleaning up what it started (again to exit at once)\n`);
      controller.abort(new Error(`interrupted by ${signal}`));
    });
  }
  return controller.signal;
}

async function main(): Promise<number> {
  const { playSeconds, fixturesDir, workDir, keepData } = options();
  const signal = stopOnSignals();
  const bars = new ProgressBars();
  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`demo: streaming the sample tenants in ${fixturesDir} from JumpCloud to Terranova`);
  const outcome = await runDemo({
    fixturesDir,
    workDir,
    playSeconds,
    keepData,
    signal,
    logger: createRootLogger({ name: 'demo', level: 'warn', destination: process.stderr }),
    env: process.env,
    onStep: (step) => log(`- ${step}`),
    onProgress: (snapshot) => bars.update(snapshot),
  }).finally(() => bars.stop());
  log('');
  log(outcomeTable(outcome.tenants));
  for (const line of mismatchDetails(outcome.tenants)) log(line);
  log('');
  log(`${outcome.matches ? 'Terranova matches the expected end state' : 'Terranova does NOT match the expected end state'} ` +
    `(run ${outcome.runId}, ${(outcome.durationMs / 1000).toFixed(0)} s; configs and app logs in ${outcome.runDir})`);
  if (keepData) {
    const { topics, processorGroupId, ingestKeyPrefix, processorKeyPrefix } = outcome.names;
    log(`kept: topics ${Object.values(topics).join(', ')}; consumer group ${processorGroupId}; Redis keys ${ingestKeyPrefix}:* and ${processorKeyPrefix}:*`);
    log(`inspect them with: npm run ops -- dlq list --config ${outcome.runDir}/processor.json`);
  }
  return outcome.matches ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
