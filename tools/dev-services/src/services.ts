import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { kafkaAnswers, redisAnswers } from './probes.ts';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const LOCAL_KAFKA_CLI = join(REPO_ROOT, 'tools', 'local-kafka', 'src', 'cli.ts');

/** A service made available to a run; `stop` undoes only what this run started. */
export interface ProvidedService {
  url: string;
  startedHere: boolean;
  stop(): Promise<void>;
}

const nothingToStop = async () => undefined;

function run(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'inherit' }).status === 0;
}

function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Redis on 127.0.0.1:6379: used when it answers, else started (installing Debian's package when missing). */
export async function provideRedis(env: NodeJS.ProcessEnv): Promise<ProvidedService> {
  if (env['REDIS_URL']) return { url: env['REDIS_URL'], startedHere: false, stop: nothingToStop };
  const url = 'redis://127.0.0.1:6379';
  if (await redisAnswers('127.0.0.1', 6379)) return { url, startedHere: false, stop: nothingToStop };
  if (!commandExists('redis-server')) {
    console.info('redis-server is missing: installing Debian package redis-server');
    if (!run('sh', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server'])) {
      throw new Error('Redis is not running and redis-server could not be installed (needs root and apt-get)');
    }
  }
  run('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no']);
  for (let i = 0; i < 50 && !(await redisAnswers('127.0.0.1', 6379)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await redisAnswers('127.0.0.1', 6379))) throw new Error('redis-server was started but does not answer on 6379');
  return {
    url,
    startedHere: true,
    stop: async () => {
      run('redis-cli', ['-p', '6379', 'shutdown', 'nosave']);
    },
  };
}

/**
 * Kafka on 127.0.0.1:9092: used when it answers, else the repo's local broker is started from its jars.
 * Without Java, returns undefined: tests then start a Kafka container (testcontainers) themselves.
 */
export async function provideKafka(env: NodeJS.ProcessEnv): Promise<ProvidedService | undefined> {
  if (env['KAFKA_BROKERS']) return { url: env['KAFKA_BROKERS'], startedHere: false, stop: nothingToStop };
  const url = '127.0.0.1:9092';
  if (await kafkaAnswers([url])) return { url, startedHere: false, stop: nothingToStop };
  if (!commandExists('java') && commandExists('docker')) return undefined;
  if (!run(process.execPath, [LOCAL_KAFKA_CLI, 'start'])) {
    throw new Error('the local Kafka broker could not start (see the output above and .local/kafka/)');
  }
  return {
    url,
    startedHere: true,
    stop: async () => {
      run(process.execPath, [LOCAL_KAFKA_CLI, 'stop']);
    },
  };
}
