import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** An app of the pipeline running as its own process, as it would in production; its output goes to a log file. */
export interface AppProcess {
  readonly name: string;
  readonly logFile: string;
  /** SIGTERM, then SIGKILL when it does not stop within the grace period. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves when the process exits by itself, with its exit code. */
  readonly exited: Promise<number | null>;
}

export interface StartAppOptions {
  name: string;
  script: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
}

// kafkajs makes Node 24 warn on every connection (kafkajs#1751); the warning is harmless noise.
const NODE_FLAGS = ['--disable-warning=TimeoutNegativeWarning'];

export function startApp(options: StartAppOptions): AppProcess {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child: ChildProcess = spawn(process.execPath, [...NODE_FLAGS, options.script, ...options.args], {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    name: options.name,
    logFile: options.logFile,
    exited,
    async stop(graceMs = 20_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      log.end();
    },
  };
}

/** Runs an app command to its end (e.g. a snapshot) and returns its stdout; throws with the log path on failure. */
export async function runAppCommand(options: StartAppOptions): Promise<string> {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(process.execPath, [...NODE_FLAGS, options.script, ...options.args], {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.pipe(log);
  const [code] = (await once(child, 'exit')) as [number | null];
  log.end();
  if (code !== 0) throw new Error(`${options.name} exited with ${code}; see ${options.logFile}`);
  return stdout;
}
