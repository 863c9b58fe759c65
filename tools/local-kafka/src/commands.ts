// Finds the external programs (java, mvn) and runs them, with errors that say what to install.
import { spawnSync } from 'node:child_process';
import type { SpawnSyncOptions } from 'node:child_process';
import { join } from 'node:path';

/** JAVA_HOME wins over PATH, as in Kafka's own bin scripts. */
export function javaCommand(env: NodeJS.ProcessEnv): string {
  return env.JAVA_HOME ? join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

/** Throws a readable error unless `java -version` runs. */
export function requireJava(env: NodeJS.ProcessEnv): string {
  const java = javaCommand(env);
  requireCommand(java, ['-version'], 'Java 17 or newer (Kafka 4.x needs 17+), e.g. `apt-get install openjdk-17-jdk-headless`, or set JAVA_HOME');
  return java;
}

/** Throws a readable error unless `mvn -v` runs. */
export function requireMaven(): string {
  requireCommand('mvn', ['-v'], 'Apache Maven 3.6.3+ on PATH, e.g. `apt-get install maven` (needed once, to download the Kafka jars)');
  return 'mvn';
}

/** Runs a command to completion, inheriting stdio; throws with the exit status on failure. */
export function run(command: string, args: readonly string[], options: SpawnSyncOptions = {}): void {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed with exit ${result.status ?? result.signal}`);
  }
}

/**
 * Runs a command with its output captured: quiet on success (Maven's -q still prints stray
 * ANSI codes), and the tail of the output goes into the error on failure.
 */
export function runQuiet(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`.trim().split('\n').slice(-30).join('\n');
    throw new Error(`${command} ${args.join(' ')} failed with exit ${result.status ?? result.signal}:\n${output}`);
  }
}

function requireCommand(command: string, args: readonly string[], hint: string): void {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  const error = result.error as NodeJS.ErrnoException | undefined;
  if (error?.code === 'ENOENT') throw new Error(`"${command}" was not found. Install ${hint}.`);
  if (error) throw error;
  if (result.status !== 0) throw new Error(`"${command} ${args.join(' ')}" exited with ${result.status}. Install ${hint}.`);
}
