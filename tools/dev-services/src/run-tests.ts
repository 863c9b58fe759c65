/**
 * `npm test`: makes Redis and Kafka available (starting what is missing), runs every project's tests
 * through Nx, stops what it started, and ends with the line `N passed, M failed`.
 * Extra arguments go to Nx, e.g. `npm test -- --projects=processor`.
 */
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { provideKafka, provideRedis, type ProvidedService } from './services.ts';
import { closingLine, summarizeReports } from './test-summary.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const REPORT_DIR = join(REPO_ROOT, 'tmp', 'test-results');

function runNxTests(extraArgs: string[], env: NodeJS.ProcessEnv): number {
  const nx = join(REPO_ROOT, 'node_modules', '.bin', 'nx');
  // The test target is never cached (nx.json), so every run runs every test.
  const args = ['run-many', '-t', 'test', '--parallel=2', '--outputStyle=stream', ...extraArgs];
  return spawnSync(nx, args, { stdio: 'inherit', env, cwd: REPO_ROOT }).status ?? 1;
}

async function main(): Promise<number> {
  console.info(`tests run on Node ${process.version}`);
  // kafkajs makes Node 24 warn on every connection (kafkajs#1751): harmless, and it buries test output.
  const nodeOptions = [process.env['NODE_OPTIONS'], '--disable-warning=TimeoutNegativeWarning'].filter(Boolean).join(' ');
  const env: NodeJS.ProcessEnv = { ...process.env, NX_NO_CLOUD: 'true', NX_TUI: 'false', NX_DAEMON: 'false', NODE_OPTIONS: nodeOptions };
  const started: ProvidedService[] = [];
  try {
    const redis = await provideRedis(env);
    started.push(redis);
    const kafka = await provideKafka(env);
    if (kafka) started.push(kafka);
    env['REDIS_URL'] = redis.url;
    if (kafka) env['KAFKA_BROKERS'] = kafka.url;
    console.info(`tests use Kafka ${kafka?.url ?? 'in a container'} and Redis ${redis.url}`);
    await rm(REPORT_DIR, { recursive: true, force: true });
    const status = runNxTests(process.argv.slice(2), env);
    const counts = await summarizeReports(REPORT_DIR);
    // A project that crashed before writing its report still fails the run.
    if (status !== 0 && counts.failed === 0) counts.failed = 1;
    console.info(closingLine(counts));
    return status === 0 && counts.failed === 0 ? 0 : 1;
  } finally {
    for (const service of started.reverse()) await service.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    console.info('0 passed, 1 failed');
    process.exit(1);
  },
);
